"""Classroom in the Wagtail admin: sessions (面授课程) scoped like their classes, the attendance reports
(签到报表: per session and per class, exported as CSV/XLSX) and the evaluation report (评教报表).

- Sessions: an administrator lists and edits the sessions of classes organised in their subtree (any
  other session's edit, delete, copy, usage or history URL answers 404); superusers see all.
- Attendance reports: trainers (they run any session), a session's own trainer and administrators — the
  rows of an administrator are the members inside their subtree only.
- 评教: averages and comments from MIN_RESPONSES responses on, never who answered; a trainer sees their
  own sessions and courses, an administrator those of classes in their scope.
"""

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from classroom import access, evaluations, selectors
from classroom.models import Attendance, TrainingSession
from cms.models import TeachingBasePage
from core.api import scoped_snippet_views
from learning.api import (
    OrganizationFilter,
    ReportFilterSet,
    ScopedReportView,
    TrainingClass,
    display_number,
)
from orgs.api import TraineeProfile, can_manage, in_scope, scoping

EMPTY = "—"

# --- sessions (面授课程) ------------------------------------------------------------------------------------


def sessions_organised_in_scope(user):
    """Sessions `user` may edit: those of classes organised in their subtree (all for superusers)."""
    if user is None or not user.is_authenticated:
        return TrainingSession.objects.none()
    if user.is_superuser:
        return TrainingSession.objects.all()
    if not scoping.scope_roots(user):
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(in_scope(user, "training_class__organization__path"))


def _editable(user, session: TrainingSession) -> bool:
    return bool(user and user.is_authenticated) and can_manage(user, session.training_class.organization)


class TrainingSessionPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and _editable(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return TrainingSession.objects.none()
        return sessions_organised_in_scope(user)


register_permission_policy(TrainingSession, TrainingSessionPermissionPolicy(TrainingSession))


class TrainingSessionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        classes = TrainingClass.objects.all()
        if user is None or not user.is_superuser:
            classes = classes.filter(organization__in=scoping.organizations_in_scope(user).values("pk")) if user \
                else classes.none()
        self.fields["training_class"].queryset = classes.order_by("-starts_on", "name")
        trainers = get_user_model().objects.filter(is_active=True).filter(
            Q(groups__name=scoping.TRAINER_GROUP) | Q(is_superuser=True) | Q(pk=getattr(user, "pk", None))
            | Q(pk=self.instance.trainer_id if self.instance.pk else None)).distinct()
        self.fields["trainer"].queryset = trainers.order_by("username")
        self.fields["trainer"].label_from_instance = lambda u: u.get_full_name() or u.first_name or u.username
        self.fields["venue_base"].queryset = TeachingBasePage.objects.live().order_by("title")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("结束时间必须晚于开始时间。"))
        if not cleaned.get("venue_base") and not (cleaned.get("address") or "").strip():
            self.add_error("address", _("请选择现场教学实践基地，或填写上课地址。"))
        hours = cleaned.get("credit_hours")
        if hours is not None and (hours * 4) % 1:
            self.add_error("credit_hours", _("学时以 0.25 为单位，例如 1.5、2、2.25。"))
        training_class = cleaned.get("training_class")
        if training_class is not None and not (self.for_user and can_manage(self.for_user, training_class.organization)):
            self.add_error("training_class", _("只能为你管理范围内的培训班安排面授课程。"))
        return cleaned


SCOPED = scoped_snippet_views(in_scope=_editable, objects_in_scope=sessions_organised_in_scope)


class DeleteView(SCOPED.delete):
    """A session with attendance is history (its credits are in the ledger): it cannot be deleted."""

    def form_valid(self, form):
        if Attendance.objects.filter(session=self.object).exists():
            messages.error(self.request, _("这次面授课程已有签到记录（学时已记入学习台账），不能删除。"))
            return redirect(self.get_success_url())
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if Attendance.objects.filter(session=self.object).exists():
            context["is_protected"] = True  # Wagtail's confirmation page then offers no delete button
        return context


class TrainingSessionViewSet(SnippetViewSet):
    model = TrainingSession
    icon = "date"
    menu_label = gettext_lazy("面授课程")
    menu_name = "training-sessions"
    menu_order = 201
    add_to_admin_menu = True
    list_display = ["title", "training_class", "kind", "starts_at", "trainer"]
    list_filter = ["kind"]
    list_per_page = 50
    edit_view_class = SCOPED.edit
    delete_view_class = DeleteView
    copy_view_class = SCOPED.copy
    usage_view_class = SCOPED.usage
    history_view_class = SCOPED.history
    chooser_viewset_class = SCOPED.chooser
    edit_handler = ObjectList(
        [
            FieldPanel("training_class"),
            FieldPanel("title"),
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            MultiFieldPanel([FieldPanel("venue_base"), FieldPanel("address")], heading=gettext_lazy("上课地点")),
            FieldPanel("trainer"),
            FieldRowPanel([FieldPanel("credit_hours"), FieldPanel("late_after_minutes")]),
            FieldRowPanel([FieldPanel("signup_open"), FieldPanel("capacity")]),
        ],
        base_form_class=TrainingSessionForm,
    )

    def get_queryset(self, request):
        return sessions_organised_in_scope(request.user).select_related("training_class", "trainer")


# --- attendance reports (签到报表) ---------------------------------------------------------------------------

class SessionChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.starts_at:%Y-%m-%d} {obj.title}（{obj.training_class.name}）"


class SessionFilter(django_filters.ModelChoiceFilter):
    field_class = SessionChoiceField


class ClassroomReportView(ScopedReportView):
    """Open to trainers and to the sessions' own trainers as well as to administrators."""

    forbidden_text = gettext_lazy("只有培训导师和组织管理员可以查看签到报表。")

    def dispatch(self, request, *args, **kwargs):
        if not access.may_see_reports(request.user):
            return HttpResponseForbidden(self.forbidden_text)
        return super(ScopedReportView, self).dispatch(request, *args, **kwargs)


STATUS_LABELS = dict(Attendance.Status.choices)
METHOD_LABELS = dict(Attendance.Method.choices)


class SessionAttendanceFilterSet(ReportFilterSet):
    session = SessionFilter(label=gettext_lazy("面授课程"), empty_label=gettext_lazy("请选择面授课程"),
                            queryset=lambda request: selectors.report_sessions(request.user), method="filter_nothing")
    organization = OrganizationFilter()

    class Meta:
        model = TraineeProfile
        fields = []


def _time(value) -> str:
    return EMPTY if value is None else f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}"


class SessionAttendanceReport(ClassroomReportView):
    page_title = gettext_lazy("签到明细")
    header_icon = "date"
    filterset_class = SessionAttendanceFilterSet
    index_url_name = "classroom_attendance_report"
    index_results_url_name = "classroom_attendance_report_results"
    export_name = "签到明细"
    help_text = gettext_lazy("所选面授课程所属培训班的每位学员：出勤（含迟到）记入学时，缺勤和未签到不记。"
                             "导师登记和更正的原因见面授课程的出勤名单页。组织管理员只看到管理范围内的学员。")
    prompt_text = gettext_lazy("请先点击“筛选”，选择一次面授课程。")
    columns = [
        Column("real_name", label=gettext_lazy("姓名")),
        Column("organization", label=gettext_lazy("所属组织"), accessor="organization.name"),
        Column("signed_up", label=gettext_lazy("报名"), accessor=lambda r: _("已报名") if r.signed_up else EMPTY),
        Column("status", label=gettext_lazy("出勤情况"), accessor=lambda r: STATUS_LABELS.get(r.status, _("未签到"))),
        Column("method", label=gettext_lazy("签到方式"), accessor=lambda r: METHOD_LABELS.get(r.method, EMPTY)),
        Column("checked_in_at", label=gettext_lazy("签到时间"), accessor=lambda r: _time(r.checked_in_at)),
        Column("credited_hours", label=gettext_lazy("已记学时"), accessor=lambda r: display_number(r.credited_hours)),
    ]
    list_export = ["real_name", "organization.name", "signed_up_text", "status_text", "method_text", "checked_in_text",
                   "credited_hours"]
    export_headings = {"real_name": _("姓名"), "organization.name": _("所属组织"), "signed_up_text": _("报名"),
                       "status_text": _("出勤情况"), "method_text": _("签到方式"), "checked_in_text": _("签到时间"),
                       "credited_hours": _("已记学时")}

    @property
    def session(self):
        return (self.filter_values or {}).get("session")

    @property
    def needs_choice(self) -> bool:
        return self.filter_values is not None and self.session is None

    def get_page_subtitle(self):
        return self.session.title if self.session else ""

    def report_queryset(self, values):
        return selectors.attendance_rows(self.request.user, values["session"], organization=values.get("organization"))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.signed_up_text = _("已报名") if row.signed_up else ""
            row.status_text = STATUS_LABELS.get(row.status, _("未签到"))
            row.method_text = METHOD_LABELS.get(row.method, "")
            row.checked_in_text = _time(row.checked_in_at) if row.checked_in_at else ""
            row.credited_hours = row.credited_hours or 0
        return rows


class ClassChoiceFilter(django_filters.ModelChoiceFilter):
    pass


class ClassAttendanceFilterSet(ReportFilterSet):
    training_class = ClassChoiceFilter(label=gettext_lazy("培训班"), empty_label=gettext_lazy("请选择培训班"),
                                       queryset=lambda request: selectors.report_classes(request.user),
                                       method="filter_nothing")
    organization = OrganizationFilter()

    class Meta:
        model = TraineeProfile
        fields = []


class ClassAttendanceReport(ClassroomReportView):
    page_title = gettext_lazy("班级出勤汇总")
    header_icon = "group"
    filterset_class = ClassAttendanceFilterSet
    index_url_name = "classroom_class_attendance_report"
    index_results_url_name = "classroom_class_attendance_report_results"
    export_name = "班级出勤汇总"
    help_text = gettext_lazy("所选培训班每位学员在本班面授课程中的出勤（含迟到）、迟到、缺勤次数和已记学时（更正后的净值）。"
                             "组织管理员只看到管理范围内的学员。")
    prompt_text = gettext_lazy("请先点击“筛选”，选择一个培训班。")
    columns = [
        Column("real_name", label=gettext_lazy("姓名")),
        Column("organization", label=gettext_lazy("所属组织"), accessor="organization.name"),
        Column("attended", label=gettext_lazy("出勤次数")),
        Column("late", label=gettext_lazy("其中迟到")),
        Column("absent", label=gettext_lazy("缺勤次数")),
        Column("hours", label=gettext_lazy("已记学时")),
    ]
    list_export = ["real_name", "organization.name", "attended", "late", "absent", "hours"]
    export_headings = {"real_name": _("姓名"), "organization.name": _("所属组织"), "attended": _("出勤次数"),
                       "late": _("其中迟到"), "absent": _("缺勤次数"), "hours": _("已记学时")}

    @property
    def training_class(self):
        return (self.filter_values or {}).get("training_class")

    @property
    def needs_choice(self) -> bool:
        return self.filter_values is not None and self.training_class is None

    def get_page_subtitle(self):
        if not self.training_class:
            return ""
        return _("%(name)s · 已开课 %(n)d 次") % {"name": self.training_class.name,
                                               "n": selectors.sessions_held(self.training_class)}

    def report_queryset(self, values):
        return selectors.class_attendance_rows(self.request.user, values["training_class"],
                                               organization=values.get("organization"))


# --- 评教报表 ----------------------------------------------------------------------------------------------------

def evaluations_index(request):
    if not access.may_see_reports(request.user):
        return HttpResponseForbidden(_("只有培训导师和组织管理员可以查看评教报表。"))
    by = request.GET.get("by", "session")
    if by not in evaluations.GROUPINGS:
        by = "session"
    rows = evaluations.rows(request.user, by)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return evaluations.export(rows, by, export)
    return render(request, "classroom/admin/evaluations.html", {
        "rows": rows, "by": by, "groupings": evaluations.GROUPINGS, "minimum": selectors.MIN_RESPONSES,
    })


def evaluation_detail(request, kind: str, object_id: int):
    if not access.may_see_reports(request.user):
        return HttpResponseForbidden(_("只有培训导师和组织管理员可以查看评教报表。"))
    detail = evaluations.detail(request.user, kind, object_id)
    if detail is None:
        raise Http404
    return render(request, "classroom/admin/evaluation_detail.html", {**detail, "minimum": selectors.MIN_RESPONSES})

