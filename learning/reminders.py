"""Who is reminded of what, and when (提醒): today's lesson is out (08:30), today's lesson is not done yet
(afternoon), a training class ends in three days, and each administrator's weekly summary.

Pure selection plus calls to `notify`: every recipient set is one sub-select, so a reminder costs the
same few queries for 30 or 30,000 trainees. Each reminder's `reason` (per day, per class, per week)
makes it idempotent — beat firing twice, a retried task or a catch-up run sends nothing twice. Every
function does nothing on a day that is not a workday (`core.calendar`, which never raises for a
year the official calendar does not know yet).
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import selectors as cms_selectors
from core.api import calendar as workdays
from learning import membership
from learning.models import Enrollment, LedgerEntry, LessonProgress, TrainingClass
from notifications.api import Notification, NotifyResult, notify, notify_each
from orgs.api import OrgAdminRole, TraineeProfile, rolled_up

DEADLINE_NOTICE_DAYS = 3
ADMIN_SUMMARY_URL = "/admin/trainees/"


def _trainee_ids():
    return TraineeProfile.objects.filter(user__is_active=True).values("user_id")


def _lesson_out_today(now: dt.datetime):
    today = timezone.localdate(now)
    return today, cms_selectors.expected_daily_lesson(today)


def send_daily_out(now: dt.datetime) -> NotifyResult:
    """08:30: tell every trainee that today's lesson is out (only once it is live)."""
    today, lesson = _lesson_out_today(now)
    if lesson is None:
        return NotifyResult()
    body = f"“{lesson.quote}”" + (f"——{lesson.quote_source}" if lesson.quote_source else "")
    return notify(
        user_ids=_trainee_ids(), kind=Notification.Kind.DAILY_OUT, reason=f"daily_out:{today:%Y-%m-%d}",
        title=_("今日一课已发布：%(title)s") % {"title": lesson.title}, body=body, url=lesson.url or "",
    )


def send_daily_reminder(now: dt.datetime) -> NotifyResult:
    """Afternoon: remind the trainees who have not completed today's lesson."""
    today, lesson = _lesson_out_today(now)
    if lesson is None:
        return NotifyResult()
    done = LessonProgress.objects.filter(page_id=lesson.pk, completed_at__isnull=False).values("user_id")
    return remind_not_done(_trainee_ids().exclude(user_id__in=done), today, lesson)


def remind_not_done(user_ids, today: dt.date, lesson) -> NotifyResult:
    """Today's "not done yet" reminder: one reason per day, whoever sends it (the afternoon job or an
    administrator's 「发送提醒」 in stats), so nobody gets it twice."""
    return notify(
        user_ids=user_ids, kind=Notification.Kind.DAILY_REMINDER, reason=f"daily_reminder:{today:%Y-%m-%d}",
        title=_("今天的每日一课还没有学习"),
        body=_("“%(title)s”只需几分钟，学完计入学时和连续学习天数。") % {"title": lesson.title},
        url=lesson.url or "",
    )


def send_class_deadline_reminders(today: dt.date) -> NotifyResult:
    """Members of a class ending within three days whose required courses are not all completed.

    Once per class and member (reason ``class_deadline:<id>``): the first workday inside the window
    sends it, so a class created two days before its end, or a missed run, is still reminded.
    """
    if not workdays.is_workday(today):
        return NotifyResult()
    classes = list(TrainingClass.objects.filter(
        ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=DEADLINE_NOTICE_DAYS), starts_on__lte=today,
    ).order_by("ends_on", "pk"))
    if not classes:
        return NotifyResult()
    ids = [c.pk for c in classes]
    courses, orgs = defaultdict(list), defaultdict(list)
    for class_id, course_id in TrainingClass.courses.through.objects.filter(trainingclass_id__in=ids).values_list(
            "trainingclass_id", "coursepage_id"):
        courses[class_id].append(course_id)
    for class_id, path in TrainingClass.member_organizations.through.objects.filter(
            trainingclass_id__in=ids).values_list("trainingclass_id", "organization__path"):
        orgs[class_id].append(path)
    result = NotifyResult()
    for training_class in classes:
        required = courses[training_class.pk]
        if not required:
            continue
        finished = (
            Enrollment.objects.filter(course_id__in=required, completed_at__isnull=False)
            .values("user_id").annotate(n=Count("course_id", distinct=True)).filter(n__gte=len(required))
            .values("user_id")
        )
        days_left = (training_class.ends_on - today).days
        result += notify(
            user_ids=membership.members(training_class, orgs[training_class.pk]).filter(is_active=True)
            .exclude(pk__in=finished),
            kind=Notification.Kind.CLASS_DEADLINE, reason=f"class_deadline:{training_class.pk}",
            title=_("培训班即将结业：%(name)s") % {"name": training_class.name},
            body=_("结业日期为 %(date)s（%(left)s），你还有必修课程没有完成，请抓紧学习。") % {
                "date": f"{training_class.ends_on.year}年{training_class.ends_on.month}月{training_class.ends_on.day}日",
                "left": _("今天截止") if days_left == 0 else _("还剩 %(n)d 天") % {"n": days_left},
            },
            url="/me/",
        )
    return result


def summary_week(today: dt.date) -> tuple[dt.date, dt.date, str]:
    """The last full ISO week before `today`: (Monday, Sunday, "2026-W47")."""
    monday = today - dt.timedelta(days=today.weekday() + 7)
    iso = monday.isocalendar()
    return monday, monday + dt.timedelta(days=6), f"{iso.year}-W{iso.week:02d}"


def send_admin_summaries(today: dt.date) -> NotifyResult:
    """Weekly: each administrator's subtree last week — trainees, how many did a daily lesson, 学时.

    Sent on the first workday of the week (reason ``admin_summary:<ISO week summarised>``); later runs
    that week find every administrator already served and stop after one query.
    """
    if not workdays.is_workday(today):
        return NotifyResult()
    monday, sunday, week = summary_week(today)
    reason = f"admin_summary:{week}"
    roles = list(
        OrgAdminRole.objects.filter(user__is_active=True)
        .exclude(user__notifications__reason=reason)
        .select_related("organization")
        .order_by("user_id", "organization__path")
    )
    if not roles:
        return NotifyResult()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=7)
    trainees = rolled_up(
        TraineeProfile.objects.filter(user__is_active=True).values("organization__path").annotate(trainees=Count("id"))
        .order_by(),
        "organization__path", ("trainees",),
    )
    activity = rolled_up(
        LedgerEntry.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .values("user__profile__organization__path")
        .annotate(daily_users=Count("user_id", distinct=True, filter=Q(kind=LedgerEntry.Kind.DAILY)),
                  hours=Sum("credit_hours"))
        .order_by(),
        "user__profile__organization__path", ("daily_users", "hours"),
    )
    period = f"{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日"
    lines: dict[int, list[str]] = defaultdict(list)
    for role in roles:
        org = role.organization
        n = trainees.get(org.path, {}).get("trainees", 0)
        figures = activity.get(org.path, {})
        daily, hours = figures.get("daily_users", 0), Decimal(figures.get("hours", 0) or 0)
        share = f"{daily * 100 // n}%" if n else "—"
        lines[role.user_id].append(
            _("%(org)s：学员 %(n)d 人，%(daily)d 人完成过每日一课（%(share)s），共计 %(hours)s 学时。") % {
                "org": org.name, "n": n, "daily": daily, "share": share,
                "hours": f"{hours.normalize():f}" if hours else "0",
            }
        )
    title = _("管理员周报：%(period)s学习情况") % {"period": period}
    messages = {uid: (title, "\n".join(body)) for uid, body in lines.items()}
    return notify_each(kind=Notification.Kind.ADMIN_SUMMARY, reason=reason, messages=messages,
                       url=ADMIN_SUMMARY_URL)
