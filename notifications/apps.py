from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The notification centre (站内通知): `notify()` / `notify_each()` write every notice (idempotent
    by reason, e-mailed once unless the user opted out), the /me/notifications/ pages, the header badge."""

    name = "notifications"
    verbose_name = "通知"
    default_auto_field = "django.db.models.BigAutoField"
