"""cms in the Wagtail admin: exploring the 八点半课堂 lists its daily lessons with their 课程日期."""

import datetime as dt

import pytest

from cms.models import DailyLessonIndexPage
from tests.cms.factories import daily_lesson
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_daily_lesson_listing_has_a_sortable_lesson_date_column_newest_first():
    earlier = daily_lesson(dt.date(2027, 3, 9), title="周二的课")
    later = daily_lesson(dt.date(2027, 3, 10), title="周三的课")
    client = login("trainer")
    url = f"/admin/pages/{DailyLessonIndexPage.objects.get().pk}/"

    html = client.get(url).content.decode().split('<table class="listing')[1]
    assert "课程日期" in html.split("</thead>")[0]
    rows = {page: html.index(f'data-object-id="{page.pk}"') for page in (earlier, later)}
    for page, day in ((earlier, "2027-03-09（周二）"), (later, "2027-03-10（周三）")):
        row = html[rows[page]:].split("</tr>")[0]
        assert day in row
    assert rows[later] < rows[earlier]  # newest first by default

    ascending = client.get(url, {"ordering": "lesson_date"}).content.decode().split('<table class="listing')[1]
    assert ascending.index(f'data-object-id="{earlier.pk}"') < ascending.index(f'data-object-id="{later.pk}"')
