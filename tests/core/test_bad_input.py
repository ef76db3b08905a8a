"""Hole 9 of the outside probe: bad input is a clear 4xx, never a server error — ids beyond the
database's bigint, oversized bodies, and Wagtail's deliberate-error page."""

import pytest

from tests.helpers import login

pytestmark = pytest.mark.django_db
HUGE = 2**63  # one past PostgreSQL's bigint and SQLite's INTEGER

TRAINEE_URLS = [
    ("get", f"/api/v1/lessons/{HUGE}/progress"), ("post", f"/api/v1/lessons/{HUGE}/heartbeat"),
    ("post", f"/api/v1/quizzes/{HUGE}/attempts"), ("get", f"/api/v1/attempts/{HUGE}"),
    ("post", f"/api/v1/attempts/{HUGE}/submit"), ("post", f"/me/courses/{HUGE}/enrollment/"),
    ("get", f"/me/journal/new/{HUGE}/"), ("get", f"/me/certificates/{HUGE}.pdf"), ("get", f"/me/growth/{HUGE}/"),
    ("get", f"/quizzes/{HUGE}/"), ("get", f"/quizzes/attempts/{HUGE}/"),
]
ADMIN_URLS = [f"/admin/trainees/edit/{HUGE}/", f"/admin/stats/orgs/{HUGE}/", f"/admin/certificates/{HUGE}/revoke/",
              f"/admin/pages/{HUGE}/", f"/admin/journals/{HUGE}/review/", f"/api/v1/stats/orgs/{HUGE}"]


@pytest.mark.parametrize(("method", "url"), TRAINEE_URLS)
def test_an_id_beyond_bigint_is_a_404_for_a_trainee(method, url):
    body = {"session": "abcdefgh1", "seq": 1, "position": 0, "watched": 0}
    response = getattr(login("trainee"), method)(url, body, content_type="application/json")
    assert response.status_code in (404, 405), (url, response.status_code)
    if url.startswith("/api/") and response.status_code == 404:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_an_id_beyond_bigint_is_a_404_for_an_administrator(url):
    client = login("admin")
    assert client.get(url).status_code in (404, 405), url
    assert client.post(url, {"reason": "x", "grade": "good"}).status_code in (404, 405), url


def test_wagtails_deliberate_error_page_is_not_served():
    assert login("admin").get("/admin/failwhale/").status_code == 404


def test_a_body_over_the_upload_limit_is_refused_with_a_4xx(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = login("trainee")
    response = client.post("/api/v1/me/summary", "x" * 4096, content_type="application/json")
    assert 400 <= response.status_code < 500
    form = login("trainee").post("/me/journal/new/1/", {"body": "长" * 4096})
    assert 400 <= form.status_code < 500
