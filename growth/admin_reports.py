"""学时排行: the admin report of 学时 per trainee in scope, from the weekly growth snapshots, built on
learning's scoped report framework (scope, filters, streaming CSV/XLSX export)."""

from decimal import Decimal

from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column

from core.api import rankings_enabled, year_days
from growth import selectors
from learning.api import (
    DateRangeFilter,
    OrganizationFilter,
    ReportFilterSet,
    ReportMenuItem,
    ScopedReportView,
    TrainingClassFilter,
    date_range_of,
)
from orgs.api import TraineeProfile

HUNDREDTH = Decimal("0.01")


class RankingFilterSet(ReportFilterSet):
    organization = OrganizationFilter()
    training_class = TrainingClassFilter()
    date_range = DateRangeFilter(label=_("日期范围（按周统计，默认今年）"))

    class Meta:
        model = TraineeProfile
        fields = []


class HoursRankingView(ScopedReportView):
    page_title = _("学时排行")
    header_icon = "pick"
    filterset_class = RankingFilterSet
    index_url_name = "growth_report_ranking"
    index_results_url_name = "growth_report_ranking_results"
    export_name = "学时排行"
    help_text = _("按周统计：计入周一落在所选日期范围内的各周（取自学员成长库的每周快照），默认统计今年。"
                  "积分已按每日上限计。学时相同者名次相同。快照按周汇总，不区分专题，因此本报表不提供专题筛选。")
    empty_text = _("您的管理范围内没有符合条件的学员。请换一个组织或培训班再试。")
    columns = [
        Column("rank", label=_("排名")),
        Column("real_name", label=_("姓名")),
        Column("organization", label=_("所属组织"), accessor="organization.name"),
        Column("hours", label=_("学时")),
        Column("points", label=_("积分")),
        Column("activities", label=_("学习次数")),
    ]
    list_export = ["rank", "real_name", "organization.name", "hours", "points", "activities"]
    export_headings = {"rank": _("排名"), "real_name": _("姓名"), "organization.name": _("所属组织"),
                       "hours": _("学时"), "points": _("积分"), "activities": _("学习次数")}

    def dispatch(self, request, *args, **kwargs):
        if not rankings_enabled(request):  # 合规开关: no ranking of people (国办函〔2026〕12号)
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def report_queryset(self, values):
        start, end = date_range_of(values)
        first, last = year_days(timezone.localdate().year)
        return selectors.hours_ranking_rows(self.request.user, start=start or first, end=end or last,
                                          organization=values.get("organization"),
                                          training_class=values.get("training_class"))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.hours = Decimal(row.hours).quantize(HUNDREDTH)  # SQLite's SUM drops the scale
        return rows


@hooks.register("register_admin_urls")
def register_ranking_urls():
    return [
        path("reports/hours-ranking/", HoursRankingView.as_view(), name="growth_report_ranking"),
        path("reports/hours-ranking/results/", HoursRankingView.as_view(results_only=True),
             name="growth_report_ranking_results"),
    ]


class RankingMenuItem(ReportMenuItem):
    def is_shown(self, request):
        return rankings_enabled(request) and super().is_shown(request)


@hooks.register("register_reports_menu_item")
def register_ranking_menu_item():
    return RankingMenuItem(_("学时排行"), reverse("growth_report_ranking"), name="hours-ranking", icon_name="pick",
                           order=130)
