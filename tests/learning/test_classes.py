"""Training classes: enrollment sync (once per course, nightly catch-up), required courses, scoped admin."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Count
from django.utils import timezone

from cms.models import CoursePage
from devtools.demo.classes import CLASS_NAME
from learning.models import Enrollment, TrainingClass
from learning.services import class_sync_enrollments
from learning.tasks import class_sync_all_task
from orgs.api import OrgAdminRole, Organization, TraineeProfile

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/snippets/learning/trainingclass/"


def _class(name, org_code, courses, *, members=None):
    org = Organization.objects.get(code=org_code)
    today = timezone.localdate()
    training_class = TrainingClass.objects.create(
        name=name, organization=org, starts_on=today, ends_on=today + dt.timedelta(days=20)
    )
    training_class.courses.set(courses)
    training_class.member_organizations.set([members or org])
    return training_class


def _street_members(code="22010401"):
    return set(
        TraineeProfile.objects.filter(organization__path__startswith=Organization.objects.get(code=code).path)
        .values_list("user_id", flat=True)
    )


def test_the_demo_class_enrolled_its_street(client):
    demo = TrainingClass.objects.get(name=CLASS_NAME)
    assert demo.organization.code == "22010401" and demo.courses.count() == 3
    assert demo.trainers.get().title == "chief"
    trainee = User.objects.get(username="trainee")
    assert Enrollment.objects.filter(user=trainee, course__in=demo.courses.all(), source="class").count() == 3


def test_sync_enrolls_subtree_members_once_when_two_classes_share_a_course():
    courses = list(CoursePage.objects.live().order_by("path")[3:6])
    first = _class("共享课程甲班", "22010402", courses[:2])
    second = _class("共享课程乙班", "22010402", courses[1:])  # courses[1] is in both classes
    members = _street_members("22010402")
    assert members

    class_sync_enrollments(class_ids=[first.pk, second.pk])
    assert class_sync_enrollments(class_ids=None) == 0  # idempotent: a re-run adds nothing

    rows = Enrollment.objects.filter(user_id__in=members, course__in=courses)
    assert rows.count() == len(members) * 3
    duplicates = rows.values("user_id", "course_id").annotate(n=Count("id")).filter(n__gt=1)
    assert not duplicates.exists()


def test_a_trainee_added_to_the_subtree_later_is_enrolled_by_the_nightly_sync():
    demo = TrainingClass.objects.get(name=CLASS_NAME)
    newcomer = User.objects.create_user("newcomer", password="x")
    TraineeProfile.objects.create(
        user=newcomer, real_name="新同事", organization=Organization.objects.get(code="2201040102")  # 红旗社区
    )
    outsider = User.objects.create_user("outsider", password="x")
    TraineeProfile.objects.create(user=outsider, real_name="外街道", organization=Organization.objects.get(code="2201040201"))
    assert not Enrollment.objects.filter(user=newcomer).exists()

    class_sync_all_task.delay()  # Celery runs eagerly in tests

    enrolled = set(Enrollment.objects.filter(user=newcomer).values_list("course_id", flat=True))
    assert enrolled == set(demo.courses.values_list("pk", flat=True))
    assert not Enrollment.objects.filter(user=outsider).exists()


def test_a_class_required_course_cannot_be_left_but_an_open_one_can(client):
    trainee = User.objects.get(username="trainee")
    client.force_login(trainee)
    required = TrainingClass.objects.get(name=CLASS_NAME).courses.order_by("path").first()

    response = client.post(f"/api/v1/courses/{required.pk}/enroll")
    assert response.status_code == 201 and response.json()["source"] == "class"
    response = client.delete(f"/api/v1/courses/{required.pk}/enroll")
    assert response.status_code == 409
    assert response.json()["code"] == "required_by_class"
    assert Enrollment.objects.filter(user=trainee, course=required).exists()

    optional = CoursePage.objects.live().filter(self_enroll_open=True).exclude(training_classes__isnull=False).first()
    response = client.post(f"/api/v1/courses/{optional.pk}/enroll")
    assert response.status_code == 201 and response.json()["source"] == "self"
    assert client.delete(f"/api/v1/courses/{optional.pk}/enroll").status_code == 204
    assert not Enrollment.objects.filter(user=trainee, course=optional).exists()


# --- the Wagtail admin ----------------------------------------------------------------------


@pytest.fixture
def class_manager():
    """An administrator of 南湖街道 with admin access and the TrainingClass snippet permissions."""
    user = User.objects.create_user("nanhu_admin", password="x")
    OrgAdminRole.objects.create(user=user, organization=Organization.objects.get(code="22010402"))
    group = Group.objects.create(name="培训班管理（测试）")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="learning", codename__endswith="_trainingclass"),
    )
    user.groups.add(group)
    return user


def test_the_admin_listing_shows_only_classes_in_the_admins_subtree(client, class_manager):
    courses = list(CoursePage.objects.live().order_by("path")[:1])
    own = _class("南湖街道春季班", "22010402", courses)
    client.force_login(class_manager)

    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert own.name in html
    assert CLASS_NAME not in html  # 红旗街道's class

    other = TrainingClass.objects.get(name=CLASS_NAME)
    assert client.get(f"{LIST_URL}edit/{other.pk}/").status_code == 404
    assert client.post(f"{LIST_URL}edit/{other.pk}/", {"name": "改名"}).status_code == 404
    assert client.post(f"{LIST_URL}delete/{other.pk}/").status_code == 404
    assert client.get(f"{LIST_URL}copy/{other.pk}/").status_code == 404
    assert client.get(f"{LIST_URL}history/{other.pk}/").status_code == 404
    assert TrainingClass.objects.filter(pk=other.pk).exists()
    assert client.get(f"{LIST_URL}edit/{own.pk}/").status_code == 200

    chooser = client.get("/admin/snippets/choose/learning/trainingclass/").json()["html"]
    assert own.name in chooser and CLASS_NAME not in chooser


def test_the_admin_form_offers_only_organisations_in_scope_and_refuses_others(client, class_manager):
    client.force_login(class_manager)
    form = client.get(f"{LIST_URL}add/").context["form"]
    offered = {org.code for org in form.fields["organization"].queryset}
    assert offered == {"22010402", "2201040201", "2201040202"}

    course = CoursePage.objects.live().order_by("path").first()
    today = timezone.localdate()
    data = {
        "name": "越权开班", "organization": Organization.objects.get(code="22010401").pk,
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=10)).isoformat(),
        "courses": [course.pk],
    }
    response = client.post(f"{LIST_URL}add/", data)
    assert response.status_code == 200  # the form comes back with an error
    assert "organization" in response.context["form"].errors
    assert not TrainingClass.objects.filter(name="越权开班").exists()


def test_the_member_picker_names_people_is_searchable_and_offers_only_the_scope(client, class_manager):
    """指定学员: each trainee as 姓名（组织）· 用户名, with name, username, phone and organisation to search by,
    and only the administrator's subtree (南湖街道) on offer."""
    own = _class("南湖街道骨干班", "22010402", list(CoursePage.objects.live().order_by("path")[:1]))
    client.force_login(class_manager)
    html = client.get(f"{LIST_URL}edit/{own.pk}/").content.decode()
    picker = html.split('<div class="searchable-checkboxes" data-searchable-checkboxes')[1].split("</div>\n</div>")[0]
    assert 'type="search"' in picker and "输入姓名、用户名或手机号查找" in picker
    inside = TraineeProfile.objects.filter(organization__path__startswith=Organization.objects.get(code="22010402").path)
    assert inside.exists()
    for profile in inside.select_related("user", "organization"):
        assert f"{profile.real_name}（{profile.organization.name}）· {profile.user.username}" in picker
        box = re.search(rf'<input type="checkbox" name="member_users" value="{profile.user_id}"[^>]*>', picker).group(0)
        search = re.search(r'data-search="([^"]*)"', box).group(1)
        assert {profile.real_name, profile.user.username, profile.phone, profile.organization.name} <= set(search.split())
    for outsider in TraineeProfile.objects.exclude(pk__in=inside.values("pk")).select_related("user"):
        assert f'value="{outsider.user_id}"' not in picker and outsider.real_name not in picker
        assert not outsider.phone or outsider.phone not in html

    today = timezone.localdate()
    data = {"name": own.name, "organization": own.organization_id, "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=5)).isoformat(), "courses": [c.pk for c in own.courses.all()],
            "member_organizations": [own.organization_id]}
    chosen = inside.first()
    assert client.post(f"{LIST_URL}edit/{own.pk}/", {**data, "member_users": [chosen.user_id]}).status_code == 302
    assert list(own.member_users.all()) == [chosen.user]
    outsider = TraineeProfile.objects.get(user__username="trainee")  # 红旗街道, another street
    response = client.post(f"{LIST_URL}edit/{own.pk}/", {**data, "member_users": [outsider.user_id]})
    assert response.status_code == 200 and "member_users" in response.context["form"].errors
    assert list(own.member_users.all()) == [chosen.user]


def test_creating_a_class_in_the_admin_syncs_enrollments_on_commit(client, django_capture_on_commit_callbacks):
    client.force_login(User.objects.get(username="admin"))
    course = CoursePage.objects.live().order_by("path").last()
    street = Organization.objects.get(code="22010402")
    today = timezone.localdate()
    data = {
        "name": "南湖街道应急演练班", "organization": street.pk, "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=10)).isoformat(), "courses": [course.pk],
        "member_organizations": [street.pk],
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"{LIST_URL}add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) >= 1
    members = _street_members("22010402")
    assert set(Enrollment.objects.filter(course=course, user_id__in=members).values_list("user_id", flat=True)) == members


def test_editing_a_class_in_the_admin_syncs_its_new_members(client, class_manager, django_capture_on_commit_callbacks):
    course = CoursePage.objects.live().order_by("path")[4]
    own = _class("南湖社区夜校", "2201040201", [course])  # 南湖社区 only
    client.force_login(class_manager)
    street = Organization.objects.get(code="22010402")
    data = {
        "name": own.name, "organization": own.organization_id, "starts_on": own.starts_on.isoformat(),
        "ends_on": own.ends_on.isoformat(), "courses": [course.pk], "member_organizations": [street.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LIST_URL}edit/{own.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    members = _street_members("22010402")
    assert set(Enrollment.objects.filter(course=course, user_id__in=members).values_list("user_id", flat=True)) == members


def test_the_course_page_buttons_enroll_and_leave_an_open_course(client):
    from cms.models import CoursePage
    from learning.models import Enrollment

    client.login(username="trainee05", password="demo12345")
    course = CoursePage.objects.live().filter(self_enroll_open=True).exclude(
        pk__in=Enrollment.objects.filter(user__username="trainee05").values("course")).first()
    page = client.get(course.url).content.decode()
    assert "报名学习" in page
    url = f"/me/courses/{course.pk}/enrollment/"
    after = client.post(url, follow=True).content.decode()
    assert "报名成功" in after and "退出课程" in after
    assert Enrollment.objects.filter(user__username="trainee05", course=course, source="self").exists()
    left = client.post(url, {"action": "leave"}, follow=True).content.decode()
    assert "已退出课程" in left
    assert not Enrollment.objects.filter(user__username="trainee05", course=course).exists()
