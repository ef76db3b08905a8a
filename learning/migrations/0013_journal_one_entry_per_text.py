import hashlib

from django.db import migrations, models


def _digests(apps, schema_editor):
    """Fill the digest of every existing entry. Duplicates filed before this rule (the same author, page
    and text) keep their rows and reviews: the first keeps the plain digest, each later one gets its own
    marked digest, so the unique rule holds without deleting anything."""
    entry = apps.get_model("learning", "JournalEntry")
    seen = set()
    batch = []
    for pk, user_id, page_id, body in entry.objects.order_by("pk").values_list("pk", "user_id", "page_id", "body").iterator():
        digest = hashlib.sha256(body.encode()).hexdigest()
        key = (user_id, page_id, digest)
        if key in seen:
            digest = hashlib.sha256(f"{digest}:duplicate:{pk}".encode()).hexdigest()
        seen.add(key)
        batch.append(entry(pk=pk, body_digest=digest))
        if len(batch) >= 1000:
            entry.objects.bulk_update(batch, ["body_digest"])
            batch = []
    entry.objects.bulk_update(batch, ["body_digest"])


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0012_certificates_leave'),
    ]

    operations = [
        migrations.AddField(
            model_name='journalentry',
            name='body_digest',
            field=models.CharField(default='', editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(_digests, migrations.RunPython.noop),
    ]
