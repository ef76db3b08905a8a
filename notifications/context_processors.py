"""Template context for every page: the unread-notification count of the site header's badge."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    """One COUNT for a signed-in user — and only when a template shows it (admin pages do not);
    none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
