"""Reminders and notifications: who is told what, never twice, only on workdays, at any scale."""

import datetime as dt
import smtplib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import DailyLessonPage
from core.models import JobRun, WorkdayOverride
from learning import reminders
from learning.models import Enrollment, LedgerEntry, LessonProgress, TrainingClass
from learning.services import ledger_record
from learning.tasks_reminders import (
    EmailNotDelivered,
    _checked,
    admin_summary_task,
    class_deadline_task,
    daily_out_task,
    daily_reminder_task,
)
from notifications.models import Notification, NotificationPreference
from notifications.services import email_opt_out_set, notify
from orgs.api import Organization, TraineeProfile
from tests.cms.factories import daily_lesson

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
WORKDAY = dt.date(2026, 6, 15)  # a Monday and a workday in the official calendar
DEMO_CLASS = "2026年红旗街道社区工作者线上集中培训班"
STREET_CODE, DISTRICT_CODE = "22010401", "220104"  # 红旗街道, 朝阳区


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _lesson(day: dt.date) -> DailyLessonPage:
    return DailyLessonPage.objects.filter(lesson_date=day).first() or daily_lesson(day)


def _trainee_ids() -> set[int]:
    return set(TraineeProfile.objects.filter(user__is_active=True).values_list("user_id", flat=True))


def _recipients(reason: str) -> set[int]:
    return set(Notification.objects.filter(reason=reason).values_list("user_id", flat=True))


def _mailed_to() -> list[str]:
    return [address for message in mail.outbox for address in message.to]


@pytest.fixture
def emails():
    """Demo trainees have no e-mail address; give every one of them one."""
    User.objects.filter(profile__isnull=False).update(email=Concat(F("username"), Value("@example.com")))


@pytest.fixture
def demo_class():
    training_class = TrainingClass.objects.get(name=DEMO_CLASS)
    training_class.starts_on = WORKDAY - dt.timedelta(days=30)
    training_class.ends_on = WORKDAY + dt.timedelta(days=3)  # Thursday
    training_class.save()
    return training_class


# --- 08:30 and the afternoon ------------------------------------------------------------------


def test_daily_out_reaches_every_trainee_once_even_when_beat_fires_twice(emails):
    lesson = _lesson(WORKDAY)
    with time_machine.travel(_at(WORKDAY, 8, 30, ), tick=False):
        assert daily_out_task.delay().get() == len(_trainee_ids())
        assert daily_out_task.delay().get() == 0  # beat fired twice: nothing new

    reason = "daily_out:2026-06-15"
    assert _recipients(reason) == _trainee_ids()
    assert Notification.objects.filter(reason=reason).count() == len(_trainee_ids())
    notice = Notification.objects.filter(reason=reason).first()
    assert notice.kind == Notification.Kind.DAILY_OUT and lesson.title in notice.title
    assert notice.url == lesson.url and notice.emailed_at is not None and notice.read_at is None
    mailed = _mailed_to()
    assert len(mailed) == len(set(mailed)) == len(_trainee_ids()), "one e-mail per trainee, never two"
    assert lesson.title in mail.outbox[0].subject and lesson.url in mail.outbox[0].body
    job = JobRun.objects.get(name="daily-out")
    assert (job.runs, job.failures) == (2, 0) and job.last_success_at is not None


def test_daily_out_waits_until_the_lesson_is_live():
    day = dt.date(2031, 3, 3)  # a Monday in a year the official calendar does not know yet
    with time_machine.travel(_at(day, 7, 0), tick=False):
        lesson = daily_lesson(day, schedule=True)  # goes live at 08:30
    with time_machine.travel(_at(day, 8, 29), tick=False):
        daily_out_task.delay()
    assert not Notification.objects.filter(reason="daily_out:2031-03-03").exists()
    with time_machine.travel(_at(day, 8, 31), tick=False):
        call_command("publish_scheduled")
        daily_out_task.delay()
    assert lesson.title in Notification.objects.filter(reason="daily_out:2031-03-03").first().title
    assert _recipients("daily_out:2031-03-03") == _trainee_ids()


def test_afternoon_reminder_goes_only_to_trainees_who_have_not_done_todays_lesson(emails):
    lesson = _lesson(WORKDAY)
    done = list(User.objects.filter(username__in=["trainee", "trainee01"]))
    for user in done:
        LessonProgress.objects.create(user=user, page=lesson, position_seconds=60, completed_at=_at(WORKDAY, 9))
    started = User.objects.get(username="trainee02")  # watched half: still reminded
    LessonProgress.objects.create(user=started, page=lesson, position_seconds=20)

    with time_machine.travel(_at(WORKDAY, 16, 0), tick=False):
        daily_reminder_task.delay()
        daily_reminder_task.delay()

    expected = _trainee_ids() - {u.pk for u in done}
    assert _recipients("daily_reminder:2026-06-15") == expected
    assert started.pk in expected
    assert sorted(_mailed_to()) == sorted(f"{u.username}@example.com" for u in User.objects.filter(pk__in=expected))


@pytest.mark.parametrize("day", [
    dt.date(2026, 6, 13),  # Saturday
    dt.date(2026, 10, 1),  # 国庆节, a Thursday
    dt.date(2027, 1, 9),  # a Saturday in 2027, which chinesecalendar does not know
])
def test_nothing_is_sent_on_a_weekend_or_holiday(day, demo_class):
    _lesson(day)
    demo_class.ends_on = day + dt.timedelta(days=2)
    demo_class.save()
    for hour, task in ((8, daily_out_task), (16, daily_reminder_task), (9, class_deadline_task),
                       (9, admin_summary_task)):
        with time_machine.travel(_at(day, hour, 31), tick=False):
            assert task.delay().get() == 0
    assert not Notification.objects.exists()
    assert JobRun.objects.filter(failures__gt=0).count() == 0
    assert JobRun.objects.filter(name__in=["daily-out", "daily-reminder", "class-deadline", "admin-summary"],
                                 last_success_at__isnull=False).count() == 4


def test_a_holiday_entered_by_an_administrator_stops_the_reminders():
    _lesson(WORKDAY)
    WorkdayOverride.objects.create(date=WORKDAY, is_workday=False, note="临时调整")
    with time_machine.travel(_at(WORKDAY, 16, 0), tick=False):
        daily_out_task.delay()
        daily_reminder_task.delay()
    assert not Notification.objects.exists()


def test_a_2027_workday_is_served():
    day = dt.date(2027, 1, 11)  # a Monday the official calendar does not know: Monday–Friday fallback
    _lesson(day)
    with time_machine.travel(_at(day, 8, 31), tick=False):
        daily_out_task.delay()
    assert _recipients("daily_out:2027-01-11") == _trainee_ids()


# --- e-mail -----------------------------------------------------------------------------------


def test_opted_out_trainees_get_the_notice_but_no_email(emails):
    _lesson(WORKDAY)
    opted_out = User.objects.get(username="trainee01")
    email_opt_out_set(user=opted_out, opt_out=True)
    no_address = User.objects.get(username="trainee02")
    no_address.email = ""
    no_address.save()

    with time_machine.travel(_at(WORKDAY, 8, 31), tick=False):
        daily_out_task.delay()

    assert {opted_out.pk, no_address.pk} <= _recipients("daily_out:2026-06-15")
    mailed = _mailed_to()
    assert "trainee01@example.com" not in mailed and len(mailed) == len(_trainee_ids()) - 2
    assert Notification.objects.get(user=opted_out, reason="daily_out:2026-06-15").emailed_at is None

    email_opt_out_set(user=opted_out, opt_out=False)
    assert NotificationPreference.objects.get(user=opted_out).email_opt_out is False


def test_notify_twice_creates_and_mails_nothing_the_second_time(emails):
    a, b, c, d = User.objects.filter(username__in=["trainee03", "trainee04", "trainee05", "trainee06"]).order_by(
        "username")
    first = notify(user_ids=[a.pk, b.pk], kind=Notification.Kind.CERTIFICATE, reason="test:1", title="获得证书")
    second = notify(user_ids=[a.pk, b.pk], kind=Notification.Kind.CERTIFICATE, reason="test:1", title="获得证书")
    assert (first.created, first.emailed) == (2, 2)
    assert (second.created, second.emailed) == (0, 0)
    assert len(mail.outbox) == 2

    # A racing run already claimed c's e-mail; a crashed run left d's unmailed: only d is mailed now.
    Notification.objects.create(user=c, kind="certificate", reason="test:2", title="x", emailed_at=timezone.now())
    Notification.objects.create(user=d, kind="certificate", reason="test:2", title="x")
    third = notify(user_ids=[c.pk, d.pk], kind=Notification.Kind.CERTIFICATE, reason="test:2", title="x")
    assert (third.created, third.emailed) == (0, 1)
    assert mail.outbox[-1].to == [d.email]

    assert notify(user_ids=[], kind="certificate", reason="test:3", title="x").created == 0
    in_street = TraineeProfile.objects.filter(organization__code__startswith=STREET_CODE).values("user_id")
    assert notify(user_ids=in_street, kind="certificate", reason="test:4", title="x").created == in_street.count()
    with pytest.raises(ValueError):
        notify(user_ids=TraineeProfile.objects.all(), kind="certificate", reason="test:5", title="x")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({})


def test_refused_emails_are_released_for_the_next_run(emails):
    users = [u.pk for u in User.objects.filter(username__in=["trainee03", "trainee04"])]
    with override_settings(EMAIL_BACKEND="tests.learning.test_reminders.RefusingBackend"):
        result = notify(user_ids=users, kind="certificate", reason="test:smtp", title="x")
    assert (result.created, result.emailed, result.email_failed) == (2, 0, 2)
    assert not Notification.objects.filter(reason="test:smtp", emailed_at__isnull=False).exists()
    with pytest.raises(EmailNotDelivered):
        _checked(result)  # the task fails (recorded in JobRun) and Celery retries it

    retry = notify(user_ids=users, kind="certificate", reason="test:smtp", title="x")
    assert (retry.created, retry.emailed, retry.email_failed) == (0, 2, 0)


# --- class deadlines and administrators' summaries ---------------------------------------------


def test_class_deadline_reminder_reaches_each_unfinished_member_once(emails, demo_class):
    street = Organization.objects.get(code=STREET_CODE)
    members = set(TraineeProfile.objects.filter(organization__path__startswith=street.path)
                  .values_list("user_id", flat=True))
    finished = User.objects.get(username="trainee")
    Enrollment.objects.filter(user=finished, course__in=demo_class.courses.all()).update(completed_at=timezone.now())
    assert Enrollment.objects.filter(user=finished, completed_at__isnull=False).count() == 3
    named = User.objects.get(username="trainee07")  # outside the street, named as a member
    assert named.pk not in members
    demo_class.member_users.add(named)
    reason = f"class_deadline:{demo_class.pk}"

    assert reminders.send_class_deadline_reminders(WORKDAY - dt.timedelta(days=3)).created == 0  # 6 days ahead
    assert not Notification.objects.filter(reason=reason).exists()

    result = reminders.send_class_deadline_reminders(WORKDAY)  # three days before the deadline
    expected = (members - {finished.pk}) | {named.pk}
    assert _recipients(reason) == expected and result.created == len(expected)
    assert result.emailed == len(expected)
    notice = Notification.objects.filter(reason=reason).first()
    assert demo_class.name in notice.title and "还剩 3 天" in notice.body

    with time_machine.travel(_at(WORKDAY + dt.timedelta(days=1), 9), tick=False):
        assert class_deadline_task.delay().get() == 0  # the next day: nobody twice
    assert Notification.objects.filter(reason=reason).count() == len(expected)
    assert len(mail.outbox) == len(expected)


def test_class_deadline_reminder_catches_a_class_that_starts_inside_the_window(demo_class):
    demo_class.ends_on = WORKDAY + dt.timedelta(days=1)
    demo_class.save()
    assert reminders.send_class_deadline_reminders(WORKDAY).created > 0
    assert "还剩 1 天" in Notification.objects.filter(reason=f"class_deadline:{demo_class.pk}").first().body


def _credit(username: str, n: int, when: dt.datetime, hours: str, kind=LedgerEntry.Kind.LESSON):
    user = User.objects.get(username=username)
    ledger_record(user_id=user.pk, kind=kind, object_id=9000 + n, title=f"记录 {n}", credit_hours=Decimal(hours),
                  points=1, occurred_at=when)


def _subtree_size(code: str) -> int:
    root = Organization.objects.get(code=code)
    return TraineeProfile.objects.filter(organization__path__startswith=root.path).count()


def test_admin_summary_covers_only_each_administrators_subtree(emails):
    last_week = WORKDAY - dt.timedelta(days=7)  # Monday 2026-06-08
    nanhu = TraineeProfile.objects.filter(organization__code="2201040201").first().user.username  # 南湖街道
    outside = TraineeProfile.objects.exclude(organization__path__startswith=Organization.objects.get(
        code=DISTRICT_CODE).path).first().user.username  # 南关区 or 吉林市
    _credit("trainee", 1, _at(last_week + dt.timedelta(days=1), 9), "0.25", LedgerEntry.Kind.DAILY)
    _credit("trainee", 2, _at(last_week + dt.timedelta(days=2), 20), "1")
    _credit("trainee", 3, _at(WORKDAY, 9), "5")  # this week: not in last week's summary
    _credit(nanhu, 4, _at(last_week + dt.timedelta(days=6), 23, 30), "0.25", LedgerEntry.Kind.DAILY)  # Sunday
    _credit(outside, 5, _at(last_week + dt.timedelta(days=3), 9), "2")

    result = reminders.send_admin_summaries(WORKDAY)
    reason = "admin_summary:2026-W24"
    street_admin, district_admin = User.objects.get(username="street_admin"), User.objects.get(username="district_admin")
    assert _recipients(reason) == {street_admin.pk, district_admin.pk}
    assert result.created == 2

    street = Notification.objects.get(user=street_admin, reason=reason)
    assert street.kind == Notification.Kind.ADMIN_SUMMARY and "6月8日—6月14日" in street.title
    assert f"红旗街道：学员 {_subtree_size(STREET_CODE)} 人，1 人完成过每日一课" in street.body
    assert "共计 1.25 学时" in street.body
    district = Notification.objects.get(user=district_admin, reason=reason)
    assert f"朝阳区：学员 {_subtree_size(DISTRICT_CODE)} 人，2 人完成过每日一课" in district.body
    assert "共计 1.5 学时" in district.body

    assert reminders.send_admin_summaries(WORKDAY).created == 0
    assert reminders.send_admin_summaries(WORKDAY + dt.timedelta(days=1)).created == 0  # same week
    assert reminders.send_admin_summaries(WORKDAY + dt.timedelta(days=7)).created == 2  # the next week's


# --- scale ------------------------------------------------------------------------------------


def _add_trainees(count: int) -> None:
    community = Organization.objects.get(code="2201040101")  # 长山花园社区, a member of the demo class
    users = User.objects.bulk_create([
        User(username=f"bulk{n:03d}", email=f"bulk{n:03d}@example.com", password="!") for n in range(count)
    ])
    TraineeProfile.objects.bulk_create([
        TraineeProfile(user=user, real_name=f"学员{n}", organization=community) for n, user in enumerate(users)
    ])


def _measure(fn, arg) -> tuple[int, int]:
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        result = fn(arg)
    return len(ctx.captured_queries), result.created


def test_query_counts_do_not_grow_with_trainees(emails, demo_class):
    lesson = _lesson(WORKDAY)
    assert lesson.url  # warm the site root paths cache both rounds share
    now = _at(WORKDAY, 16, 0)
    calls = [(reminders.send_daily_out, now), (reminders.send_daily_reminder, now),
             (reminders.send_class_deadline_reminders, WORKDAY), (reminders.send_admin_summaries, WORKDAY)]

    small = [_measure(fn, arg) for fn, arg in calls]
    assert len(_trainee_ids()) == 31
    _add_trainees(100)
    large = [_measure(fn, arg) for fn, arg in calls]

    print("queries (daily out, reminder, class deadline, admin summary):", small, large)
    assert [q for q, _n in small] == [q for q, _n in large], "reminders must cost the same at any scale"
    assert large[0][1] == small[0][1] + 100 and large[1][1] == small[1][1] + 100
    assert large[2][1] == small[2][1] + 100  # the new trainees are in the class's street
    assert max(q for q, _n in large) <= 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_create_and_mail_each_notice_once():
    """Two beat runs at the same moment (PostgreSQL: real concurrent transactions)."""
    import threading

    from django.db import connections

    users = User.objects.bulk_create([
        User(username=f"race{n:03d}", email=f"race{n:03d}@example.com", password="!") for n in range(300)
    ])
    ids = [user.pk for user in users]
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append(notify(user_ids=ids, kind="certificate", reason="race:1", title="并发测试"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sum(r.created for r in results) == 300
    assert sum(r.emailed for r in results) == 300
    assert sorted(_mailed_to()) == sorted(user.email for user in users)
    assert Notification.objects.filter(reason="race:1", emailed_at__isnull=True).count() == 0
