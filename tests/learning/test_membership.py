"""Class membership and "the classes I see" have one meaning (learning.membership), and every reader agrees."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cms.models import CoursePage
from learning import membership
from learning.models import Enrollment, TrainingClass
from learning.services import class_sync_enrollments
from orgs.api import Organization, TraineeProfile
from orgs.imports import read_rows
from orgs.services import trainee_import
from stats.models import ClassStats
from stats.services import class_stats_rebuild
from tests.helpers import login, org

pytestmark = pytest.mark.django_db


def _class(name, host, member_orgs=(), named=()):
    today = timezone.localdate()
    training_class = TrainingClass.objects.create(name=name, organization=org(host), starts_on=today,
                                                  ends_on=today + dt.timedelta(days=30))
    training_class.member_organizations.set([org(code) for code in member_orgs])
    training_class.member_users.set(named)
    return training_class


def _subtree_users(code):
    return set(TraineeProfile.objects.filter(organization__path__startswith=org(code).path)
               .values_list("user_id", flat=True))


def test_members_are_the_named_plus_the_member_subtrees_counted_once():
    named_inside = User.objects.get(username="trainee")  # lives in 红旗街道, and is also named
    elsewhere = TraineeProfile.objects.filter(organization__path__startswith=org("2202").path).first().user
    training_class = _class("网格治理专题班", "2201", member_orgs=["22010401"], named=[named_inside, elsewhere])

    members = set(membership.members(training_class).values_list("pk", flat=True))

    assert members == _subtree_users("22010401") | {elsewhere.pk}
    class_stats_rebuild(class_ids=[training_class.pk])
    assert ClassStats.objects.get(training_class=training_class).members == len(members)  # stats agree


def test_classes_of_a_trainee_reach_down_from_any_ancestor_and_by_name():
    trainee = User.objects.get(username="trainee")
    city_wide = _class("全市书记轮训班", "2201", member_orgs=["2201"])
    by_name = _class("骨干点名班", "2202", named=[trainee])
    other = _class("外市班", "2202", member_orgs=["2202"])

    mine = {c.pk for c in membership.classes_of(trainee.pk)}

    assert {city_wide.pk, by_name.pk} <= mine and other.pk not in mine


def test_an_administrator_sees_classes_organised_in_or_drawing_from_their_subtree_but_edits_only_their_own():
    district_admin = User.objects.get(username="district_admin")  # 朝阳区 220104
    hosted = _class("朝阳区自办班", "220104", member_orgs=["220104"])
    city_wide = _class("全市轮训班", "2201", member_orgs=["2201"])  # a member organisation above the district
    named_inside = _class("点名班", "2202", named=[User.objects.get(username="trainee")])
    foreign = _class("外市班", "2202", member_orgs=["2202"])

    seen = set(membership.classes_in_scope(district_admin).values_list("pk", flat=True))
    editable = set(membership.classes_organised_in_scope(district_admin).values_list("pk", flat=True))

    assert {hosted.pk, city_wide.pk, named_inside.pk} <= seen and foreign.pk not in seen
    assert hosted.pk in editable and not editable & {city_wide.pk, named_inside.pk, foreign.pk}
    # The journal queue's class filter offers exactly the classes the reports show.
    page = login("district_admin").get("/admin/journals/").content.decode()
    assert "全市轮训班" in page and "点名班" in page and "外市班" not in page


def test_people_an_import_puts_into_a_class_subtree_are_enrolled_at_once():
    course = CoursePage.objects.live().order_by("path").last()
    training_class = _class("红旗社区新人班", "2201040102", member_orgs=["2201040102"])
    training_class.courses.set([course])
    class_sync_enrollments(class_ids=[training_class.pk])
    header = "姓名,手机号,所属组织,岗位,入职日期\n"
    rows = "新来的,15899990001,2201040102,网格员,2026-11-01\n隔壁的,15899990002,2201040201,网格员,2026-11-01\n"

    trainee_import(admin_user=User.objects.get(username="district_admin"),
                   parsed=read_rows("学员.csv", (header + rows).encode("utf-8-sig")))

    newcomer, neighbour = (TraineeProfile.objects.get(phone=p).user_id for p in ("15899990001", "15899990002"))
    assert Enrollment.objects.filter(user_id=newcomer, course=course, source="class").exists()
    assert not Enrollment.objects.filter(user_id=neighbour, course=course).exists()


def test_ancestor_paths_run_from_the_root_down_to_the_organisation_itself():
    community = org("2201040102")
    expected = [o.path for o in [*community.get_ancestors(), community]]
    assert community.ancestor_paths() == expected and Organization.paths_above(community.path) == expected
