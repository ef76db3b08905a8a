"""Statistics in the admin: the home panel, the organisation drill-down and 今日未学 (with its export
and 「发送提醒」) show an administrator their own subtree only, and cost the same few queries at any
number of organisations."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.models import DailyLessonPage
from core import charts
from learning.models import LedgerEntry
from learning.services import ledger_record
from notifications.models import Notification
from orgs.api import Organization, TraineeProfile
from stats.models import OrgDailyStats
from stats.services import stats_rebuild_day
from tests.cms.factories import daily_lesson

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
WORKDAY = dt.date(2026, 6, 15)  # a Monday and a workday
SATURDAY = dt.date(2026, 6, 13)
DISTRICT, OTHER_DISTRICT, STREET, COMMUNITY = "220104", "220102", "22010401", "2201040101"  # 朝阳区, 南关区, 红旗街道, 长山花园社区


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def _members(code: str):
    return TraineeProfile.objects.filter(organization__path__startswith=_org(code).path).select_related("user")


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo12345")
    return client


def _finish(profile: TraineeProfile, lesson: DailyLessonPage, when: dt.datetime) -> None:
    ledger_record(user_id=profile.user_id, kind=LedgerEntry.Kind.DAILY, object_id=lesson.pk, title=lesson.title,
                  credit_hours=Decimal("0.25"), points=1, occurred_at=when)


@pytest.fixture
def clock():
    with time_machine.travel(_at(WORKDAY, 10), tick=False):
        yield


@pytest.fixture
def today(clock):
    """Today's lesson, 张小梅 (长山花园社区) has finished it, and the rollups are up to date."""
    User.objects.update(date_joined=_at(dt.date(2020, 1, 1), 9))  # every demo account existed back then
    lesson = DailyLessonPage.objects.filter(lesson_date=WORKDAY).first() or daily_lesson(WORKDAY)
    _finish(TraineeProfile.objects.get(user__username="trainee"), lesson, _at(WORKDAY, 9))
    stats_rebuild_day(WORKDAY)
    return lesson


def _absent_url(code: str) -> str:
    return f"/admin/stats/absent/?org={_org(code).pk}"


def _xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


# --- the admin home panel ------------------------------------------------------------------------


def test_the_home_panel_shows_the_district_with_its_streets_ranked(today):
    html = _client("district_admin").get("/admin/").content.decode()
    district, street, nanhu = _org(DISTRICT), _org(STREET), _org("22010402")
    assert f'data-stats-panel="{district.pk}"' in html
    figures = OrgDailyStats.objects.get(organization=district, date=WORKDAY)
    assert figures.daily_done == 1 and figures.trainees == _members(DISTRICT).count()
    rate = round(100 / figures.trainees, 1)
    assert f'data-daily-rate="{rate}"' in html
    assert "<svg" in html and "近30天" in html
    # 红旗街道 (where 张小梅 finished) ranks above 南湖街道; both link one level down.
    assert html.index(f'data-child="{street.pk}"') < html.index(f'data-child="{nanhu.pk}"')
    assert f'href="/admin/stats/orgs/{street.pk}/"' in html
    assert "南关区" not in html and "长春市" not in html.split("data-stats-panel")[1].split("</section>")[0]


def test_a_superuser_sees_the_tree_root_and_trainers_see_no_panel(today):
    root = Organization.get_root_nodes().get()
    assert f'data-stats-panel="{root.pk}"' in _client("admin").get("/admin/").content.decode()
    trainer_home = _client("trainer").get("/admin/")
    assert trainer_home.status_code == 200 and "data-stats-panel" not in trainer_home.content.decode()
    assert "/admin/stats/" not in trainer_home.content.decode()


def test_the_menu_offers_statistics_to_administrators(today):
    client = _client("street_admin")
    html = client.get("/admin/").content.decode()
    assert "学习统计" in html and "今日未学" in html
    response = client.get("/admin/stats/")
    assert response.status_code == 302 and response["Location"] == f"/admin/stats/orgs/{_org(STREET).pk}/"


# --- drill-down -----------------------------------------------------------------------------------


def test_the_drill_down_ranks_children_and_walks_back_only_to_the_scope_root(today):
    client = _client("district_admin")
    street = _org(STREET)
    html = client.get(f"/admin/stats/orgs/{street.pk}/").content.decode()
    trail = html.split("data-stats-trail")[1].split("</ol>")[0]
    assert "朝阳区" in trail and "红旗街道" in trail and "长春市" not in trail and "吉林省" not in trail
    community, other = _org(COMMUNITY), _org("2201040102")
    assert html.index(f'data-child="{community.pk}"') < html.index(f'data-child="{other.pk}"')
    assert f'href="/admin/stats/orgs/{community.pk}/"' in html

    street_view = _client("street_admin").get(f"/admin/stats/orgs/{community.pk}/").content.decode()
    trail = street_view.split("data-stats-trail")[1].split("</ol>")[0]
    assert re.findall(r">([^<>]+)</(?:a|strong)>", trail) == ["红旗街道", "长山花园社区"]


def test_a_community_lists_its_members_with_todays_status(today):
    html = _client("street_admin").get(f"/admin/stats/orgs/{_org(COMMUNITY).pk}/").content.decode()
    members = TraineeProfile.objects.filter(organization__code=COMMUNITY)
    assert members.count() >= 2
    for member in members:
        row = html.split(f'data-member="{member.pk}"')[1].split("</tr>")[0]
        assert f'href="/admin/trainees/edit/{member.pk}/"' in row
        assert ('data-status="done"' in row) == (member.user.username == "trainee")
        assert ("未学" in row) == (member.user.username != "trainee")


@pytest.mark.parametrize(("username", "code"), [("district_admin", OTHER_DISTRICT), ("street_admin", DISTRICT),
                                                ("street_admin", "22010402")])
def test_an_organisation_outside_the_scope_is_not_found(today, username, code):
    assert _client(username).get(f"/admin/stats/orgs/{_org(code).pk}/").status_code == 404


def test_trainees_and_trainers_are_turned_away(today):
    street = _org(STREET)
    for url in (f"/admin/stats/orgs/{street.pk}/", "/admin/stats/absent/", "/admin/stats/"):
        assert _client("trainer").get(url).status_code == 403
        assert _client("trainee").get(url).status_code in (302, 403)  # no admin access at all
    assert _client("trainer").post("/admin/stats/absent/remind/", {"org": street.pk}).status_code == 403
    assert not Notification.objects.exists()


# --- 今日未学 -------------------------------------------------------------------------------------


def test_the_absent_list_shows_who_has_not_finished_today(today):
    response = _client("district_admin").get(_absent_url(STREET))
    html = response.content.decode()
    finished = TraineeProfile.objects.get(user__username="trainee")
    absent = _members(STREET).exclude(pk=finished.pk)
    assert absent.exists()
    for profile in absent:
        assert profile.phone in html and profile.real_name in html
    assert finished.phone not in html
    assert "南关区" not in html.split("data-absent-org")[1].split("</form>")[1]  # rows: only the street's
    assert f'data-absent-count="{absent.count()}"' in html
    # The chooser offers the district's subtree and nothing else.
    options = re.findall(r'<option value="(\d+)"', html)
    assert {int(pk) for pk in options} == set(Organization.objects.filter(
        path__startswith=_org(DISTRICT).path).values_list("pk", flat=True))


def _chooser(client: Client, code: str) -> tuple[set[str], str]:
    """(the codes the 今日未学 chooser offers, the selected one) with `code` chosen."""
    html = client.get(_absent_url(code)).content.decode()
    chooser = html.split('<select name="org"')[1].split("</select>")[0]
    pks = {int(pk) for pk in re.findall(r'<option value="(\d+)"', chooser)}
    selected = re.findall(r'<option value="(\d+)" selected>', chooser)
    codes = set(Organization.objects.filter(pk__in=pks).values_list("code", flat=True))
    return codes, Organization.objects.get(pk=selected[0]).code


def test_the_chooser_offers_two_levels_and_the_way_down_to_the_selection(today):
    """A province-scale subtree is not listed whole: two levels below the scope root, plus the children
    of every organisation from the root down to the chosen one, all inside the scope."""
    community = _org(COMMUNITY)
    grids = [community.add_child(name=f"网格{n}", code=f"{COMMUNITY}0{n}", level=Organization.Level.GRID)
             for n in range(1, 4)]
    cell = grids[0].add_child(name="楼栋", code=f"{COMMUNITY}0101", level=Organization.Level.GRID)
    other = _org("2201040201").add_child(name="南湖网格", code="220104020101", level=Organization.Level.GRID)
    client = _client("district_admin")
    two_levels = set(Organization.objects.filter(path__startswith=_org(DISTRICT).path, depth__lte=_org(DISTRICT).depth + 2)
                     .values_list("code", flat=True))

    codes, selected = _chooser(client, DISTRICT)
    assert (codes, selected) == (two_levels, DISTRICT)
    codes, selected = _chooser(client, COMMUNITY)
    assert (codes, selected) == (two_levels | {g.code for g in grids}, COMMUNITY)
    codes, selected = _chooser(client, cell.code)
    assert (codes, selected) == (two_levels | {g.code for g in grids} | {cell.code}, cell.code)
    assert other.code not in codes and "220102" not in codes  # another street's grid, another district
    codes, _selected = _chooser(_client("street_admin"), COMMUNITY)
    assert DISTRICT not in codes and "22010402" not in codes and {g.code for g in grids} <= codes


def test_the_absent_list_defaults_to_the_scope_root(today):
    html = _client("street_admin").get("/admin/stats/absent/").content.decode()
    assert f'data-absent-org="{_org(STREET).pk}"' in html
    outsider = _members(DISTRICT).exclude(organization__path__startswith=_org(STREET).path).first()
    assert outsider.phone not in html


def test_the_absent_list_is_paginated_by_fifty(today):
    community = _org(COMMUNITY)
    users = User.objects.bulk_create([User(username=f"many{n:03d}", password="!") for n in range(60)])
    TraineeProfile.objects.bulk_create([TraineeProfile(user=u, real_name=f"新学员{n:03d}", organization=community)
                                        for n, u in enumerate(users)])
    client = _client("street_admin")
    first = client.get(_absent_url(COMMUNITY))
    assert len(first.context["object_list"]) == 50
    total = first.context["items_count"]
    second = client.get(_absent_url(COMMUNITY) + "&p=2")
    assert len(second.context["object_list"]) == total - 50


def test_the_empty_list_says_why(clock):
    client = _client("street_admin")
    # No lesson today (none was published for this date).
    DailyLessonPage.objects.filter(lesson_date=WORKDAY).delete()
    html = client.get("/admin/stats/absent/").content.decode()
    assert "data-absent-empty" in html and "今天的每日一课还没有发布" in html and "发送提醒" not in html
    # Everybody in the community finished.
    lesson = daily_lesson(WORKDAY)
    for profile in _members(COMMUNITY):
        _finish(profile, lesson, _at(WORKDAY, 9))
    html = client.get(_absent_url(COMMUNITY)).content.decode()
    assert "全部已学完" in html and "发送提醒" not in html


def test_the_list_names_the_day_and_the_lesson(today):
    html = _client("street_admin").get(_absent_url(STREET)).content.decode()
    line = html.split("data-absent-day=")[1].split("</p>")[0]
    assert line.startswith('"2026-06-15"') and "6月15日（周一）" in line and f"“{today.title}”" in line
    assert "今日未学: 6月15日（周一）" in html  # the window title, and the breadcrumb's sublabel


def test_before_0830_the_page_says_when_the_lesson_comes_out():
    """Before 08:30 the list is always empty: the page says the lesson is published at 08:30 on workdays,
    and which lesson is scheduled today (or that none is)."""
    with time_machine.travel(_at(WORKDAY, 7, 50), tick=False):
        lesson = daily_lesson(WORKDAY, schedule=True, title="早八点半的课")
        assert not DailyLessonPage.objects.get(pk=lesson.pk).live
        client = _client("street_admin")
        html = client.get("/admin/stats/absent/").content.decode()
        empty = html.split("data-absent-empty")[1].split("</p>")[0]
        assert "6月15日（周一）" in html and 'data-absent-day="2026-06-15"' in html
        assert "每日一课在工作日 08:30 发布，现在还不到 08:30" in empty
        assert "“早八点半的课”已安排在 08:30 发布" in empty
        assert "发送提醒" not in html

        DailyLessonPage.objects.filter(lesson_date=WORKDAY).delete()
        empty = client.get("/admin/stats/absent/").content.decode().split("data-absent-empty")[1].split("</p>")[0]
        assert "现在还不到 08:30" in empty and "还没有为今天安排每日一课" in empty


def test_a_day_off_says_it_is_not_a_workday():
    with time_machine.travel(_at(SATURDAY, 10), tick=False):
        DailyLessonPage.objects.filter(lesson_date=SATURDAY).first() or daily_lesson(SATURDAY)
        html = _client("street_admin").get("/admin/stats/absent/").content.decode()
    empty = html.split("data-absent-empty")[1].split("</p>")[0]
    assert "6月13日（周六）不是工作日" in empty and "每日一课只在工作日 08:30 发布" in empty
    assert "data-absent-count" not in html


def test_a_weekend_has_no_absent_list():
    with time_machine.travel(_at(SATURDAY, 10), tick=False):
        DailyLessonPage.objects.filter(lesson_date=SATURDAY).first() or daily_lesson(SATURDAY)
        client = _client("street_admin")
        client.post("/admin/stats/absent/remind/", {"org": _org(STREET).pk})
    assert not Notification.objects.exists()  # weekend: nothing to remind, whatever the page says


def test_exports_carry_the_filter_and_the_scope(today):
    client = _client("district_admin")
    finished = TraineeProfile.objects.get(user__username="trainee")
    expected = {p.phone for p in _members(STREET).exclude(pk=finished.pk)}

    response = client.get(_absent_url(STREET) + "&export=xlsx")
    assert response.status_code == 200
    assert "20260615" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.title == "今日未学 2026-06-15"
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "手机号", "所属组织", "岗位", "日期", "每日一课")
    assert {str(row[1]) for row in rows[1:]} == expected
    by_phone = {str(row[1]): row for row in rows[1:]}
    sample = _members(STREET).exclude(pk=finished.pk).first()
    assert by_phone[sample.phone][:4] == (sample.real_name, sample.phone, sample.organization.name,
                                          sample.get_position_display())
    assert {(row[4].date() if isinstance(row[4], dt.datetime) else row[4], row[5]) for row in rows[1:]} == {
        (WORKDAY, today.title)}

    response = client.get(_absent_url(STREET) + "&export=csv")
    assert "20260615" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {row["手机号"] for row in rows} == expected
    assert {(row["日期"], row["每日一课"]) for row in rows} == {("2026-06-15", today.title)}


def test_another_district_is_not_found_in_the_list_the_export_or_the_reminder(today):
    client = _client("district_admin")
    other = _org(OTHER_DISTRICT)
    assert client.get(_absent_url(OTHER_DISTRICT)).status_code == 404
    assert client.get(_absent_url(OTHER_DISTRICT) + "&export=xlsx").status_code == 404
    assert client.get(_absent_url(OTHER_DISTRICT) + "&export=csv").status_code == 404
    assert client.get("/admin/stats/absent/?org=not-a-number").status_code == 404
    assert client.post("/admin/stats/absent/remind/", {"org": other.pk}).status_code == 404
    assert client.post("/admin/stats/absent/remind/", {}).status_code == 404
    assert not Notification.objects.exists()


def test_send_reminder_reminds_exactly_the_absent_and_never_twice(today):
    client = _client("street_admin")
    finished = TraineeProfile.objects.get(user__username="trainee")
    absent = {p.user_id for p in _members(STREET).exclude(pk=finished.pk)}

    response = client.post("/admin/stats/absent/remind/", {"org": _org(STREET).pk}, follow=True)
    assert response.redirect_chain[-1][0] == _absent_url(STREET)
    assert f"已提醒 {len(absent)} 人，0 人今天已收到过提醒" in response.content.decode()
    reason = "daily_reminder:2026-06-15"
    sent = Notification.objects.filter(reason=reason)
    assert set(sent.values_list("user_id", flat=True)) == absent
    assert {n.kind for n in sent} == {Notification.Kind.DAILY_REMINDER}

    again = client.post("/admin/stats/absent/remind/", {"org": _org(STREET).pk}, follow=True)
    assert f"已提醒 0 人，{len(absent)} 人今天已收到过提醒" in again.content.decode()
    assert Notification.objects.filter(reason=reason).count() == len(absent)

    # The district then reminds its whole subtree: the street's trainees are not reminded again.
    district_absent = {p.user_id for p in _members(DISTRICT).exclude(pk=finished.pk)}
    html = _client("district_admin").post("/admin/stats/absent/remind/", {"org": _org(DISTRICT).pk},
                                          follow=True).content.decode()
    assert f"已提醒 {len(district_absent - absent)} 人，{len(absent)} 人今天已收到过提醒" in html
    assert set(Notification.objects.filter(reason=reason).values_list("user_id", flat=True)) == district_absent


def test_send_reminder_needs_the_csrf_token(today):
    client = Client(enforce_csrf_checks=True)
    client.login(username="street_admin", password="demo12345")
    assert client.post("/admin/stats/absent/remind/", {"org": _org(STREET).pk}).status_code == 403
    assert not Notification.objects.exists()


def test_reminding_with_get_does_nothing(today):
    assert _client("street_admin").get("/admin/stats/absent/remind/").status_code == 405
    assert not Notification.objects.exists()


# --- the chart ------------------------------------------------------------------------------------


def test_the_rate_chart_stays_in_its_box_and_labels_one_day_a_week():
    points = [(f"6/{n}", f"6月{n}日", rate, rate / 2) for n, rate in enumerate([0, 50, 100, 120] + [10] * 26, 1)]
    chart = charts.rate_chart(points)
    assert chart["view_box"] == "0 0 360 200" and [g["label"] for g in chart["grid"]] == ["0%", "50%", "100%"]
    bars = chart["bars"]
    assert len(bars) == 30 and bars[0]["empty"] and bars[0]["height"] == "0"
    assert float(bars[2]["height"]) == float(bars[3]["height"])  # clamped at 100 %
    for bar in bars:
        assert 0 <= float(bar["x"]) and float(bar["x"]) + float(bar["width"]) <= 360
        assert 0 <= float(bar["y"]) <= 200
    assert [b["label"] for b in bars if b["label"]] == ["6/2", "6/9", "6/16", "6/23", "6/30"]
    assert len(chart["line"].split()) == 30


# --- scale ----------------------------------------------------------------------------------------


def _add_organisations(parent: Organization, count: int, day: dt.date) -> None:
    """`count` communities under `parent`, built in one insert (treebeard paths), each with 30 days of rollups."""
    start = parent.numchild
    organisations = [
        Organization(name=f"新建社区{n:04d}", code=f"x{parent.code}{n:04d}", level=Organization.Level.COMMUNITY,
                     depth=parent.depth + 1, numchild=0,
                     path=Organization._get_path(parent.path, parent.depth + 1, start + n + 1))
        for n in range(count)
    ]
    Organization.objects.bulk_create(organisations)
    Organization.objects.filter(pk=parent.pk).update(numchild=start + count)
    now = _at(day, 9)
    created = Organization.objects.filter(code__startswith=f"x{parent.code}")
    OrgDailyStats.objects.bulk_create([
        OrgDailyStats(organization=org, date=day - dt.timedelta(days=back), trainees=10, active_trainees=n % 10,
                      daily_done=n % 7, computed_at=now)
        for n, org in enumerate(created) for back in range(30)
    ], batch_size=2000)


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm per-process caches (site, content types) both rounds share
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_organisations(today, django_assert_num_queries):
    client = _client("district_admin")
    nanhu = _org("22010402")  # 南湖街道, in the district
    community = _org(COMMUNITY)
    urls = ["/admin/", f"/admin/stats/orgs/{_org(DISTRICT).pk}/", f"/admin/stats/orgs/{nanhu.pk}/",
            f"/admin/stats/orgs/{community.pk}/", _absent_url(DISTRICT), _absent_url(COMMUNITY)]
    small = [_queries(client, url) for url in urls]
    assert Organization.objects.count() < 30

    _add_organisations(nanhu, 1000, WORKDAY)
    assert Organization.objects.count() > 1000
    for url, count in zip(urls, small, strict=True):
        client.get(url)
        with django_assert_num_queries(count):
            client.get(url)
    print("queries (home, district, street with 1,000 children, community, absent district, absent community):",
          small)
    html = client.get(f"/admin/stats/orgs/{nanhu.pk}/").content.decode()
    assert html.count("data-child=") == 1002
