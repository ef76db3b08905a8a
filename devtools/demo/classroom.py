"""Demo of the offline half (线下集中培训): two teaching bases, and the 红旗街道 class made blended — one
session coming up (open for sign-up) and one last week with attendance, a hand-made mark and evaluations.

Everything is looked up by a stable key (slug, class + title) first, so a second load adds nothing. The
past session's attendance goes through the same services as a real check-in (one ledger credit each);
it is given to trainee16, 17, 28 and 29, who already have a learning history — `trainee` and
trainee01..10 stay fresh for tests.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from classroom import services
from classroom.models import Attendance, CheckinWindow, TrainingSession
from cms.models import HomePage, TeachingBaseIndexPage, TeachingBasePage, Track
from devtools.demo.classes import CLASS_NAME
from devtools.demo.pages import _child, _publish
from growth.services import growth_rebuild
from learning.api import TrainingClass
from stats.services import stats_rebuild_day

BASES = [
    {
        "slug": "changshan-garden", "title": "长山花园社区党群服务中心", "region": "吉林省长春市朝阳区",
        "address": "长春市朝阳区红旗街长山花园小区 6 栋旁", "theme": "党建引领物业服务", "track": "jin-se-lu-xian",
        "summary": "“红心物业”发源地：社区党委、业委会、物业企业三方联动，小区议事会每月一次。",
        "learning_content": "<p>看“三方联动”议事会怎样开，学物业服务评价和居民满意度测评的做法。</p>"
                            "<ul><li>红心物业服务站</li><li>小区议事厅</li><li>网格员工作台账</li></ul>",
        "contact": "王主任 0431-8888xxxx",
    },
    {
        "slug": "nanhu-emergency", "title": "南湖街道应急演练实训基地", "region": "吉林省长春市朝阳区",
        "address": "长春市朝阳区南湖大路 1200 号", "theme": "社区应急处置", "track": "ying-ji-yan-lian",
        "summary": "模拟楼道火情、独居老人突发疾病和汛期转移，按网格编组实操演练。",
        "learning_content": "<p>分组完成“发现—报告—处置—复盘”全流程，学习应急物资清单和独居老人联系卡的使用。</p>",
        "contact": "李科长 0431-8666xxxx",
    },
]
UPCOMING_TITLE = "党建引领物业服务现场教学"
PAST_TITLE = "社区应急处置情景演练"
ATTENDEES = ["trainee16", "trainee17", "trainee29"]  # scanned the code
BY_HAND = "trainee28"  # no phone with them: the trainer marked them
EVALUATIONS = [
    {"content_score": 5, "trainer_score": 5, "organisation_score": 4, "comment": "现场演练很实用，回社区就能用。"},
    {"content_score": 4, "trainer_score": 5, "organisation_score": 4, "comment": "希望增加独居老人走访的情景。"},
    {"content_score": 5, "trainer_score": 4, "organisation_score": 5, "comment": ""},
]


def ensure_teaching_bases() -> dict[str, TeachingBasePage]:
    home = HomePage.objects.get()
    index, created = _child(home, TeachingBaseIndexPage, "bases", title="现场教学实践基地",
                            intro="走进一线阵地，看机制、看成效：按地区和课程体系查找实践基地。")
    if created:
        _publish(index)
    tracks = {track.slug: track for track in Track.objects.all()}
    bases = {}
    for item in BASES:
        fields = {k: v for k, v in item.items() if k not in ("slug", "track")}
        base, created = _child(index, TeachingBasePage, item["slug"], track=tracks.get(item["track"]), **fields)
        if created:
            _publish(base)
        bases[item["slug"]] = base
    return bases


def ensure_permissions() -> None:
    """Administrators schedule the sessions of their classes (the snippet is scoped to their subtree)."""
    admins = Group.objects.filter(name="组织管理员").first()
    if admins:
        admins.permissions.add(*Permission.objects.filter(
            content_type__app_label="classroom",
            codename__in=[f"{action}_trainingsession" for action in ("add", "change", "delete", "view")]))


def ensure_sessions(now: dt.datetime) -> int:
    training_class = TrainingClass.objects.filter(name=CLASS_NAME).first()
    trainer = User.objects.filter(username="trainer").first()
    if training_class is None or trainer is None:
        return 0
    bases = ensure_teaching_bases()
    ensure_permissions()
    today = timezone.localdate(now)
    zone = timezone.get_current_timezone()
    created = 0
    upcoming_start = dt.datetime.combine(today + dt.timedelta(days=7), dt.time(14, 0), tzinfo=zone)
    _session, made = TrainingSession.objects.get_or_create(
        training_class=training_class, title=UPCOMING_TITLE,
        defaults={"kind": TrainingSession.Kind.FIELD, "starts_at": upcoming_start,
                  "ends_at": upcoming_start + dt.timedelta(hours=2, minutes=30), "venue_base": bases["changshan-garden"],
                  "trainer": trainer, "capacity": 30, "signup_open": True, "credit_hours": Decimal("2.5"),
                  "late_after_minutes": 15})
    created += made
    past_start = dt.datetime.combine(today - dt.timedelta(days=7), dt.time(9, 0), tzinfo=zone)
    past, made = TrainingSession.objects.get_or_create(
        training_class=training_class, title=PAST_TITLE,
        defaults={"kind": TrainingSession.Kind.FIELD, "starts_at": past_start,
                  "ends_at": past_start + dt.timedelta(hours=3), "venue_base": bases["nanhu-emergency"],
                  "trainer": trainer, "credit_hours": Decimal("3"), "late_after_minutes": 10})
    created += made
    if made:
        _attend(past, trainer)
    return created


def _attend(session: TrainingSession, trainer: User) -> None:
    """Last week's check-in, as the services would have recorded it then, and three evaluations."""
    window = CheckinWindow.objects.create(session=session, opened_by=trainer,
                                          opened_at=session.starts_at - dt.timedelta(minutes=20),
                                          closed_at=session.starts_at + dt.timedelta(minutes=30))
    people = {user.username: user for user in User.objects.filter(username__in=[*ATTENDEES, BY_HAND])}
    for minutes, username in zip((-12, -3, 14), ATTENDEES, strict=True):  # the last one came late
        services.checkin_record(user=people[username], session_id=session.pk, window_id=window.pk,
                                method=Attendance.Method.QR, at=session.starts_at + dt.timedelta(minutes=minutes))
    services.attendance_mark(by=trainer, session_id=session.pk, user_id=people[BY_HAND].pk,
                             status=Attendance.Status.PRESENT, reason="未带手机，现场核实到课")
    for username, answer in zip(ATTENDEES, EVALUATIONS, strict=True):
        services.session_evaluate(user=people[username], session_id=session.pk, values=answer)
    # The ledger entries are dated last week: bring that day's rollup and the growth records up to date.
    stats_rebuild_day(timezone.localdate(session.starts_at))
    growth_rebuild(user_ids=[user.pk for user in people.values()], year=timezone.localdate(session.starts_at).year)
