"""One rate-limited login for every form (hole 1 of the outside probe) and a logout that needs a POST."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OTHER_LOGIN_FORMS = ["/django-admin/login/", "/_util/login/", "/admin/login/"]


@pytest.mark.parametrize("url", OTHER_LOGIN_FORMS)
def test_the_other_login_forms_only_send_people_to_the_rate_limited_one(url):
    client = Client()
    for _ in range(30):
        client.post(url, {"username": "admin", "password": "wrong-password", "login": "admin"})
    response = client.post(f"{url}?next=/admin/", {"username": "admin", "password": "demo12345",
                                                   "login": "admin"})
    assert response.status_code in (301, 302) and response["Location"] == "/accounts/login/?next=/admin/"
    assert "_auth_user_id" not in client.session  # the right password through them signs nobody in


def test_thirty_wrong_passwords_through_any_form_lock_the_superuser_out_of_the_one_login():
    client = Client()
    for url in OTHER_LOGIN_FORMS:
        client.post(url, {"username": "admin", "password": "wrong-password"})
    for _ in range(5):
        client.post("/accounts/login/", {"login": "admin", "password": "wrong-password"})
    refused = client.post("/accounts/login/", {"login": "admin", "password": "demo12345"})
    assert "_auth_user_id" not in client.session
    assert refused.status_code == 429 or "登录失败次数过多" in refused.content.decode()


def test_a_get_on_the_admin_logout_keeps_the_session_and_a_post_ends_it():
    client = Client()
    assert client.post("/accounts/login/", {"login": "trainer", "password": "demo12345"}).status_code == 302
    session_key = client.session.session_key
    response = client.get("/admin/logout/")  # e.g. an <img src> on another page
    assert response.status_code == 405
    cookie = response.cookies.get("sessionid")
    assert cookie is None or (cookie.value == session_key and cookie["max-age"] != 0)  # not deleted
    assert client.get("/admin/").status_code == 200

    logged_out = client.post("/admin/logout/")
    assert logged_out.status_code == 302 and logged_out["Location"].startswith("/accounts/login/")
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")
