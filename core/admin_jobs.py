"""Periodic jobs' last runs and failures (定时任务运行记录) in the Wagtail admin: read-only, superusers only.

Rows are written by the jobs themselves (`learning.services.jobs`); nobody edits or deletes them here.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from core.models import JobRun


class SuperuserReadOnlyPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        users = get_user_model().objects
        return users.filter(is_active=True, is_superuser=True) if "view" in actions else users.none()


# Registered before the viewset so Wagtail never falls back to the model-permission default policy.
register_permission_policy(JobRun, SuperuserReadOnlyPolicy(JobRun))


class JobRunViewSet(ModelViewSet):
    model = JobRun
    icon = "time"
    menu_label = "定时任务运行记录"
    add_to_settings_menu = True
    list_display = ["name", "last_success_at", "last_failure_at", "failures", "last_error"]
    list_filter: list[str] = []
    ordering = ["name"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "last_started_at", "last_success_at", "last_failure_at", "runs", "failures",
                           "last_error"]
    copy_view_enabled = False
    form_fields = ["name"]  # required by ModelViewSet; the policy never lets anyone add or edit
