from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every domain app builds on and that knows no domain: the workday calendar (more to come:
    see README "What is here")."""

    name = "core"
    verbose_name = "基础"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.exports import make_wagtail_csv_inert

        make_wagtail_csv_inert()
