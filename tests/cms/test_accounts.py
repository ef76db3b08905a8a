import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents.models import Document

from cms.models import LessonAttachment, LessonPage

pytestmark = pytest.mark.django_db


def test_the_admin_sends_people_to_the_one_rate_limited_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=/admin/"


def test_repeated_failed_logins_are_refused_even_with_the_right_password(client):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "trainee", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": "trainee", "password": "demo12345"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert "登录失败次数过多" in response.content.decode() or response.status_code == 429


def test_login_page_is_in_chinese_and_logs_in(client):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and "忘记密码" in page
    response = client.post("/accounts/login/", {"login": "trainer", "password": "demo12345"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_trainees_never_reach_the_admin(client):
    client.login(username="trainee", password="demo12345")
    for url in ("/admin/", "/admin/pages/", "/admin/snippets/"):
        response = client.get(url)
        assert response.status_code == 403, url  # a page that says why, not a login loop
        assert "没有访问权限" in response.content.decode(), url
    client.logout()
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")  # anonymous: the login page


def test_trainers_and_reviewers_reach_the_admin(client):
    for username in ("trainer", "reviewer"):
        client.login(username=username, password="demo12345")
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_public_sign_up_is_off_unless_a_setting_turns_it_on(client):
    closed = client.get("/accounts/signup/")
    assert "注册" in closed.content.decode() and "关闭" in closed.content.decode()
    with override_settings(COLLEGE_OPEN_SIGNUP=True):
        opened = client.get("/accounts/signup/")
    assert opened.status_code == 200 and 'name="password1"' in opened.content.decode()


def test_attachments_are_served_through_wagtails_document_view_only(client):
    lesson = LessonPage.objects.live().first()
    document = Document(title="社区议事规则范本")
    document.file.save("rules.txt", ContentFile("议事规则".encode()), save=True)
    LessonAttachment.objects.create(lesson=lesson, document=document, title="议事规则范本")

    html = client.get(lesson.url).content.decode()
    assert f"/documents/{document.id}/" in html
    assert "/media/documents/" not in html
    assert document.url.startswith(f"/documents/{document.id}/")
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).decode() == "议事规则"
    assert client.get("/media/" + document.file.name).status_code == 404


def test_unknown_urls_get_a_chinese_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
