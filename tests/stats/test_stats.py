"""Statistics rollups (组织每日统计): the rollup equals a direct count of the ledger and the profiles
(including ancestors, the day boundary at Shanghai midnight, the daily points cap, late joiners,
deactivated trainees and users without a profile), the incremental refresh equals a rebuild, the
the query count does not grow with the number of organisations, and the class
figures."""

import datetime as dt
import math
import random
from collections import defaultdict
from decimal import Decimal
from itertools import count

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.models import DailyLessonPage
from core.models import JobRun
from learning import rules
from learning.models import Enrollment, LedgerEntry, TrainingClass
from orgs.api import Organization, TraineeProfile
from stats import services as stats
from stats.models import ClassStats, OrgDailyStats
from tests.cms.factories import daily_lesson
from tests.helpers import org
from tests.stats.builders import MONDAY, SH, add_entry, at, make_trainee

pytestmark = pytest.mark.django_db
WINDOW = [MONDAY + dt.timedelta(days=n) for n in range(-1, 5)]  # Sunday 06-14 .. Friday 06-19
KINDS = [kind for kind, _ in LedgerEntry.Kind.choices]
_object_ids = count(70_000_000)


def lessons_for(days) -> dict[dt.date, int]:
    return {day: (DailyLessonPage.objects.filter(lesson_date=day).first() or daily_lesson(day)).pk for day in days}


def rows(days) -> dict[tuple[int, dt.date], dict]:
    """The rollup rows of `days` without their bookkeeping (computed_at)."""
    return {(row["organization_id"], row["date"]): {k: v for k, v in row.items() if k not in ("organization_id", "date")}
            for row in OrgDailyStats.objects.filter(date__in=list(days)).values("organization_id", "date", *stats.FIGURES)}


def direct_count(day: dt.date) -> dict[int, dict]:
    """A second, deliberately simple implementation: walk every profile and every ledger entry in Python.

    A trainee counts on `day` when their account is active and was created before the day's end (Asia/
    Shanghai); their entries of that local day count, points capped per trainee per day; each figure is
    credited to their organisation and to every ancestor (treebeard's get_ancestors, not path prefixes).
    """
    end = at(day, dt.time.min) + dt.timedelta(days=1)
    lesson = DailyLessonPage.objects.filter(lesson_date=day, live=True).first()
    cap = rules.rule("daily_points_cap")
    counted = {p.user_id: p for p in TraineeProfile.objects.select_related("user", "organization")
               if p.user.is_active and p.user.date_joined < end}
    per_user: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in LedgerEntry.objects.all():
        if entry.user_id in counted and entry.occurred_at.astimezone(SH).date() == day:
            per_user[entry.user_id].append(entry)
    chain = {o.pk: {o.pk, *(a.pk for a in o.get_ancestors())} for o in Organization.objects.all()}
    result: dict[int, dict] = {}
    for user_id, profile in counted.items():
        entries = per_user.get(user_id, [])
        own = {
            "trainees": 1,
            "active_trainees": 1 if entries else 0,
            "daily_done": int(any(e.kind == "daily" and lesson and e.object_id == lesson.pk for e in entries)),
            "credit_hours": sum((e.credit_hours for e in entries), Decimal("0")),
            "points": min(sum(e.points for e in entries), cap),
            **{field: sum(1 for e in entries if e.kind == kind) for kind, field in stats.COUNT_FIELDS.items()},
        }
        for org_id in chain[profile.organization_id]:
            target = result.setdefault(org_id, dict.fromkeys(stats.FIGURES, 0))
            for field, value in own.items():
                target[field] += value
    return result


def assert_rollup_matches_direct_count(days):
    for day in days:
        expected = direct_count(day)
        actual = {org_id: figures for (org_id, d), figures in rows([day]).items()}
        assert actual.keys() == expected.keys(), day
        for org_id, figures in expected.items():
            assert actual[org_id] == figures, (day, Organization.objects.get(pk=org_id).name)


@pytest.fixture
def cast():
    """Trainees for the property test: at several depths and in both cities, a late joiner (joined at
    midday Tuesday, and one at exactly Tuesday 00:00), a deactivated trainee, a user without a profile."""
    grid = org("2201040101").add_child(name="第一网格", code="220104010101", level=Organization.Level.GRID)
    org("220104").add_child(name="无学员街道", code="22010499", level=Organization.Level.STREET)
    tuesday = MONDAY + dt.timedelta(days=1)
    return [
        make_trainee("st-home-a", org("2201040101")),
        make_trainee("st-home-b", org("2201040101")),
        make_trainee("st-grid", grid),
        make_trainee("st-hongqi", org("2201040102")),
        make_trainee("st-late", org("2201020101"), joined=at(tuesday, dt.time(12))),
        make_trainee("st-midnight", org("2201040201"), joined=at(tuesday, dt.time.min)),
        make_trainee("st-gone", org("2202040101"), active=False),
        make_trainee("st-noprofile", None),
    ]


TIMES = [dt.time(0, 0), dt.time(0, 0, 1), dt.time(7, 59, 59), dt.time(8, 0), dt.time(10, 30), dt.time(16),
         dt.time(23, 59, 59)]
activity = st.tuples(
    st.integers(min_value=0, max_value=7),  # which of the cast
    st.integers(min_value=0, max_value=len(WINDOW) - 1),  # which day
    st.sampled_from(TIMES),  # around both Shanghai midnight and UTC midnight (08:00 in Shanghai)
    st.sampled_from(KINDS),
    st.integers(min_value=0, max_value=7),  # points: several a day exceed the cap of 10
    st.sampled_from(["0", "0.25", "0.5", "1.25"]),
    st.booleans(),  # a daily entry: that day's lesson, or catching up on another day's
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(activities=st.lists(activity, min_size=0, max_size=30))
def test_the_rollup_equals_a_direct_count_of_the_ledger(cast, activities):
    lessons = lessons_for(WINDOW[1:4])  # Monday to Wednesday have a lesson; Thursday, Friday and Sunday none
    catch_up = lessons_for([MONDAY - dt.timedelta(days=7)])[MONDAY - dt.timedelta(days=7)]
    LedgerEntry.objects.filter(user__in=cast).delete()
    OrgDailyStats.objects.all().delete()
    dailies = set()
    for who, day_index, time, kind, points, hours, own_lesson in activities:
        day = WINDOW[day_index]
        object_id = None
        if kind == "daily":
            object_id = lessons.get(day, catch_up) if own_lesson else catch_up
            if (who, object_id) in dailies:
                continue
            dailies.add((who, object_id))
        add_entry(cast[who], at(day, time), kind, hours=hours, points=points, object_id=object_id)
    for day in WINDOW:
        stats.stats_rebuild_day(day)
    assert_rollup_matches_direct_count(WINDOW)


def test_a_busy_week_equals_the_direct_count_and_ancestors_add_up(cast):
    rng = random.Random(20260615)
    lessons = lessons_for(WINDOW[1:4])
    for _ in range(300):
        who, day, time = rng.randrange(8), rng.choice(WINDOW), rng.choice(TIMES)
        kind = rng.choice(KINDS)
        object_id = lessons.get(day) if kind == "daily" else None
        if kind == "daily" and (object_id is None or LedgerEntry.objects.filter(
                user=cast[who], kind="daily", object_id=object_id).exists()):
            continue
        add_entry(cast[who], at(day, time), kind, hours=rng.choice(["0.25", "0.5"]), points=rng.randrange(8),
                  object_id=object_id)
    for day in WINDOW:
        stats.stats_rebuild_day(day)
    assert_rollup_matches_direct_count(WINDOW)

    tuesday = rows([MONDAY + dt.timedelta(days=1)])
    day = MONDAY + dt.timedelta(days=1)
    province, street = org("22"), org("22010401")
    children = Organization.objects.filter(path__startswith=street.path, depth=street.depth + 1)
    street_row = tuesday[(street.pk, day)]
    for field in stats.FIGURES:  # a parent is exactly the sum of its children (no own members here)
        assert street_row[field] == sum(tuesday.get((c.pk, day), {}).get(field, 0) for c in children), field
    assert tuesday[(province.pk, day)]["points"] <= 10 * tuesday[(province.pk, day)]["active_trainees"]
    assert (org("22010499").pk, day) not in tuesday  # an organisation without trainees has no row
    gone = org("2202040101")  # only the deactivated trainee lives there: no row, however busy they were
    assert (gone.pk, day) not in tuesday


def test_a_deactivated_trainees_activity_does_not_count():
    user = make_trainee("st-leaver", org("2202040102"))
    add_entry(user, at(MONDAY, dt.time(10)), "lesson")
    stats.stats_rebuild_day(MONDAY)
    assert rows([MONDAY])[(org("2202040102").pk, MONDAY)]["active_trainees"] == 1
    user.is_active = False
    user.save()
    stats.stats_rebuild_day(MONDAY)
    for row in OrgDailyStats.objects.filter(date=MONDAY):
        assert row.active_trainees <= row.trainees  # a participation rate never exceeds 100 %
    assert not OrgDailyStats.objects.filter(date=MONDAY, organization=org("2202040102")).exists()


def test_rows_of_an_organisation_left_without_trainees_go_even_within_one_clock_tick():
    user = make_trainee("st-mover", org("2202040202"))  # 松江社区: no demo trainee joined on or before MONDAY
    add_entry(user, at(MONDAY, dt.time(10)), "lesson", hours="1", points=3)
    with time_machine.travel(at(MONDAY, dt.time(18)), tick=False):  # both runs get the same timestamp
        stats.stats_rebuild_day(MONDAY)
        before = rows([MONDAY])
        assert before[(org("2202040202").pk, MONDAY)]["trainees"] == 1
        TraineeProfile.objects.filter(user=user).update(organization=org("2201040102"))
        stats.stats_rebuild_day(MONDAY)
    after = rows([MONDAY])
    for code in ("2202040202", "22020402", "220204", "2202"):  # the community and the ancestors it alone filled
        assert (org(code).pk, MONDAY) in before
        assert (org(code).pk, MONDAY) not in after, code
    assert after[(org("2201040102").pk, MONDAY)]["credit_hours"] == Decimal("1")
    assert after[(org("22").pk, MONDAY)] == before[(org("22").pk, MONDAY)]  # the province saw a move, not a change
    assert_rollup_matches_direct_count([MONDAY])


def test_a_day_with_no_activity_and_no_trainees_removes_old_rows():
    user = make_trainee("st-brief", org("2201040202"))
    add_entry(user, at(MONDAY, dt.time(9)))
    stats.stats_rebuild_day(MONDAY)
    assert OrgDailyStats.objects.filter(date=MONDAY).exists()
    user.delete()
    assert stats.stats_rebuild_day(MONDAY) == 0
    assert not OrgDailyStats.objects.filter(date=MONDAY).exists()


# --- the incremental refresh equals a rebuild ------------------------------------------------------------


def test_incremental_refreshes_equal_the_rebuild_command(cast, monkeypatch):
    """The refresh keeps a cursor over ledger ids and re-reads a safety window below it, so an entry that
    committed late with a lower id still gets its day recomputed. The window is shrunk to 20 ids here
    (10,000 in production) so that ids can be placed inside and outside it."""
    monkeypatch.setattr(stats, "SAFETY_IDS", 20)
    # The demo history's entries lie below the cursor and outside the window: only this test's entries count.
    base = (LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1_000_000
    JobRun.objects.update_or_create(name=stats.REFRESH_JOB, defaults={"cursor": base})
    home_a, home_b, grid, hongqi, late, midnight, _gone, _none = cast
    thursday = MONDAY + dt.timedelta(days=3)
    tuesday, wednesday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    lessons = lessons_for([thursday])
    days = [tuesday, wednesday, thursday]
    with time_machine.travel(at(thursday, dt.time(10)), tick=False):
        add_entry(home_a, at(thursday, dt.time(8, 40)), "daily", object_id=lessons[thursday], pk=base + 1)
        add_entry(home_a, at(thursday, dt.time(9)), "lesson", points=9, pk=base + 2)
        add_entry(home_b, at(thursday, dt.time(0, 0, 1)), "case", pk=base + 3)
        assert stats.stats_refresh() == [thursday]
        assert JobRun.objects.get(name=stats.REFRESH_JOB).cursor == base + 3
        assert stats.stats_refresh() == [thursday]  # nothing new: today only, the cursor stays
        assert JobRun.objects.get(name=stats.REFRESH_JOB).cursor == base + 3

        add_entry(hongqi, at(tuesday, dt.time(23, 59, 59)), "quiz", pk=base + 10)  # an earlier day
        add_entry(grid, at(thursday, dt.time(9, 30)), "journal", hours="0.25", points=1, pk=base + 11)
        assert stats.stats_refresh() == [tuesday, thursday]

        # A transaction that took its id (base + 5) before the last run but committed after it.
        add_entry(late, at(wednesday, dt.time(16)), "course", points=5, pk=base + 5)
        assert wednesday in stats.stats_refresh()
        assert JobRun.objects.get(name=stats.REFRESH_JOB).cursor == base + 11

        add_entry(home_a, at(thursday, dt.time(9, 50)), "lesson", points=7, pk=base + 100)  # over the cap
        add_entry(midnight, at(thursday, dt.time(9, 55)), "lesson", pk=base + 101)
        assert stats.stats_refresh() == days  # the window below the old cursor still holds every entry
        assert JobRun.objects.get(name=stats.REFRESH_JOB).cursor == base + 101
        assert stats.stats_refresh() == [thursday]  # now the older ids have left the window

        incremental = rows(days)
        assert incremental[(org("2201040101").pk, thursday)]["points"] == 10 + 2 + 1  # capped, case, grid journal
        call_command("stats_rebuild", "--date", thursday.isoformat(), "--days", "3", verbosity=0)
        assert rows(days) == incremental
    assert_rollup_matches_direct_count(days)


# --- cost ----------------------------------------------------------------------------------------------


def _bulk_communities(n: int) -> list[Organization]:
    """`n` communities under a new street, written in bulk (treebeard's add_child costs queries each)."""
    street = org("220104").add_child(name=f"批量街道{n}", code=f"9{n:05d}", level=Organization.Level.STREET)
    children = [Organization(path=Organization._get_path(street.path, street.depth + 1, i + 1),
                             depth=street.depth + 1, numchild=0, name=f"社区{i}", code=f"9{n:05d}{i:05d}",
                             level=Organization.Level.COMMUNITY) for i in range(n)]
    Organization.objects.bulk_create(children, batch_size=500)
    Organization.objects.filter(pk=street.pk).update(numchild=n)
    return list(Organization.objects.filter(code__startswith=f"9{n:05d}", depth=street.depth + 1))


def _bulk_trainees(orgs: list[Organization], prefix: str, day: dt.date) -> None:
    joined = at(day, dt.time(6))
    users = User.objects.bulk_create([User(username=f"{prefix}{i}", password="!", date_joined=joined)
                                      for i in range(len(orgs))], batch_size=500)
    if not users[0].pk:  # backends that do not return ids from a bulk insert
        users = list(User.objects.filter(username__startswith=prefix).order_by("id"))
    TraineeProfile.objects.bulk_create([TraineeProfile(user=u, real_name=f"学员{i}", organization=o)
                                        for i, (u, o) in enumerate(zip(users, orgs, strict=True))], batch_size=500)
    LedgerEntry.objects.bulk_create([LedgerEntry(user=u, kind="lesson", object_id=next(_object_ids), title="测试",
                                                 credit_hours=Decimal("0.5"), points=2, occurred_at=at(day, dt.time(9)))
                                     for u in users], batch_size=500)


def _rebuild_queries(n: int, day: dt.date) -> tuple[int, int]:
    _bulk_trainees(_bulk_communities(n), f"stq{n}-", day)
    with CaptureQueriesContext(connection) as ctx:
        written = stats.stats_rebuild_day(day)
    return len(ctx.captured_queries), written


def test_the_rollup_query_count_does_not_grow_with_the_organisations():
    small_queries, small_rows = _rebuild_queries(10, MONDAY)
    large_queries, large_rows = _rebuild_queries(1000, MONDAY - dt.timedelta(days=1))  # the first ten joined later
    assert (small_rows, large_rows) == (10 + 4, 1000 + 4)  # the communities, their street and its 3 ancestors

    # The only growth allowed: the INSERT batches of the upsert (one statement per 2,000 rows on
    # PostgreSQL; SQLite splits by its bound-parameter limit).
    fields = [f for f in OrgDailyStats._meta.concrete_fields if not f.primary_key]
    per_batch = min(2000, connection.ops.bulk_batch_size(fields, [None] * 2000) or 2000)
    batches = math.ceil(large_rows / per_batch) - math.ceil(small_rows / per_batch)
    print(f"stats_rebuild_day queries: {small_queries} for {small_rows} rows, {large_queries} for {large_rows} rows "
          f"({connection.vendor}, {per_batch} rows per INSERT)")
    assert large_queries - small_queries == batches, (small_queries, large_queries, batches)
    assert small_queries <= 8


# --- training classes -----------------------------------------------------------------------------------


def test_class_stats_members_completed_and_no_average_without_exams():
    training_class = TrainingClass.objects.get(name="2026年红旗街道社区工作者线上集中培训班")
    outsider = User.objects.get(username="trainee01")  # not in 红旗街道, named individually
    training_class.member_users.add(outsider)
    subtree = [o.path for o in training_class.member_organizations.all()]
    members = {p.user_id for p in TraineeProfile.objects.select_related("organization")
               if any(p.organization.path.startswith(path) for path in subtree)} | {outsider.pk}
    course_ids = list(training_class.courses.values_list("pk", flat=True))
    assert course_ids and len(members) > 2

    stats.class_stats_rebuild(class_ids=[training_class.pk])
    row = ClassStats.objects.get(training_class=training_class)
    assert (row.members, row.completed, row.average_score) == (len(members), 0, None)

    finisher, halfway = sorted(members)[:2]
    now = at(MONDAY, dt.time(12))
    for user_id, courses in ((finisher, course_ids), (halfway, course_ids[:-1])):
        for course_id in course_ids:
            Enrollment.objects.get_or_create(user_id=user_id, course_id=course_id,
                                             defaults={"source": Enrollment.Source.CLASS})
        Enrollment.objects.filter(user_id=user_id, course_id__in=courses).update(completed_at=now)
    stats.class_stats_rebuild(class_ids=[training_class.pk])
    row.refresh_from_db()
    assert (row.members, row.completed, row.average_score) == (len(members), 1, None)


def test_the_first_refresh_after_installing_rolls_up_today_only_and_starts_its_cursor(cast, monkeypatch):
    """A college installed onto a year of ledger must not have its first 3-minute task recompute a year;
    the history is `stats_rebuild --days N`. From then on, the cursor catches up every new entry."""
    monkeypatch.setattr(stats, "SAFETY_IDS", 1)  # keep the demo history out of the re-read window
    JobRun.objects.filter(name=stats.REFRESH_JOB).delete()
    home_a = cast[0]
    thursday = MONDAY + dt.timedelta(days=3)
    with time_machine.travel(at(thursday, dt.time(10)), tick=False):
        add_entry(home_a, at(MONDAY, dt.time(9)), "lesson")  # history from before the install
        assert stats.stats_refresh() == [thursday]
        assert JobRun.objects.get(name=stats.REFRESH_JOB).cursor == LedgerEntry.objects.order_by("-id")[0].pk
        assert not OrgDailyStats.objects.filter(date=MONDAY).exists()
        add_entry(home_a, at(MONDAY, dt.time(11)), "case")  # a late entry for that day, after the install
        assert stats.stats_refresh() == [MONDAY, thursday]
    assert OrgDailyStats.objects.filter(date=MONDAY, organization=home_a.profile.organization).exists()
