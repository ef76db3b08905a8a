"""Quiz report in the Wagtail admin (测验报表), scoped and exportable.

One row per quiz with 参加人数, 通过人数, 通过率 and 平均分 over the graded attempts of the trainees in
the administrator's subtree (superusers: everyone). It is one of the scoped reports under 报告 and
shares their view, filters and template with learning's reports.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column

from assessments.models import Quiz
from assessments.selectors_reports import one_decimal, quiz_report_rows
from learning.api import (
    DateRangeFilter,
    OrganizationFilter,
    ReportFilterSet,
    ReportMenuItem,
    ScopedReportView,
    TrackFilter,
    TrainingClassFilter,
    date_range_of,
    display_number,
    percent,
    report_trainees,
)


class QuizReportFilterSet(ReportFilterSet):
    organization = OrganizationFilter()
    training_class = TrainingClassFilter()
    track = TrackFilter()
    date_range = DateRangeFilter(label=_("交卷日期"))

    class Meta:
        model = Quiz
        fields = []


class QuizReportView(ScopedReportView):
    page_title = _("测验报表")
    header_icon = "help"
    filterset_class = QuizReportFilterSet
    results_template_name = "assessments/admin/reports/quiz_results.html"
    index_url_name = "assessments_report_quiz"
    index_results_url_name = "assessments_report_quiz_results"
    export_name = "测验报表"
    help_text = _("只统计您管理范围内学员已评分的答卷：参加人数、通过人数按学员计（多次作答只算一人，任一次通过即为通过），"
                  "通过率 = 通过人数 ÷ 参加人数，平均分为这些答卷得分率的平均（百分制）。专题按测验所属课程的课程体系筛选。")
    empty_text = _("没有符合条件的测验。请清除专题筛选后再试。")
    columns = [
        Column("title", label=_("测验")),
        Column("page", label=_("所属内容"), accessor="page.title"),
        Column("participants", label=_("参加人数")),
        Column("passers", label=_("通过人数")),
        Column("pass_rate", label=_("通过率"), accessor=lambda row: display_number(row.pass_rate, "%")),
        Column("average", label=_("平均分"), accessor=lambda row: display_number(row.average)),
    ]
    list_export = ["title", "page.title", "participants", "passers", "pass_rate", "average"]
    export_headings = {"title": _("测验"), "page.title": _("所属内容"), "participants": _("参加人数"),
                       "passers": _("通过人数"), "pass_rate": _("通过率（%）"), "average": _("平均分")}

    def report_queryset(self, values):
        start, end = date_range_of(values)
        trainees = report_trainees(self.request.user, organization=values.get("organization"),
                                   training_class=values.get("training_class"))
        return quiz_report_rows(trainees.values("user_id"), track=values.get("track"), start=start, end=end)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.pass_rate = percent(row.passers, row.participants)
            row.average = one_decimal(row.average_percent)
        return rows


@hooks.register("register_admin_urls")
def register_quiz_report_urls():
    return [
        path("reports/quizzes/", QuizReportView.as_view(), name="assessments_report_quiz"),
        path("reports/quizzes/results/", QuizReportView.as_view(results_only=True),
             name="assessments_report_quiz_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_quiz_report_menu_item():
    return ReportMenuItem(_("测验报表"), reverse("assessments_report_quiz"), name="quiz-report", icon_name="help",
                          order=120)
