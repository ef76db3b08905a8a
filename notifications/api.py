"""The public surface of `notifications` for the apps above it."""

from notifications.models import Notification
from notifications.services import NotifyResult, email_opt_out_set, notify, notify_each

NotificationKind = Notification.Kind

__all__ = ["Notification", "NotificationKind", "NotifyResult", "email_opt_out_set", "notify", "notify_each"]
