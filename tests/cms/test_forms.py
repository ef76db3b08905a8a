"""The page editor's forms (cms.forms): the schedule dialog's pickers offer minutes, and a new daily
lesson left without a go-live time goes live at 08:30 Beijing time of its lesson date."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cms.models import CoursePage, DailyLessonIndexPage, DailyLessonPage
from tests.helpers import login

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
EVENING = dt.datetime(2027, 3, 9, 16, 0, tzinfo=BEIJING)  # a Tuesday; the lesson is for Wednesday
LESSON_DAY = dt.date(2027, 3, 10)
OUT_AT = dt.datetime(2027, 3, 10, 8, 30, tzinfo=BEIJING)


def _add_url() -> str:
    return f"/admin/pages/add/cms/dailylessonpage/{DailyLessonIndexPage.objects.get().pk}/"


def _lesson_form(**overrides) -> dict:
    video = DailyLessonPage.objects.exclude(video=None).values_list("video_id", flat=True).first()
    return {"title": "三月十日一课", "slug": "2027-03-10-test", "lesson_date": LESSON_DAY.isoformat(),
            "quote": "民有所呼，我有所应", "quote_source": "", "video": video, "note": "",
            "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "", **overrides}


@pytest.fixture
def evening():
    with time_machine.travel(EVENING, tick=False):
        DailyLessonPage.objects.filter(lesson_date=LESSON_DAY).delete()
        yield


@pytest.mark.parametrize("page_type", [DailyLessonPage, CoursePage])
def test_the_go_live_and_expiry_pickers_offer_minutes(page_type):
    page = page_type.objects.first()
    html = login("trainer").get(f"/admin/pages/{page.pk}/edit/").content.decode()
    for field in ("go_live_at", "expire_at"):
        config = re.search(rf'initDateTimeChooser\("id_{field}", (\{{[^)]*\}})\);', html).group(1)
        assert '"step": 5' in config and '"parentID": "#schedule-publishing-dialog"' in config


def test_a_new_lesson_without_a_go_live_time_is_published_at_0830_of_its_day(evening):
    client = login("admin")
    add_form = client.get(_add_url()).content.decode()
    assert "不填则在课程日期当天 08:30（北京时间）上线。" in add_form
    response = client.post(_add_url(), {**_lesson_form(), "action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = DailyLessonPage.objects.get(lesson_date=LESSON_DAY)
    assert page.go_live_at == OUT_AT and not page.live
    assert page.scheduled_revision.approved_go_live_at == OUT_AT  # published = scheduled for 08:30


def test_a_trainers_draft_gets_the_0830_default_and_a_chosen_time_is_kept(evening):
    client = login("trainer")
    assert client.post(_add_url(), _lesson_form()).status_code == 302
    assert DailyLessonPage.objects.get(lesson_date=LESSON_DAY).go_live_at == OUT_AT

    DailyLessonPage.objects.filter(lesson_date=LESSON_DAY).delete()
    assert client.post(_add_url(), _lesson_form(go_live_at="2027-03-10 07:45")).status_code == 302
    page = DailyLessonPage.objects.get(lesson_date=LESSON_DAY)
    assert timezone.localtime(page.go_live_at, BEIJING).time() == dt.time(7, 45)


def test_editing_an_existing_lesson_adds_no_go_live_time(evening):
    client = login("trainer")
    assert client.post(_add_url(), _lesson_form(go_live_at="2027-03-10 07:45")).status_code == 302
    page = DailyLessonPage.objects.get(lesson_date=LESSON_DAY)
    edit_form = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "不填则在课程日期当天 08:30" not in edit_form
    response = client.post(f"/admin/pages/{page.pk}/edit/", _lesson_form(title="改过的标题"))
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.go_live_at is None
