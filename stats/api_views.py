"""Statistics API for provincial platforms (统计接口): organisation summaries and today's non-finishers.

Thin like the rest of /api/v1: scope through `learning.scoping`, read the `OrgDailyStats` projection
through `learning.selectors_stats`, shape the JSON. Administrators see their own subtree only: an
organisation outside it answers 404 exactly like one that does not exist (its existence is not
revealed); an account without any administrator scope (a trainee, a trainer) gets 403. Every endpoint
costs a fixed number of queries, however many child organisations or trainees there are.
"""

import datetime as dt
import math
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from core.api import ERRORS, DomainError
from orgs.api import Organization, scope_roots
from stats import selectors as selectors_stats

router = Router(tags=["统计"])

ABSENT_PAGE_SIZE = 100
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")  # fromisoformat alone also takes 20261120 and 2026-W47-5


class OrgRefOut(Schema):
    id: int
    code: str = Field(description="组织编码")
    name: str
    level: str = Field(description="层级代码：province、city、district、street、community、grid")
    level_label: str = Field(description="层级名称，例如 街道")


class OrgOut(OrgRefOut):
    path: list[str] = Field(description="从调用者管理范围的顶层组织到本组织的名称（含两端）")


class FiguresOut(Schema):
    trainees: int = Field(description="学员数（当日已注册、账号有效）")
    active_trainees: int = Field(description="参学人数（当日有学习记录的学员）")
    daily_done: int = Field(description="当日完成每日一课的学员数")
    absent: int = Field(description="当日未完成每日一课的学员数")
    participation_rate: float = Field(description="参学率（%），一位小数")
    daily_rate: float = Field(description="每日一课完成率（%），一位小数")
    credit_hours: Decimal = Field(description="学时合计（字符串形式的小数）")
    points: int = Field(description="积分合计（已按每人每日上限计）")
    lessons_completed: int
    courses_completed: int
    cases_read: int
    quizzes_passed: int
    journals: int
    computed_at: dt.datetime | None = Field(description="统计时间；当日没有统计行（无学员、无活动）时为 null")


class ChildOut(Schema):
    organization: OrgRefOut
    figures: FiguresOut


class OrgStatsOut(Schema):
    date: dt.date
    organization: OrgOut
    figures: FiguresOut
    children: list[ChildOut] = Field(description="直属下级组织，按每日一课完成率从高到低")


class LessonOut(Schema):
    id: int
    title: str


class AbsentTraineeOut(Schema):
    user_id: int
    real_name: str = Field(description="姓名")
    phone: str | None
    organization_code: str
    organization_name: str


class AbsentOut(Schema):
    date: dt.date
    lesson: LessonOut | None = Field(description="当日的每日一课；当日没有（周末、节假日、未安排）时为 null")
    message: str | None = Field(description="当日没有每日一课时的说明")
    count: int = Field(description="未完成的学员总数")
    page: int
    pages: int
    page_size: int
    results: list[AbsentTraineeOut]




def _managed_organization(request, org_id: int) -> tuple[Organization, Organization]:
    """(the organisation, the caller's highest scope root containing it — the tree's root for
    superusers); 403 without any administrator scope, 404 when the organisation does not exist or lies
    outside the caller's subtree."""
    roots = scope_roots(request.user)
    if roots is not None and not roots:
        raise DomainError("forbidden", status=403, message=_("只有组织管理员可以查看统计数据。"))
    org = Organization.objects.filter(pk=org_id).first()
    root = selectors_stats.scope_root_of(request.user, org) if org is not None else None
    if root is None:
        raise DomainError("not_found", status=404, message=_("请求的对象不存在。"))
    return org, root


def _org_ref(org: Organization) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name, "level": org.level,
            "level_label": org.get_level_display()}


def _figures(figures: dict) -> dict:
    return {name: figures[name] for name in FiguresOut.model_fields}


def _parse_day(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        if not DATE_FORMAT.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid_date", status=422, message=_(
            "日期格式应为 YYYY-MM-DD，例如 2026-11-20（收到：%(value)s）。") % {"value": value[:40]}) from None


@router.get("/orgs/{org_id}", response={200: OrgStatsOut, **ERRORS}, summary="组织统计（当日汇总与直属下级）")
def org_stats(request, org_id: int,
              date: str | None = Query(None, description="日期 YYYY-MM-DD，默认今天（北京时间）")):
    """组织及其全部下级的当日统计（学员数、参学人数、每日一课完成情况、学时、积分等），以及各直属下级组织的统计。
    统计每隔几分钟从学习台账重新计算，`computed_at` 为计算时间。"""
    org, root = _managed_organization(request, org_id)
    day = _parse_day(date)
    children = [
        {"organization": _org_ref(row["organization"]), "figures": _figures(row)}
        for row in selectors_stats.child_rows(org, day)
    ]
    return {
        "date": day,
        "organization": {**_org_ref(org), "path": [step.name for step in selectors_stats.trail(org, root)]},
        "figures": _figures(selectors_stats.org_summary(org, day)),
        "children": children,
    }


@router.get("/orgs/{org_id}/absent", response={200: AbsentOut, **ERRORS}, summary="今日未完成每日一课的学员")
def org_absent(request, org_id: int,
               page: int = Query(1, ge=1, le=100_000, description="页码，从 1 开始"),
               page_size: int = Query(ABSENT_PAGE_SIZE, ge=1, le=ABSENT_PAGE_SIZE, description="每页人数，最多 100")):
    """组织及其全部下级中今天（北京时间）尚未完成每日一课的学员，按组织（在组织树中的顺序）和姓名排序，分页返回。
    今天没有每日一课（周末、节假日或未安排）时列表为空，`lesson` 为 null 并附说明。"""
    org, _root = _managed_organization(request, org_id)
    day = timezone.localdate()
    lesson, trainees = selectors_stats.absent_trainees(org, day)
    if lesson is None:
        return {"date": day, "lesson": None, "message": _("今天没有每日一课（周末、节假日或尚未安排），没有未学名单。"),
                "count": 0, "page": 1, "pages": 0, "page_size": page_size, "results": []}
    count = trainees.count()
    pages = math.ceil(count / page_size)
    if page > max(pages, 1):
        raise DomainError("invalid_page", status=404, message=_("页码超出范围：共 %(pages)d 页。") % {"pages": pages})
    start = (page - 1) * page_size
    results = [
        {"user_id": profile.user_id, "real_name": profile.real_name, "phone": profile.phone,
         "organization_code": profile.organization.code, "organization_name": profile.organization.name}
        for profile in trainees[start:start + page_size]
    ] if count else []
    return {"date": day, "lesson": {"id": lesson.pk, "title": lesson.title}, "message": None,
            "count": count, "page": page, "pages": pages, "page_size": page_size, "results": results}
