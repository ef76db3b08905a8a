"""The notification centre under /me/notifications/ (mounted by config.urls)."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("email/", views.notifications_email, name="notifications_email"),
    path("<int:notification_id>/", views.notification_open, name="notification_open"),
]
