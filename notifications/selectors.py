"""Reads for the notification centre (通知, /me/notifications/) and the header's unread badge."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from notifications.models import Notification, NotificationPreference


def notifications_for(user) -> QuerySet[Notification]:
    """`user`'s notices, unread first, newest first within each group (a lazy queryset to paginate)."""
    return (
        Notification.objects.filter(user=user)
        .annotate(unread_first=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
        .order_by("unread_first", "-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_opted_out(user) -> bool:
    return bool(NotificationPreference.objects.filter(user=user).values_list("email_opt_out", flat=True).first())
