"""The demo college comes with 30 days of learning history, so the statistics have a trend to show."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from cms.models import DailyLessonPage
from growth.models import GrowthRecord
from learning.models import LedgerEntry, LessonProgress
from orgs.api import Organization
from stats.models import OrgDailyStats

pytestmark = pytest.mark.django_db


def test_history_covers_trainee11_to_30_over_thirty_days():
    entries = LedgerEntry.objects.filter(user__username__regex=r"^trainee(1[1-9]|2\d|30)$")
    assert entries.filter(kind=LedgerEntry.Kind.DAILY).exists() and entries.filter(kind=LedgerEntry.Kind.CASE).exists()
    today = timezone.localdate()
    span = entries.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    assert timezone.localdate(span["first"]) >= today - dt.timedelta(days=29)
    assert span["last"] <= timezone.now()
    # Habits differ: some trainees did many more daily lessons than others.
    counts = list(entries.filter(kind=LedgerEntry.Kind.DAILY).values("user").annotate(n=Count("id"))
                  .values_list("n", flat=True))
    assert max(counts) >= 3 * max(min(counts), 1)
    # Every daily completion is of that day's lesson, on a workday, after 08:30, with its progress row.
    lesson_dates = dict(DailyLessonPage.objects.values_list("pk", "lesson_date"))
    for entry in entries.filter(kind=LedgerEntry.Kind.DAILY).select_related("user"):
        local = timezone.localtime(entry.occurred_at)
        assert local.time() >= dt.time(8, 30)
        assert local.date() == lesson_dates[entry.object_id]  # a 23:xx habit does not spill into tomorrow
        assert LessonProgress.objects.get(user=entry.user, page_id=entry.object_id).completed_at == entry.occurred_at
    # 张小梅 and trainee01..10 start fresh.
    assert not LedgerEntry.objects.filter(user__username__regex=r"^trainee(0\d|10)?$").exists()


def test_rollups_and_growth_records_follow():
    root = Organization.get_root_nodes().get()
    today = timezone.localdate()
    rows = OrgDailyStats.objects.filter(organization=root, date__gte=today - dt.timedelta(days=29))
    assert rows.filter(active_trainees__gt=0).count() >= 10
    assert rows.filter(daily_done__gt=0).exists()
    assert all(row.trainees >= 31 for row in rows)  # the demo trainees count on every day of the trend
    assert GrowthRecord.objects.filter(user__username="trainee11").exists() or not LedgerEntry.objects.filter(
        user__username="trainee11", occurred_at__year=today.year).exists()


def test_loading_again_adds_no_history():
    before = LedgerEntry.objects.count()
    call_command("load_demo_data", "--skip-index", verbosity=0)
    assert LedgerEntry.objects.count() == before
