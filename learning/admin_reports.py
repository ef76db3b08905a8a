"""Reports in the Wagtail admin (报表): class, course and 学时 ranking, scoped and exportable.

Each report is a Wagtail `ReportView` (listing, filters in the drawer, CSV/XLSX export with the same
filters) under the 报告 menu, shown to organisation administrators and superusers only; anyone else
gets 403. The rows come from `learning.selectors_reports`, which starts from the administrator's
scope: a forged filter value outside the scope is a form error and an empty result, never foreign
rows. Figures that cannot be annotated are attached per page (or per export chunk) in
`decorate_paginated_queryset`, one query per figure.
"""

import datetime as dt
from abc import ABCMeta, abstractmethod

import django_filters
from django.http import HttpResponseForbidden
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from cms.models import CoursePage, Track
from core.api import StreamingExportMixin
from learning import membership
from learning import selectors_reports as reports
from orgs.api import TraineeProfile, scoping

EMPTY = "—"


# --- shared building blocks (the quiz report in assessments uses them too) --------------------------

def display_number(value, suffix: str = "") -> str:
    return EMPTY if value is None else f"{value}{suffix}"


def display_time(value: dt.datetime | None) -> str:
    return EMPTY if value is None else f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


class OrganizationChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * max(0, obj.depth - 1) + obj.name  # indented like the tree


class OrganizationFilter(django_filters.ModelChoiceFilter):
    """The administrator's own subtree only: any other id fails validation."""

    field_class = OrganizationChoiceField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("组织"))
        kwargs.setdefault("empty_label", _("全部（管理范围内）"))
        kwargs.setdefault("queryset", lambda request: scoping.organizations_in_scope(request.user).order_by("path"))
        kwargs.setdefault("method", "filter_nothing")
        super().__init__(**kwargs)


class TrainingClassFilter(django_filters.ModelChoiceFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("培训班"))
        kwargs.setdefault("empty_label", _("全部"))
        kwargs.setdefault("queryset", lambda request: membership.classes_in_scope(request.user))
        kwargs.setdefault("method", "filter_nothing")
        super().__init__(**kwargs)


class TrackFilter(django_filters.ModelChoiceFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("专题（课程体系）"))
        kwargs.setdefault("empty_label", _("全部"))
        kwargs.setdefault("queryset", Track.objects.order_by("sort_order", "name"))
        kwargs.setdefault("method", "filter_nothing")
        super().__init__(**kwargs)


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateRangePickerWidget)
        kwargs.setdefault("method", "filter_nothing")
        super().__init__(**kwargs)


class ReportFilterSet(WagtailFilterSet):
    """Filters whose values the view reads from `cleaned_data`; they never filter a queryset themselves."""

    def filter_nothing(self, queryset, name, value):
        return queryset


def date_range_of(values: dict) -> tuple[dt.date | None, dt.date | None]:
    date_range = values.get("date_range")
    if not date_range:
        return None, None
    start, stop = date_range.start, date_range.stop
    # DateFromToRangeFilter widens "to" to the end of that day when it builds datetimes; we want dates.
    start = start.date() if isinstance(start, dt.datetime) else start
    stop = stop.date() if isinstance(stop, dt.datetime) else stop
    return start, stop


class ScopedReportView(StreamingExportMixin, ReportView, metaclass=ABCMeta):
    """A report for organisation administrators and superusers, 50 rows a page, exportable.

    Subclasses implement `report_queryset(values)` (values: the filters' cleaned data) and may set
    `help_text`, `empty_text` and `prompt_text` (shown while `needs_choice` says a required filter is
    missing).
    """

    results_template_name = "learning/admin/reports/results.html"
    paginate_by = 50
    header_icon = "table"
    help_text = ""
    empty_text = _("没有符合条件的数据。请调整上方的筛选条件后再试。")
    prompt_text = ""
    invalid_text = _("筛选条件无效（例如所选组织不在您的管理范围内），未显示任何数据。请重新选择筛选条件。")
    export_name = "report"

    def dispatch(self, request, *args, **kwargs):
        if not scoping.is_org_admin(request.user):
            # A plain 403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
            return HttpResponseForbidden(_("只有组织管理员可以查看报表。"))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_values(self) -> dict | None:
        """The filters' cleaned data; None when a submitted value is invalid (e.g. outside the scope)."""
        if self.filters is None:
            return {}
        if not self.filters.is_valid():
            return None
        return self.filters.form.cleaned_data

    @property
    def filters_invalid(self) -> bool:
        return self.filter_values is None

    @property
    def needs_choice(self) -> bool:
        return False

    def empty_queryset(self):
        """No rows, of the model the report lists (its filter set's model)."""
        return self.filterset_class._meta.model.objects.none()

    @abstractmethod
    def report_queryset(self, values: dict):
        """The report's rows for the filters' cleaned `values`, already limited to the user's scope."""

    def get_filtered_queryset(self):
        values = self.filter_values
        if values is None or self.needs_choice:
            return self.empty_queryset()
        return self.report_queryset(values)

    @property
    def empty_message(self):
        if self.filters_invalid:
            return self.invalid_text
        if self.needs_choice:
            return self.prompt_text
        return self.empty_text

    @property
    def export_sheet_title(self):
        return self.page_title

    def get_filename(self):
        return f"{self.export_name}-{timezone.localdate():%Y%m%d}"


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.is_org_admin(request.user)


# --- 培训班报表 ---------------------------------------------------------------------------------------

class ClassReportFilterSet(ReportFilterSet):
    training_class = TrainingClassFilter(empty_label=_("请选择培训班"))
    organization = OrganizationFilter()
    date_range = DateRangeFilter(label=_("学时统计日期（默认开班至结业）"))

    class Meta:
        model = TraineeProfile
        fields = []


class ClassReportView(ScopedReportView):
    page_title = _("培训班报表")
    header_icon = "group"
    filterset_class = ClassReportFilterSet
    index_url_name = "learning_report_class"
    index_results_url_name = "learning_report_class_results"
    export_name = "培训班报表"
    help_text = _("完成进度 = 已完成的必修课程 ÷ 必修课程数；学时为所选日期内学习台账记入的学时，默认统计开班日期至结业日期；"
                  "考试成绩为必修课程结业考试的最好成绩（百分制，多门取平均）。仅包含您管理范围内的学员。")
    prompt_text = _("请先点击“筛选”，选择一个培训班，即可查看该班学员的完成进度、学时和考试成绩。")
    empty_text = _("该培训班在您的管理范围内没有符合条件的学员。请换一个组织或培训班再试。")
    columns = [
        Column("real_name", label=_("姓名")),
        Column("organization", label=_("所属组织"), accessor="organization.name"),
        Column("progress", label=_("完成进度"), accessor=lambda row: display_number(row.progress, "%")),
        Column("hours", label=_("学时"), accessor=lambda row: display_number(row.hours)),
        Column("score", label=_("考试成绩"), accessor=lambda row: display_number(row.score)),
        Column("last_activity", label=_("最近学习"), accessor=lambda row: display_time(row.last_activity)),
    ]
    list_export = ["real_name", "organization.name", "progress", "hours", "score", "last_activity"]
    export_headings = {"real_name": _("姓名"), "organization.name": _("所属组织"), "progress": _("完成进度（%）"),
                       "hours": _("学时"), "score": _("考试成绩"), "last_activity": _("最近学习")}

    @property
    def training_class(self):
        return (self.filter_values or {}).get("training_class")

    @property
    def needs_choice(self) -> bool:
        return self.filter_values is not None and self.training_class is None

    def get_page_subtitle(self):
        return self.training_class.name if self.training_class else ""

    def report_queryset(self, values):
        training_class = values["training_class"]
        start, end = date_range_of(values)
        self.period = (start or training_class.starts_on, end or training_class.ends_on)
        self.course_ids = reports.class_course_ids(training_class)
        return reports.class_report_rows(self.request.user, training_class, organization=values.get("organization"))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        if not rows:
            return rows
        figures = reports.class_figures([row.user_id for row in rows], self.course_ids, *self.period)
        for row in rows:
            for name, value in figures[row.user_id].items():
                setattr(row, name, value)
        return rows


# --- 课程报表 ---------------------------------------------------------------------------------------

class CourseReportFilterSet(ReportFilterSet):
    organization = OrganizationFilter()
    training_class = TrainingClassFilter()
    track = TrackFilter()
    date_range = DateRangeFilter(label=_("完成日期"))

    class Meta:
        model = CoursePage
        fields = []


class CourseReportView(ScopedReportView):
    page_title = _("课程报表")
    header_icon = "doc-full"
    filterset_class = CourseReportFilterSet
    index_url_name = "learning_report_course"
    index_results_url_name = "learning_report_course_results"
    export_name = "课程报表"
    help_text = _("按您管理范围内的学员统计：选课人数为已报名（含培训班指派）的学员，完成人数与学时合计只计所选完成日期内的记录；"
                  "学时合计为学员完成本课程课时及结业所记的学时。选择培训班时只统计该班的必修课程和学员。")
    empty_text = _("没有符合条件的课程。请清除专题或培训班筛选后再试。")
    columns = [
        Column("title", label=_("课程")),
        Column("track", label=_("专题"), accessor="track_name"),
        Column("enrolled", label=_("选课人数")),
        Column("completed", label=_("完成人数")),
        Column("completion_rate", label=_("完成率"), accessor=lambda row: display_number(row.completion_rate, "%")),
        Column("hours", label=_("学时合计"), accessor=lambda row: display_number(row.hours)),
    ]
    list_export = ["title", "track_name", "enrolled", "completed", "completion_rate", "hours"]
    export_headings = {"title": _("课程"), "track_name": _("专题"), "enrolled": _("选课人数"), "completed": _("完成人数"),
                       "completion_rate": _("完成率（%）"), "hours": _("学时合计")}

    def report_queryset(self, values):
        self.period = date_range_of(values)
        organization, training_class = values.get("organization"), values.get("training_class")
        self.members = reports.report_trainees(self.request.user, organization=organization,
                                               training_class=training_class).values("user_id")
        return reports.course_report_rows(self.request.user, organization=organization, training_class=training_class,
                                          track=values.get("track"), start=self.period[0], end=self.period[1])

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        if not rows:
            return rows
        hours = reports.course_hours(rows, self.members, *self.period)
        for row in rows:
            row.track_name = row.track.name if row.track else ""
            row.completion_rate = reports.percent(row.completed, row.enrolled)
            row.hours = hours.get(row.pk, reports.ZERO_HOURS)
        return rows


# --- admin URLs and the 报告 menu --------------------------------------------------------------------

REPORTS = [
    ("reports/training-class/", ClassReportView, "learning_report_class"),
    ("reports/courses/", CourseReportView, "learning_report_course"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = []
    for route, view, name in REPORTS:
        urls.append(path(route, view.as_view(), name=name))
        urls.append(path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"))
    return urls


@hooks.register("register_reports_menu_item")
def register_class_report_menu_item():
    return ReportMenuItem(_("培训班报表"), reverse("learning_report_class"), name="class-report", icon_name="group",
                          order=100)


@hooks.register("register_reports_menu_item")
def register_course_report_menu_item():
    return ReportMenuItem(_("课程报表"), reverse("learning_report_course"), name="course-report",
                          icon_name="doc-full", order=110)
