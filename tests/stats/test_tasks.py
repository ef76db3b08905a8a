"""The stats_rebuild command refuses bad input and writes nothing; the Celery tasks record their runs,
and the overnight finalise catches what the refresh cannot see."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command

from core.models import JobRun
from learning.models import LedgerEntry
from stats import services as stats
from stats.models import ClassStats, OrgDailyStats
from stats.tasks import stats_finalise_task, stats_refresh_task
from tests.helpers import org
from tests.stats.builders import MONDAY, add_entry, at, make_trainee

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2026/06/15"], "日期格式应为 YYYY-MM-DD"),
    (["--date", "2026-02-30"], "日期格式应为 YYYY-MM-DD"),
    (["--date", "2026-06-16"], "不能重建未来日期的统计"),
    (["--date", "2026-06-15", "--days", "0"], "--days 应在 1 到 3660 之间"),
])
def test_the_command_refuses_bad_input_and_writes_nothing(args, message):
    user = make_trainee("st-cmd", org("2201040101"))
    add_entry(user, at(MONDAY, dt.time(10)))
    before = list(OrgDailyStats.objects.order_by("pk").values()), list(ClassStats.objects.order_by("pk").values())
    with time_machine.travel(at(MONDAY, dt.time(20)), tick=False):
        with pytest.raises(CommandError, match=message):
            call_command("stats_rebuild", *args)
    assert not OrgDailyStats.objects.filter(date__year=2026, date__month=6).exists()
    after = list(OrgDailyStats.objects.order_by("pk").values()), list(ClassStats.objects.order_by("pk").values())
    assert after == before  # the demo history's rows untouched too


def test_the_command_rebuilds_a_range_of_days():
    user = make_trainee("st-range", org("2201040101"))
    add_entry(user, at(MONDAY, dt.time(10)))
    with time_machine.travel(at(MONDAY + dt.timedelta(days=2), dt.time(20)), tick=False):
        call_command("stats_rebuild", "--date", (MONDAY + dt.timedelta(days=1)).isoformat(), "--days", "2",
                     verbosity=0)
    written = set(OrgDailyStats.objects.filter(date__lt=MONDAY + dt.timedelta(days=7)).values_list("date", flat=True))
    assert written == {MONDAY, MONDAY + dt.timedelta(days=1)}
    assert OrgDailyStats.objects.get(organization=org("2201040101"), date=MONDAY).lessons_completed == 1


def test_the_refresh_task_runs_through_celery_and_records_its_run():
    user = make_trainee("st-task", org("2201040102"))
    entry = add_entry(user, at(MONDAY, dt.time(9)), "lesson", hours="0.5", points=2)
    with time_machine.travel(at(MONDAY, dt.time(10)), tick=False):
        days = stats_refresh_task.delay().get()
    assert MONDAY.isoformat() in days  # with the demo history's days (a first run reads the whole ledger)
    job = JobRun.objects.get(name=stats.REFRESH_JOB)
    assert job.runs == 1 and job.failures == 0
    assert job.last_success_at == at(MONDAY, dt.time(10))
    assert job.cursor == entry.pk == LedgerEntry.objects.order_by("-id").first().pk
    row = OrgDailyStats.objects.get(organization=org("2201040102"), date=MONDAY)
    assert (row.active_trainees, row.lessons_completed, row.credit_hours) == (1, 1, Decimal("0.5"))



def test_the_overnight_finalise_recomputes_yesterday_when_the_refresh_does_not(monkeypatch):
    """The refresh recomputes a past day only while one of that day's ledger entries is in its id window.
    A trainee who joined in the last minutes before midnight, after the refresh's last run of the day,
    changes that day's 学员数 without writing an entry: only the 00:20 finalise puts them in."""
    monkeypatch.setattr(stats, "SAFETY_IDS", 1)  # keep the demo history out of the re-read window
    JobRun.objects.filter(name=stats.REFRESH_JOB).delete()
    community = org("2201040101")
    sunday = MONDAY - dt.timedelta(days=1)  # no ledger entries on it
    make_trainee("st-early-joiner", community)  # the demo accounts joined after that Sunday
    with time_machine.travel(at(sunday, dt.time(23, 57)), tick=False):
        assert stats.stats_refresh() == [sunday]
    before = OrgDailyStats.objects.get(organization=community, date=sunday).trainees
    make_trainee("st-late-joiner", community, joined=at(sunday, dt.time(23, 59)))
    with time_machine.travel(at(MONDAY, dt.time(0, 3)), tick=False):
        assert sunday not in stats.stats_refresh()
    assert OrgDailyStats.objects.get(organization=community, date=sunday).trainees == before
    with time_machine.travel(at(MONDAY, dt.time(0, 20)), tick=False):
        assert stats_finalise_task.delay().get() == sunday.isoformat()
    assert OrgDailyStats.objects.get(organization=community, date=sunday).trainees == before + 1
    job = JobRun.objects.get(name="stats-finalise")
    assert job.runs == 1 and job.failures == 0 and job.last_success_at == at(MONDAY, dt.time(0, 20))
