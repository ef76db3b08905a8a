"""The course page ticks the lessons the signed-in trainee has finished (✓ 已完成, in words, not colour alone),
through learning's `lessons_completed` tag (cms imports no learning), at a query count that does not grow
with the number of lessons."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import CourseIndexPage, CoursePage, LessonPage
from learning.models import LessonProgress
from tests.helpers import login

pytestmark = pytest.mark.django_db
TICK = "✓ 已完成"


def _course(lesson_count: int, slug: str) -> tuple[CoursePage, list[LessonPage]]:
    index = CourseIndexPage.objects.get()
    course = CoursePage(title=f"课程 {slug}", slug=slug, summary="小区治理", track=CoursePage.objects.first().track)
    index.add_child(instance=course)
    course.save_revision().publish()
    lessons = []
    for n in range(lesson_count):
        lesson = LessonPage(title=f"{slug} 第{n + 1}课", slug=f"lesson-{n}", min_reading_seconds=60)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        lessons.append(lesson)
    return course, lessons


def _done(user, lesson, *, completed=True):
    LessonProgress.objects.create(user=user, page=lesson, position_seconds=60,
                                  completed_at=timezone.now() if completed else None)


def _rows(html: str) -> dict[str, str]:
    """Each lesson's <li> in the course page's list, by lesson title."""
    listing = html[html.index('class="list card lesson-list"'):]
    listing = listing[:listing.index("</ol>")]
    return {re.search(r"\d+\. ([^<]+)</a>", li).group(1): li for li in listing.split("<li>")[1:]}


def test_finished_lessons_are_ticked_for_their_trainee_only():
    course, lessons = _course(4, "ticks")
    trainee = login("trainee")
    me = User.objects.get(username="trainee")
    _done(me, lessons[0])
    _done(me, lessons[2])
    _done(me, lessons[3], completed=False)  # started, not finished: no tick

    rows = _rows(trainee.get(course.url).content.decode())
    assert [title for title, li in rows.items() if TICK in li] == [lessons[0].title, lessons[2].title]

    other = login("trainee01").get(course.url).content.decode()
    assert TICK not in other, "another trainee's progress is not theirs"
    assert TICK not in Client().get(course.url).content.decode()


def _queries(client, url) -> int:
    client.get(url)  # warm what every request shares (site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_ticks_cost_the_same_queries_for_3_and_30_lessons():
    client = login("trainee")
    user = User.objects.get(username="trainee")
    small, small_lessons = _course(3, "small")
    large, large_lessons = _course(30, "large")
    for lesson in small_lessons[:2] + large_lessons[:20]:
        _done(user, lesson)

    counts = (_queries(client, small.url), _queries(client, large.url))
    assert counts[0] == counts[1], f"the course page grows with its lessons: {counts}"
    assert client.get(large.url).content.decode().count(TICK) == 20
