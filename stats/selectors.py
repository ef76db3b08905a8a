"""Reads for statistics: organisation rollups (today, trends, ranked children) and today's
non-finishers. Everything reads the `OrgDailyStats` projection except the 今日未学 list, which is one
indexed anti-join per page. Callers check scope (`learning.scoping.can_manage`) before asking."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import BooleanField, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from cms import api as cms
from learning.api import LedgerEntry
from orgs.api import Organization, TraineeProfile, scope_roots
from stats.models import OrgDailyStats
from stats.services import FIGURES

TREND_DAYS = 30


def _rate(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def figures_of(row: OrgDailyStats | SimpleNamespace | None) -> dict:
    """A rollup row (or an object with its fields) as a dict with rates; zeros when the organisation had no
    row that day."""
    figures = {field: getattr(row, field) if row else 0 for field in FIGURES}
    if not row:
        figures["credit_hours"] = Decimal("0")
    figures["participation_rate"] = _rate(figures["active_trainees"], figures["trainees"])
    figures["daily_rate"] = _rate(figures["daily_done"], figures["trainees"])
    figures["absent"] = max(0, figures["trainees"] - figures["daily_done"])
    figures["computed_at"] = row.computed_at if row else None
    return figures


def top_organizations(user) -> list[Organization]:
    """The organisations a user's statistics start from: their scope roots (the tree's roots for superusers)."""
    roots = scope_roots(user)
    if roots is None:
        return list(Organization.get_root_nodes())
    return sorted(roots, key=lambda org: org.path)


def org_summary(org: Organization, day: dt.date | None = None) -> dict:
    day = day or timezone.localdate()
    return figures_of(OrgDailyStats.objects.filter(organization=org, date=day).first())


def org_trend(org: Organization, day: dt.date | None = None, days: int = TREND_DAYS) -> list[tuple[dt.date, dict]]:
    """The last `days` days up to `day`, oldest first, zeros for days without a row."""
    day = day or timezone.localdate()
    first = day - dt.timedelta(days=days - 1)
    rows = {row.date: row for row in OrgDailyStats.objects.filter(organization=org, date__range=(first, day))}
    return [(d, figures_of(rows.get(d))) for d in (first + dt.timedelta(days=n) for n in range(days))]


def child_rows(org: Organization, day: dt.date | None = None, order: str = "daily_rate") -> list[dict]:
    """The organisation's children with their figures for `day`, best first by `order`: one query (the
    children left-joined to that day's rollup rows), however many children there are."""
    day = day or timezone.localdate()
    fields = [*FIGURES, "computed_at"]
    children = (Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
                .annotate(stats_today=FilteredRelation("daily_stats", condition=Q(daily_stats__date=day)))
                .annotate(stats_today_pk=F("stats_today__pk"),
                          **{f"stats_today_{field}": F(f"stats_today__{field}") for field in fields})
                .order_by("path"))
    result = []
    for child in children:
        row = None
        if child.stats_today_pk is not None:
            row = SimpleNamespace(**{field: getattr(child, f"stats_today_{field}") for field in fields})
        result.append({"organization": child, **figures_of(row)})
    result.sort(key=lambda item: (-item[order], item["organization"].path))
    return result


def _finished(lesson):
    """Sub-select: the trainee (OuterRef user_id) has the ledger entry for completing `lesson`."""
    return Exists(LedgerEntry.objects.filter(user_id=OuterRef("user_id"), kind=LedgerEntry.Kind.DAILY,
                                             object_id=lesson.pk))


def absent_trainees(org: Organization, day: dt.date | None = None) -> tuple[object, QuerySet[TraineeProfile]]:
    """(the day's daily lesson, trainees in `org`'s subtree who have not completed it). On a day off
    (weekend, holiday — by the workday calendar, even if a lesson was published) or with no lesson that
    day the list is empty: (None, nothing)."""
    day = day or timezone.localdate()
    lesson = cms.expected_daily_lesson(day)
    members = (TraineeProfile.objects.filter(organization__path__startswith=org.path, user__is_active=True)
               .select_related("user", "organization").order_by("organization__path", "real_name", "pk"))
    if lesson is None:
        return None, members.none()
    return lesson, members.filter(~_finished(lesson))


def scope_root_of(user, org: Organization) -> Organization | None:
    """The highest of `user`'s statistics roots that contains `org` (None when outside the scope)."""
    for root in sorted(top_organizations(user), key=lambda r: r.depth):
        if org.path.startswith(root.path):
            return root
    return None


def chooser_organizations(user, org: Organization, root: Organization, levels: int) -> list[Organization]:
    """The organisations an organisation chooser offers, in tree order, one query: each of `user`'s
    scope roots with `levels` levels below it, plus the children of every step from `root` (`org`'s
    scope root) down to `org`, so any organisation in scope is reachable one level at a time without
    listing a whole subtree. Callers check that `org` lies under `root`."""
    condition = Q(pk__in=[])
    for top in top_organizations(user):
        condition |= Q(path__startswith=top.path, depth__lte=top.depth + levels)
    for path in org.ancestor_paths()[root.depth - 1:]:
        condition |= Q(path__startswith=path, depth=len(path) // Organization.steplen + 1)
    return list(Organization.objects.filter(condition).order_by("path"))


def trail(org: Organization, root: Organization) -> list[Organization]:
    """The organisations from `root` down to `org` (both included), one query: the breadcrumb."""
    paths = org.ancestor_paths()[root.depth - 1:-1]
    return [*Organization.objects.filter(path__in=paths).order_by("path"), org]


def members_today(org: Organization, day: dt.date | None = None) -> tuple[object, QuerySet[TraineeProfile]]:
    """(the day's daily lesson, the organisation's own trainees annotated `done` — finished the lesson).
    Without a lesson that day every `done` is False."""
    day = day or timezone.localdate()
    lesson = cms.daily_lesson_for(day)
    members = (TraineeProfile.objects.filter(organization=org, user__is_active=True)
               .select_related("user", "organization").order_by("real_name", "pk"))
    if lesson is None:
        return None, members.annotate(done=Value(False, output_field=BooleanField()))
    return lesson, members.annotate(done=_finished(lesson))


def trainee_count(org: Organization) -> int:
    """Active trainees in `org`'s subtree right now (the 今日未学 empty state says which case it is)."""
    return TraineeProfile.objects.filter(organization__path__startswith=org.path, user__is_active=True).count()
