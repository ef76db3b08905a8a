from django.db import migrations, models


class Migration(migrations.Migration):
    """Its own migration (and transaction), after 0013 has filled every digest."""

    dependencies = [
        ('learning', '0013_journal_one_entry_per_text'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='journalentry',
            constraint=models.UniqueConstraint(fields=('user', 'page', 'body_digest'), name='uniq_journal_text'),
        ),
    ]
