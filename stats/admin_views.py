"""Statistics in the Wagtail admin: the dashboard panel, organisation drill-down and 今日未学.

Everything here is for organisation administrators (`learning.scoping`): the admin home shows a panel
per scope root (superusers: the tree's roots) with today's 参学率 and 今日一课完成率, a 30-day trend and
the child organisations ranked; `/admin/stats/orgs/<id>/` drills down one level at a time (at a leaf,
the members with today's status); `/admin/stats/absent/` lists the trainees who have not finished
today's lesson (`cms.expected_daily_lesson`: a workday's live lesson), exports them and reminds them;
it names the day and the lesson, and when there is none says why (a day off, before 08:30, not
scheduled). An organisation outside the user's scope answers 404 like a missing one; a user without
any scope gets 403. Figures come from the `OrgDailyStats` projection (`learning.selectors_stats`), so
each page costs the same few queries for 10 or 10,000 organisations.
"""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from cms import api as cms
from core.api import StreamingExportMixin, charts
from core.api import calendar as workdays
from orgs.api import Organization, is_org_admin
from stats import selectors as selectors_stats
from stats.reminders import send_absent_reminder

PANEL_CHILDREN = 10  # children shown on the dashboard panel; the drill-down shows all of them
MEMBERS_PER_PAGE = 50
ORG_CHOICE_DEPTH = 2  # levels below each scope root offered in the 今日未学 chooser (plus the selection's trail)
WEEKDAYS = "一二三四五六日"


def _forbidden(user) -> HttpResponseForbidden | None:
    """403 for anyone without an administrator scope (Wagtail would turn PermissionDenied into a redirect)."""
    if is_org_admin(user):
        return None
    return HttpResponseForbidden(_("只有组织管理员可以查看学习统计。"))


def _scoped(user, org_id) -> tuple[Organization, Organization]:
    """(the organisation, the user's scope root above it); 404 when missing or outside the scope."""
    try:
        org = get_object_or_404(Organization, pk=int(org_id))
    except (TypeError, ValueError) as error:
        raise Http404 from error
    root = selectors_stats.scope_root_of(user, org)
    if root is None:
        raise Http404
    return org, root


def _day_label(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def trend_chart(trend: list[tuple[dt.date, dict]]) -> dict:
    return charts.rate_chart([
        (f"{d.month}/{d.day}", _day_label(d), figures["daily_rate"], figures["participation_rate"])
        for d, figures in trend
    ])


def _children_rows(children: list[dict]) -> str:
    """The ranking table's rows, built here rather than in a template loop: a street can have
    hundreds of children and the drill-down lists them all. Only the name needs escaping."""
    prefix, suffix = reverse("learning_stats_org", args=[_URL_MARKER]).split(str(_URL_MARKER))
    return mark_safe("".join(  # noqa: S308 — every interpolated string is escaped
        ROW_HTML.format(pk=row["organization"].pk, rank=rank, url=escape(f"{prefix}{row['organization'].pk}{suffix}"),
                        name=escape(row["organization"].name), daily_rate=row["daily_rate"],
                        participation_rate=row["participation_rate"], trainees=row["trainees"])
        for rank, row in enumerate(children, start=1)))


_URL_MARKER = 918273645  # a placeholder id: one reverse() serves every row's link
ROW_HTML = ('<tr data-child="{pk}"><td class="num">{rank}</td><td><a href="{url}">{name}</a></td>'
            '<td class="num">{daily_rate}%</td><td class="num">{participation_rate}%</td>'
            '<td class="num">{trainees}</td></tr>\n')


def _org_block(org: Organization, day: dt.date, *, children_limit: int | None = None) -> dict:
    children = selectors_stats.child_rows(org, day)
    shown = children[:children_limit] if children_limit else children
    trend = selectors_stats.org_trend(org, day)  # ends with `day`: today's figures come with it
    return {
        "organization": org,
        "summary": trend[-1][1],
        "chart": trend_chart(trend),
        "children": shown,
        "children_rows": _children_rows(shown),
        "children_total": len(children),
    }


# --- the admin home panel ------------------------------------------------------------------------


class StatsDashboardPanel(Component):
    name = "learning_stats"
    template_name = "stats/admin/panel.html"
    order = 50  # above Wagtail's own panels: this is what an administrator comes for

    def __init__(self, roots: list[Organization]):
        self.roots = roots

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        day = timezone.localdate()
        context.update({
            "blocks": [_org_block(root, day, children_limit=PANEL_CHILDREN) for root in self.roots],
            "day_label": _day_label(day),
        })
        return context


@hooks.register("construct_homepage_panels")
def add_stats_panel(request, panels):
    if is_org_admin(request.user):
        panels.insert(0, StatsDashboardPanel(selectors_stats.top_organizations(request.user)))


# --- drill-down -----------------------------------------------------------------------------------


@require_GET
def stats_home(request):
    """The menu's 「学习统计」: the drill-down of the user's first scope root."""
    if denied := _forbidden(request.user):
        return denied
    roots = selectors_stats.top_organizations(request.user)
    if not roots:
        raise Http404
    return redirect("learning_stats_org", org_id=roots[0].pk)


@require_GET
def org_detail(request, org_id: int):
    if denied := _forbidden(request.user):
        return denied
    org, root = _scoped(request.user, org_id)
    day = timezone.localdate()
    block = _org_block(org, day)
    context = {
        **block,
        "trail": selectors_stats.trail(org, root),
        "day_label": _day_label(day),
        "is_leaf": not block["children"],
    }
    if context["is_leaf"]:
        lesson, members = selectors_stats.members_today(org, day)
        context["lesson"] = lesson
        context["page_obj"] = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("p"))
    return render(request, "stats/admin/org_detail.html", context)


# --- 今日未学 -------------------------------------------------------------------------------------


def organization_options(user, org: Organization, root: Organization) -> str:
    """The 今日未学 chooser's <option>s (`org` selected): see `selectors_stats.chooser_organizations`.
    Built here rather than by a form widget, which renders a template per option."""
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (option.pk, SELECTED if option.pk == org.pk else "", "　" * (option.depth - 1) + option.name)
        for option in selectors_stats.chooser_organizations(user, org, root, ORG_CHOICE_DEPTH)))


SELECTED = mark_safe(" selected")  # noqa: S308 — a constant


class AbsentTraineesView(StreamingExportMixin, ReportView):
    page_title = gettext_lazy("今日未学")
    header_icon = "warning"
    template_name = "stats/admin/absent.html"
    results_template_name = "stats/admin/absent_results.html"
    index_url_name = "learning_stats_absent"
    paginate_by = 50
    columns = [
        TitleColumn("real_name", label=gettext_lazy("姓名"), get_url=lambda p: reverse("trainees:edit", args=[p.pk])),
        Column("phone", label=gettext_lazy("手机号")),
        Column("organization", label=gettext_lazy("所属组织")),
        Column("position", label=gettext_lazy("岗位"), accessor="get_position_display"),
    ]
    # The day and the lesson on every row: exports of several days can be put together and still read.
    list_export = ["real_name", "phone", "organization", "get_position_display", "absent_day", "lesson_title"]
    export_headings = {"real_name": gettext_lazy("姓名"), "phone": gettext_lazy("手机号"),
                       "organization": gettext_lazy("所属组织"), "get_position_display": gettext_lazy("岗位"),
                       "absent_day": gettext_lazy("日期"), "lesson_title": gettext_lazy("每日一课")}

    def dispatch(self, request, *args, **kwargs):
        if denied := _forbidden(request.user):
            return denied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def scope(self) -> tuple[Organization, Organization]:
        org_id = self.request.GET.get("org")
        if org_id in (None, ""):
            roots = selectors_stats.top_organizations(self.request.user)
            if not roots:
                raise Http404
            return roots[0], roots[0]
        return _scoped(self.request.user, org_id)

    @cached_property
    def day(self) -> dt.date:
        return timezone.localdate()

    @cached_property
    def absent(self):
        return selectors_stats.absent_trainees(self.scope[0], self.day)

    def get_queryset(self):
        return self.absent[1]

    def get_filtered_queryset(self):
        return self.absent[1]

    @property
    def export_sheet_title(self) -> str:
        return f"{_('今日未学')} {self.day:%Y-%m-%d}"

    def to_row_dict(self, item):
        row = {field: getattr(item, field) for field in ("real_name", "phone", "organization")}
        lesson = self.absent[0]  # rows exist only when there is a lesson
        return {**row, "get_position_display": item.get_position_display(), "absent_day": self.day,
                "lesson_title": lesson.title if lesson else ""}

    def get_filename(self):
        return f"absent-{self.scope[0].code or self.scope[0].pk}-{self.day:%Y%m%d}"

    def get_page_subtitle(self):
        return _day_label(self.day)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": _("首页")},
                {"url": "", "label": _("今日未学"), "sublabel": self.get_page_subtitle()}]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        org = self.scope[0]
        lesson = self.absent[0]
        context.update({
            "organization": org,
            "lesson": lesson,
            "day": self.day,
            "calendar_day": workdays.calendar_day(self.day),
            "day_label": _day_label(self.day),
            "chooser_options": organization_options(self.request.user, org, self.scope[1]),
            "csv_url": self.csv_export_url,
            "xlsx_url": self.xlsx_export_url,
        })
        if not context["object_list"]:
            context["members"] = selectors_stats.trainee_count(org) if lesson else None
            if lesson is None and context["calendar_day"].is_workday:
                now = timezone.localtime()
                context["before_publish"] = now.date() == self.day and now.time() < cms.PUBLISH_TIME
                context["pending"], context["pending_go_live"] = cms.daily_lesson_pending(self.day)
        return context


@require_POST
def absent_remind(request):
    if denied := _forbidden(request.user):
        return denied
    org, _root = _scoped(request.user, request.POST.get("org"))
    result, not_done = send_absent_reminder(organization=org, now=timezone.now())
    if not not_done:
        messages.info(request, _("没有需要提醒的学员：今天没有每日一课，或大家都已学完。"))
    else:
        messages.success(request, _("已提醒 %(sent)d 人，%(already)d 人今天已收到过提醒。") % {
            "sent": result.created, "already": not_done - result.created})
    return redirect(f"{reverse('learning_stats_absent')}?org={org.pk}")


# --- URLs and menu --------------------------------------------------------------------------------


class OrgAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_org_admin(request.user)


@hooks.register("register_admin_urls")
def register_stats_urls():
    return [
        path("stats/", stats_home, name="learning_stats"),
        path("stats/orgs/<int:org_id>/", org_detail, name="learning_stats_org"),
        path("stats/absent/", AbsentTraineesView.as_view(), name="learning_stats_absent"),
        path("stats/absent/remind/", absent_remind, name="learning_stats_absent_remind"),
    ]


@hooks.register("register_admin_menu_item")
def register_stats_menu_item():
    return OrgAdminMenuItem(gettext_lazy("学习统计"), reverse("learning_stats"), name="learning-stats",
                            icon_name="table", order=200)


@hooks.register("register_admin_menu_item")
def register_absent_menu_item():
    return OrgAdminMenuItem(gettext_lazy("今日未学"), reverse("learning_stats_absent"), name="learning-absent",
                            icon_name="warning", order=201)

