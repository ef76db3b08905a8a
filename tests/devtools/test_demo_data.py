import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page, Revision

from cms.models import CasePage, CoursePage, DailyLessonPage, LessonPage, Track, Trainer
from core.calendar import is_workday
from orgs.api import OrgAdminRole, Organization, TraineeProfile

pytestmark = pytest.mark.django_db

MODELS = [Page, Revision, User, Organization, TraineeProfile, OrgAdminRole, Track, Trainer]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_duplicates_nothing():
    before = _counts()
    call_command("load_demo_data", "--skip-index", verbosity=0)
    assert _counts() == before


def test_refuses_with_production_settings():
    with override_settings(COLLEGE_ALLOW_DEMO_DATA=False), pytest.raises(CommandError, match="生产环境"):
        call_command("load_demo_data", verbosity=0)


def test_the_demo_college_has_what_the_issue_promises():
    levels = dict.fromkeys(Organization.Level.values, 0)
    for level in Organization.objects.values_list("level", flat=True):
        levels[level] += 1
    assert (levels["province"], levels["city"], levels["district"], levels["street"], levels["community"]) == (
        1, 2, 3, 6, 12
    )
    assert sorted(Track.objects.values_list("name", flat=True)) == sorted(["干而论道", "金色路线", "精神传承", "应急演练"])
    courses = CoursePage.objects.live()
    assert courses.count() >= 6
    assert all(LessonPage.objects.live().child_of(course).count() >= 3 for course in courses)
    assert Trainer.objects.filter(title=Trainer.Title.CHIEF).count() == 1
    assert CasePage.objects.live().count() >= 8
    assert TraineeProfile.objects.count() >= 31
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"admin", "trainer", "reviewer", "district_admin", "street_admin", "trainee"} <= usernames


def test_daily_lessons_fall_on_workdays_fifteen_published_and_five_scheduled():
    lessons = list(DailyLessonPage.objects.order_by("lesson_date"))
    assert len(lessons) == 20
    assert all(is_workday(lesson.lesson_date) for lesson in lessons)
    assert sum(lesson.live for lesson in lessons) == 15
    scheduled = [lesson for lesson in lessons if not lesson.live]
    assert len(scheduled) == 5
    assert all(lesson.latest_revision.approved_go_live_at is not None for lesson in scheduled)
    quotes = [lesson.quote for lesson in lessons]
    assert len(set(quotes)) == len(quotes), "twenty consecutive workdays repeat no quote"


def test_demo_accounts_log_in_with_the_documented_password(client):
    assert client.login(username="trainee", password="demo12345")
    assert User.objects.get(username="admin").is_superuser
    assert OrgAdminRole.objects.get(user__username="street_admin").organization.level == "street"
    assert OrgAdminRole.objects.get(user__username="district_admin").organization.level == "district"
