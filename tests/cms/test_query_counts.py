"""Hot pages cost the same number of queries with 5 and with 50 lessons."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import DailyLessonPage
from core.calendar import previous_workdays
from tests.cms.factories import daily_lesson

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # warm caches that every request shares (site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _keep_only(count):
    keep = list(DailyLessonPage.objects.live().order_by("-lesson_date").values_list("id", flat=True)[:count])
    for page in DailyLessonPage.objects.exclude(id__in=keep):
        page.delete()


def test_home_and_daily_lesson_query_counts_do_not_grow(client):
    _keep_only(5)
    newest = DailyLessonPage.objects.live().order_by("-lesson_date").first()
    small = (_queries(client, "/"), _queries(client, newest.url), _queries(client, "/daily/"))

    oldest = DailyLessonPage.objects.order_by("lesson_date").first().lesson_date
    for day in previous_workdays(oldest, 45):
        daily_lesson(day)
    assert DailyLessonPage.objects.live().count() == 50
    large = (_queries(client, "/"), _queries(client, newest.url), _queries(client, "/daily/"))
    assert small == large
    assert large[0] <= 12, f"home page should stay cheap, got {large[0]} queries"


def test_lesson_page_query_count_does_not_grow_with_lessons_in_the_course(client):
    from cms.models import CoursePage, LessonPage

    course = CoursePage.objects.live().first()
    lesson = LessonPage.objects.child_of(course).live().first()
    small = (_queries(client, course.url), _queries(client, lesson.url))
    template = LessonPage.objects.child_of(course).first()
    for n in range(40):
        course.add_child(instance=LessonPage(title=f"补充课时 {n}", slug=f"extra-{n}", body=template.body,
                                             duration_seconds=0, video=template.video))
    assert LessonPage.objects.child_of(course).live().count() >= 43
    large = (_queries(client, course.url), _queries(client, lesson.url))
    assert small == large
