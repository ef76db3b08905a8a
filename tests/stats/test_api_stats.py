"""/api/v1/stats/: organisation figures and today's non-finishers (今日未学) for administrators' tokens,
scoped to their subtree (outside it is a 404 that reveals nothing), refused to trainees and trainers,
and at a fixed number of queries however many child organisations there are."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import DailyLessonPage
from learning.models import LedgerEntry
from learning.services import api_token_create
from orgs.api import Organization, TraineeProfile
from stats.models import OrgDailyStats
from stats.services import FIGURES, stats_rebuild_day
from tests.cms.factories import daily_lesson
from tests.helpers import org

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
WORKDAY = dt.date(2026, 6, 15)  # a Monday, a workday, before the demo history
STREET, COMMUNITY, SIBLING = "22010401", "2201040101", "2201040102"  # 红旗街道, 长山花园社区, 红旗社区


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)




def bearer(username: str) -> dict:
    _, plaintext = api_token_create(user=User.objects.get(username=username), name="省级平台对接")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.fixture
def monday():
    """10:00 on a workday with its daily lesson live; the demo trainees registered long before."""
    with time_machine.travel(at(WORKDAY, 10), tick=False):
        User.objects.filter(profile__isnull=False).update(date_joined=at(dt.date(2026, 1, 5), 9))
        yield DailyLessonPage.objects.filter(lesson_date=WORKDAY).first() or daily_lesson(WORKDAY)


def credit(username: str, kind: str, object_id: int, hour: int, *, hours: str = "0.5", points: int = 2):
    LedgerEntry.objects.create(user=User.objects.get(username=username), kind=kind, object_id=object_id,
                               title="测试", credit_hours=Decimal(hours), points=points,
                               occurred_at=at(WORKDAY, hour))


@pytest.fixture
def studied(monday):
    """张小梅 finished today's lesson; two neighbours studied something else; rollups rebuilt."""
    neighbour = TraineeProfile.objects.filter(organization__code=COMMUNITY).exclude(user__username="trainee").first()
    sibling = TraineeProfile.objects.filter(organization__code=SIBLING).first()
    credit("trainee", "daily", monday.pk, 9, hours="0.25", points=1)
    credit("trainee", "lesson", 80_000_001, 9, hours="1.5", points=12)  # over the daily cap of 10
    credit(neighbour.user.username, "case", 80_000_002, 8)
    credit(sibling.user.username, "quiz", 80_000_003, 7, hours="0", points=3)
    stats_rebuild_day(WORKDAY)
    return monday


def figures_match(body: dict, organization: Organization) -> None:
    row = OrgDailyStats.objects.filter(organization=organization, date=WORKDAY).first()
    assert row is not None, organization.name
    for field in FIGURES:
        expected = getattr(row, field)
        assert (Decimal(body[field]) if field == "credit_hours" else body[field]) == expected, field
    assert body["participation_rate"] == round(row.active_trainees * 100 / row.trainees, 1)
    assert body["daily_rate"] == round(row.daily_done * 100 / row.trainees, 1)
    assert body["absent"] == row.trainees - row.daily_done
    assert dt.datetime.fromisoformat(body["computed_at"]) == row.computed_at


def test_a_street_administrator_gets_their_street_and_its_communities(client, studied):
    response = client.get(f"/api/v1/stats/orgs/{org(STREET).pk}", **bearer("street_admin"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date"] == "2026-06-15"
    assert body["organization"] == {"id": org(STREET).pk, "code": STREET, "name": "红旗街道", "level": "street",
                                    "level_label": "街道", "path": ["红旗街道"]}
    figures_match(body["figures"], org(STREET))
    street = body["figures"]
    members = TraineeProfile.objects.filter(organization__path__startswith=org(STREET).path).count()
    assert (street["trainees"], street["active_trainees"], street["daily_done"]) == (members, 3, 1)
    assert Decimal(street["credit_hours"]) == Decimal("2.25") and street["points"] == 10 + 2 + 3
    assert isinstance(street["credit_hours"], str)

    children = {child["organization"]["code"]: child for child in body["children"]}
    assert set(children) == {COMMUNITY, SIBLING}
    for code, child in children.items():
        assert child["organization"]["name"] == org(code).name and child["organization"]["level"] == "community"
        figures_match(child["figures"], org(code))
    assert body["children"][0]["organization"]["code"] == COMMUNITY  # the better daily rate first


def test_the_path_runs_from_the_callers_scope_root(client, studied):
    community = client.get(f"/api/v1/stats/orgs/{org(COMMUNITY).pk}", **bearer("street_admin")).json()
    assert community["organization"]["path"] == ["红旗街道", "长山花园社区"]
    assert community["children"] == []
    district = client.get(f"/api/v1/stats/orgs/{org(COMMUNITY).pk}", **bearer("district_admin")).json()
    assert district["organization"]["path"] == ["朝阳区", "红旗街道", "长山花园社区"]
    admin = client.get(f"/api/v1/stats/orgs/{org(STREET).pk}", **bearer("admin")).json()
    assert admin["organization"]["path"] == ["吉林省（演示）", "长春市", "朝阳区", "红旗街道"]
    assert admin["figures"] == client.get(f"/api/v1/stats/orgs/{org(STREET).pk}", **bearer("street_admin")).json()[
        "figures"]


def test_another_day_and_a_day_without_rows(client, studied):
    headers = bearer("street_admin")
    same = client.get(f"/api/v1/stats/orgs/{org(STREET).pk}?date=2026-06-15", **headers).json()
    assert same["figures"]["daily_done"] == 1
    empty = client.get(f"/api/v1/stats/orgs/{org(STREET).pk}?date=2026-06-14", **headers).json()
    assert empty["date"] == "2026-06-14"
    assert empty["figures"]["trainees"] == 0 and empty["figures"]["computed_at"] is None
    assert empty["figures"]["participation_rate"] == 0.0 and Decimal(empty["figures"]["credit_hours"]) == 0
    assert [c["figures"]["trainees"] for c in empty["children"]] == [0, 0]


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "20260615", "2026-W25-1", "昨天", "15/06/2026"])
def test_a_bad_date_is_a_422_in_chinese(client, monday, value):
    response = client.get(f"/api/v1/stats/orgs/{org(STREET).pk}", {"date": value}, **bearer("street_admin"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_date" and "日期格式应为 YYYY-MM-DD" in body["message"]


@pytest.mark.parametrize("path", ["", "/absent"])
def test_outside_the_subtree_is_indistinguishable_from_missing(client, monday, path):
    headers = bearer("street_admin")
    missing = client.get(f"/api/v1/stats/orgs/987654321{path}", **headers)
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "请求的对象不存在。"}
    for code in ("220104", "220102", "22", "2201040201"):  # their parent, a cousin district, the root, a cousin
        response = client.get(f"/api/v1/stats/orgs/{org(code).pk}{path}", **headers)
        assert response.status_code == 404, code
        assert response.json() == missing.json()
    assert client.get(f"/api/v1/stats/orgs/{org('220102').pk}{path}", **bearer("district_admin")).status_code == 404
    assert client.get(f"/api/v1/stats/orgs/{org(STREET).pk}{path}", **bearer("district_admin")).status_code == 200


@pytest.mark.parametrize("path", ["", "/absent"])
@pytest.mark.parametrize("username", ["trainee", "trainer"])
def test_accounts_without_an_administrator_scope_get_403(client, monday, path, username):
    for target in (org(COMMUNITY).pk, 987654321):  # their own community, or nothing at all: the same answer
        response = client.get(f"/api/v1/stats/orgs/{target}{path}", **bearer(username))
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden" and "组织管理员" in response.json()["message"]


@pytest.mark.parametrize("path", ["", "/absent"])
def test_anonymous_gets_401_and_a_session_works(client, monday, path):
    response = client.get(f"/api/v1/stats/orgs/{org(STREET).pk}{path}")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    bad = client.get(f"/api/v1/stats/orgs/{org(STREET).pk}{path}", HTTP_AUTHORIZATION="Bearer wagtail_nonsense")
    assert bad.status_code == 401
    client.force_login(User.objects.get(username="street_admin"))
    assert client.get(f"/api/v1/stats/orgs/{org(STREET).pk}{path}").status_code == 200


def _absent(client, headers, organization, **params):
    response = client.get(f"/api/v1/stats/orgs/{organization.pk}/absent", params, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_absent_lists_todays_non_finishers_page_by_page(client, studied):
    headers = bearer("street_admin")
    street = org(STREET)
    members = list(TraineeProfile.objects.filter(organization__path__startswith=street.path))
    zhang = User.objects.get(username="trainee")
    body = _absent(client, headers, street)
    assert body["lesson"] == {"id": studied.pk, "title": studied.title} and body["message"] is None
    assert body["date"] == "2026-06-15"
    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (len(members) - 1, 1, 1, 100)
    assert zhang.pk not in {row["user_id"] for row in body["results"]}
    summary = client.get(f"/api/v1/stats/orgs/{street.pk}", **headers).json()
    assert summary["figures"]["absent"] == body["count"]  # the rollup and the live list agree
    first = body["results"][0]
    profile = TraineeProfile.objects.select_related("organization").get(user_id=first["user_id"])
    assert first == {"user_id": profile.user_id, "real_name": profile.real_name, "phone": profile.phone,
                     "organization_code": profile.organization.code, "organization_name": profile.organization.name}

    # 150 more trainees in 红旗社区, one of them deactivated (never listed): two pages of at most 100.
    sibling = org(SIBLING)
    users = User.objects.bulk_create([User(username=f"absent-{n:03d}", password="!", is_active=n != 0)
                                      for n in range(151)])
    users = list(User.objects.filter(username__startswith="absent-").order_by("username"))
    TraineeProfile.objects.bulk_create([TraineeProfile(user=u, real_name=f"未学{n:03d}", organization=sibling)
                                        for n, u in enumerate(users)])
    expected = len(members) - 1 + 150
    one, two = _absent(client, headers, street), _absent(client, headers, street, page=2)
    assert (one["count"], one["pages"], len(one["results"])) == (expected, 2, 100)
    assert (two["count"], two["page"], len(two["results"])) == (expected, 2, expected - 100)
    listed = [row["user_id"] for row in one["results"] + two["results"]]
    assert len(set(listed)) == expected and zhang.pk not in listed and users[0].pk not in listed
    assert [row["organization_code"] for row in one["results"] + two["results"]] == sorted(
        row["organization_code"] for row in one["results"] + two["results"])

    small = _absent(client, headers, street, page=3, page_size=50)
    assert (small["pages"], len(small["results"])) == (4, 50)
    beyond = client.get(f"/api/v1/stats/orgs/{street.pk}/absent", {"page": 3}, **headers)
    assert beyond.status_code == 404 and beyond.json()["code"] == "invalid_page"
    for params in ({"page_size": 101}, {"page": 0}, {"page": "x"}):
        invalid = client.get(f"/api/v1/stats/orgs/{street.pk}/absent", params, **headers)
        assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_input"

    # Finishing the lesson takes a trainee off the list at once (it reads the ledger, not the rollup).
    credit(users[1].username, "daily", studied.pk, 10)
    assert _absent(client, headers, street)["count"] == expected - 1


def test_absent_on_a_day_without_a_lesson(client, monday):
    with time_machine.travel(at(dt.date(2026, 6, 20), 10), tick=False):  # a Saturday
        body = _absent(client, bearer("street_admin"), org(STREET))
    assert body["lesson"] is None and "没有每日一课" in body["message"]
    assert (body["count"], body["pages"], body["results"]) == (0, 0, [])


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/stats/orgs/{org_id}", "/api/v1/stats/orgs/{org_id}/absent"} <= set(schema["paths"])
    assert {"OrgStatsOut", "FiguresOut", "AbsentOut"} <= set(schema["components"]["schemas"])


def _queries(client, headers, n: int) -> tuple[int, int]:
    """Queries of both endpoints for a community with `n` grids, each with a trainee and a rollup row."""
    parent = org(STREET).add_child(name=f"批量社区{n}", code=f"8{n:05d}", level=Organization.Level.COMMUNITY)
    grids = [Organization(path=Organization._get_path(parent.path, parent.depth + 1, i + 1), depth=parent.depth + 1,
                          numchild=0, name=f"网格{i}", code=f"8{n:05d}{i:05d}", level=Organization.Level.GRID)
             for i in range(n)]
    Organization.objects.bulk_create(grids, batch_size=500)
    Organization.objects.filter(pk=parent.pk).update(numchild=n)
    grids = list(Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1))
    User.objects.bulk_create([User(username=f"grid{n}-{i}", password="!", date_joined=at(WORKDAY, 6))
                              for i in range(n)], batch_size=500)
    users = User.objects.filter(username__startswith=f"grid{n}-").order_by("id")
    TraineeProfile.objects.bulk_create([TraineeProfile(user=u, real_name=f"网格员{i}", organization=g)
                                        for i, (u, g) in enumerate(zip(users, grids, strict=True))], batch_size=500)
    stats_rebuild_day(WORKDAY)
    counts = []
    for path in ("", "/absent"):
        url = f"/api/v1/stats/orgs/{parent.pk}{path}"
        assert client.get(url, **headers).status_code == 200  # warm-up: the token's last-used stamp
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url, **headers).json()
        assert len(body["children"]) == n if path == "" else len(body["results"]) == min(n, 100)
        counts.append(len(ctx.captured_queries))
    return counts[0], counts[1]


def test_query_counts_do_not_grow_with_child_organisations(client, monday):
    headers = bearer("street_admin")
    small, large = _queries(client, headers, 10), _queries(client, headers, 1000)
    print(f"stats API queries (organisation, absent): {small} with 10 children, {large} with 1,000")
    assert small == large
    assert small[0] <= 8 and small[1] <= 7
