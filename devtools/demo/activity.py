"""Demo learning history: 30 days of ledger entries for trainee11..trainee30, so the statistics
dashboard has a trend to show on `make run`.

Each trainee has a habit (how often they do the workday 八点半课堂, at what time of day, how often they
also read a case), drawn from a random generator seeded with their number, so every load produces the
same history. Entries are bulk-created with their progress rows (no growth refresh per entry), then
the day rollups and growth records are rebuilt once. Idempotent: a trainee who already has any ledger
entry is left alone. `trainee` (张小梅) and trainee01..10 get no history: tests start from them fresh.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.models import CasePage, DailyLessonPage
from core.api import local_days
from growth.services import growth_rebuild
from learning import rules
from learning.models import LedgerEntry, LessonProgress
from stats.services import stats_rebuild_day

HISTORY_DAYS = 30
USERNAMES = [f"trainee{n:02d}" for n in range(11, 31)]
DEMO_TRAINEES = ["trainee", *(f"trainee{n:02d}" for n in range(1, 31))]
# (share of workday lessons done, share of days a case is read as well, usual hour of study)
HABITS = [(0.95, 0.30, 8), (0.85, 0.15, 12), (0.70, 0.20, 20), (0.50, 0.10, 9), (0.30, 0.25, 21), (0.10, 0.05, 13)]
DAILY_SECONDS, CASE_SECONDS = 300.0, 180.0


def _moment(rng: random.Random, day: dt.date, hour: int) -> dt.datetime:
    """A moment of study on `day` around `hour`, never past that day's last minute (a 23:xx habit
    would otherwise credit a lesson on the next day)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(hour, 40 if hour == 8 else 0), tzinfo=zone)
    moment = start + dt.timedelta(minutes=rng.randrange(0, 110), seconds=rng.randrange(60))
    return min(moment, dt.datetime.combine(day, dt.time(23, 59), tzinfo=zone))


def ensure_activity(now: dt.datetime) -> int:
    """Create the history once; returns the number of ledger entries created."""
    users = list(get_user_model().objects.filter(username__in=USERNAMES, profile__isnull=False)
                 .exclude(ledger__isnull=False).order_by("username"))
    if not users:
        return 0
    today = timezone.localdate(now)
    first = today - dt.timedelta(days=HISTORY_DAYS - 1)
    start, _open = local_days(first, None)
    # The rollups count a trainee from the day their account was created: the demo trainees (with or
    # without history) were there all along, so every day of the trend has the same denominator.
    get_user_model().objects.filter(username__in=DEMO_TRAINEES, date_joined__gte=start).update(
        date_joined=start - dt.timedelta(days=60))

    lessons = {page.lesson_date: page for page in DailyLessonPage.objects.live().filter(
        lesson_date__range=(first, today))}
    cases = list(CasePage.objects.live().order_by("path"))
    daily_hours, daily_points = rules.daily_credit()
    case_hours, case_points = rules.case_credit()
    entries, progress = [], []
    for user in users:
        number = int(user.username.removeprefix("trainee"))
        rng = random.Random(number)
        lesson_share, case_share, hour = rng.choice(HABITS)  # neighbours in a community differ
        unread = cases[:]
        rng.shuffle(unread)
        for offset in range(HISTORY_DAYS):
            day = first + dt.timedelta(days=offset)
            lesson = lessons.get(day)
            when = _moment(rng, day, hour + rng.choice((0, 0, 0, 1, 2)))
            if lesson is not None and rng.random() < lesson_share:
                if when <= now and (lesson.go_live_at is None or when >= lesson.go_live_at):
                    entries.append(LedgerEntry(user=user, kind=LedgerEntry.Kind.DAILY, object_id=lesson.pk,
                                               title=lesson.title, credit_hours=daily_hours, points=daily_points,
                                               occurred_at=when))
                    progress.append(LessonProgress(user=user, page_id=lesson.pk, position_seconds=DAILY_SECONDS,
                                                   effective_seconds=DAILY_SECONDS, completed_at=when))
            if unread and rng.random() < case_share:
                case, read_at = unread.pop(), when + dt.timedelta(minutes=rng.randrange(5, 30))
                if read_at <= now:
                    entries.append(LedgerEntry(user=user, kind=LedgerEntry.Kind.CASE, object_id=case.pk,
                                               title=case.title, credit_hours=case_hours, points=case_points,
                                               occurred_at=read_at))
                    progress.append(LessonProgress(user=user, page_id=case.pk, position_seconds=0,
                                                   effective_seconds=CASE_SECONDS, completed_at=read_at))
    LedgerEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=500)
    LessonProgress.objects.bulk_create(progress, ignore_conflicts=True, batch_size=500)
    for offset in range(HISTORY_DAYS):
        stats_rebuild_day(first + dt.timedelta(days=offset))
    user_ids = [u.pk for u in users]
    for year in sorted({first.year, today.year}):
        growth_rebuild(user_ids=user_ids, year=year)
    return LedgerEntry.objects.filter(user_id__in=user_ids).count()
