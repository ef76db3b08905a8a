"""Training classes (培训班) in the Wagtail admin, scoped to the administrator's organisation subtree.

- The listing (and the snippet chooser) shows only classes organised inside the admin's subtree;
  any other class's edit, delete, copy, usage or history URL answers 404 (superusers see everything).
- The form offers only organisations in scope; saving a class outside the scope is refused.
- 指定学员 are picked from the trainees in scope, each shown as 姓名（组织）· 用户名, with a search box that
  filters the list by name, username, phone or organisation as one types (the list stays server-scoped).
- After a class is created or edited, enrollment sync runs in Celery once the transaction commits.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import CoursePage
from core.api import scoped_snippet_views
from learning.membership import classes_organised_in_scope
from learning.models import TrainingClass
from orgs.api import Organization, can_manage, organizations_in_scope


def _in_scope(user, training_class: TrainingClass) -> bool:
    return bool(user and user.is_authenticated) and can_manage(user, training_class.organization)


class TrainingClassPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, plus: an instance is only reachable inside the admin's subtree."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and _in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return TrainingClass.objects.none()
        return classes_organised_in_scope(user)


# Registered before the viewset so Wagtail never falls back to the unscoped default policy.
register_permission_policy(TrainingClass, TrainingClassPermissionPolicy(TrainingClass))


def _member_search_text(user) -> str:
    profile = getattr(user, "profile", None)  # staff accounts have none
    parts = [user.username] + ([profile.real_name, profile.phone or "", profile.organization.name] if profile else [])
    return " ".join(part for part in parts if part).lower()


class SearchableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes under a search box: typing hides the people whose name, username, phone or
    organisation (`data-search` on each box) does not contain the text; ticked people stay visible."""

    template_name = "learning/admin/widgets/searchable_checkboxes.html"

    def __init__(self, *args, search_text=_member_search_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_text = search_text

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-search"] = self.search_text(instance)
        return option

    @property
    def media(self):
        return forms.Media(js=["learning/admin/searchable_checkboxes.js"],
                           css={"all": ["learning/admin/searchable_checkboxes.css"]})


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        profile = getattr(user, "profile", None)
        if profile is None:
            return user.username
        return f"{profile.real_name}（{profile.organization.name}）· {user.username}"


class TrainingClassForm(WagtailAdminModelForm):
    member_users = MemberChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=gettext_lazy("指定学员"),
        widget=SearchableCheckboxSelectMultiple,
        help_text=gettext_lazy("参训组织以外、需要单独指定的学员。可按姓名、用户名、手机号或组织查找。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        scope = organizations_in_scope(user) if user is not None else Organization.objects.none()
        self.fields["organization"].queryset = scope.order_by("path")
        if "courses" in self.fields:
            self.fields["courses"].queryset = CoursePage.objects.live().order_by("path")
        # Members already chosen (e.g. by a superuser) stay selectable so an edit never drops them silently.
        current_orgs = self.instance.member_organizations.all() if self.instance.pk else Organization.objects.none()
        self.fields["member_organizations"].queryset = Organization.objects.filter(
            Q(pk__in=scope.values("pk")) | Q(pk__in=current_orgs.values("pk"))
        ).order_by("path")
        users = get_user_model().objects.filter(is_active=True)
        if user is None or not user.is_superuser:
            current_users = self.instance.member_users.all() if self.instance.pk else users.none()
            users = users.filter(
                Q(profile__organization__in=scope.values("pk")) | Q(pk__in=current_users.values("pk"))
            )
        self.fields["member_users"].queryset = users.select_related("profile__organization").order_by(
            "profile__organization__path", "profile__real_name", "username")

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization")
        if organization is not None and not (self.for_user and can_manage(self.for_user, organization)):
            self.add_error("organization", _("只能为你管理范围内的组织开设培训班。"))
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结业日期不能早于开班日期。"))
        return cleaned


SCOPED = scoped_snippet_views(in_scope=_in_scope, objects_in_scope=classes_organised_in_scope)


class TrainingClassViewSet(SnippetViewSet):
    model = TrainingClass
    icon = "group"
    menu_label = gettext_lazy("培训班")
    menu_name = "training-classes"
    add_to_admin_menu = True
    list_display = ["name", "organization", "starts_on", "ends_on"]
    list_per_page = 50
    edit_view_class = SCOPED.edit
    delete_view_class = SCOPED.delete
    copy_view_class = SCOPED.copy
    usage_view_class = SCOPED.usage
    history_view_class = SCOPED.history
    chooser_viewset_class = SCOPED.chooser
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("organization"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("courses", widget=forms.CheckboxSelectMultiple),
            FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
            FieldPanel("member_organizations", widget=forms.CheckboxSelectMultiple),
            FieldPanel("member_users"),
        ],
        base_form_class=TrainingClassForm,
    )

    def get_queryset(self, request):
        return classes_organised_in_scope(request.user).select_related("organization")


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def sync_class_enrollments_after_save(request, instance):
    """Only enqueue: the task enrolls the class's members once the admin's transaction commits."""
    if isinstance(instance, TrainingClass):
        from learning.tasks import class_sync_enrollments_task

        class_id = instance.pk
        transaction.on_commit(lambda: class_sync_enrollments_task.delay(class_id))
