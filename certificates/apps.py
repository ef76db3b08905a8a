from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "结业证书"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from certificates import tasks
        from learning.api import register_ledger_listener

        register_ledger_listener(tasks.ledger_entry_committed)
