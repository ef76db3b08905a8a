"""/me/notifications/ (通知): unread first, mark all read, open a notice, the e-mail switch, the header badge."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory, override_settings
from django.utils import timezone

from notifications.context_processors import unread_notifications
from notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db

WITH_BADGE = [{
    **settings.TEMPLATES[0],
    "OPTIONS": {
        **settings.TEMPLATES[0]["OPTIONS"],
        "context_processors": [*settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                               "notifications.context_processors.unread_notifications"],
    },
}]


@pytest.fixture
def trainee(client):
    user = User.objects.get(username="trainee")
    client.force_login(user)
    return user


def _notices(user, count: int, *, read: int = 0, url: str = "/me/", tag: str = "t") -> list[Notification]:
    now = timezone.now()
    notices = Notification.objects.bulk_create([
        Notification(user=user, kind=Notification.Kind.DAILY_OUT, reason=f"{tag}:{n}", title=f"通知 {n}",
                     body="今日金句", url=url, read_at=now if n < read else None)
        for n in range(count)
    ])
    for n, notice in enumerate(notices):  # distinct times, the oldest first
        Notification.objects.filter(pk=notice.pk).update(created_at=now - dt.timedelta(minutes=count - n))
    return notices


def test_anonymous_is_sent_to_the_login_page(client):
    for url in ("/me/notifications/",):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/me/notifications/read-all/").status_code == 302


def test_unread_first_paginated_and_mark_all_read(client, trainee):
    _notices(trainee, 25, read=10)  # 通知 0–9 read, 10–24 unread
    _notices(User.objects.get(username="trainee01"), 3)

    response = client.get("/me/notifications/")
    page = response.context["page_obj"]
    assert response.status_code == 200 and page.paginator.count == 25 and len(page.object_list) == 20
    titles = [n.title for n in page.object_list]
    assert titles[:15] == [f"通知 {n}" for n in range(24, 9, -1)], "unread first, newest first"
    assert titles[15:] == [f"通知 {n}" for n in range(9, 4, -1)]
    html = response.content.decode()
    assert "15 条未读" in html and "全部标为已读" in html and html.count('class="unread"') == 15
    assert "第 1 / 2 页" in html

    assert client.get("/me/notifications/read-all/").status_code == 405  # a change needs a POST
    response = client.post("/me/notifications/read-all/")
    assert response.status_code == 302 and response["Location"] == "/me/notifications/"
    assert not Notification.objects.filter(user=trainee, read_at__isnull=True).exists()
    assert Notification.objects.filter(user__username="trainee01", read_at__isnull=True).count() == 3
    html = client.get("/me/notifications/").content.decode()
    assert "0 条未读" in html and "全部标为已读" not in html and "已将 15 条通知标为已读" in html


def test_opening_a_notice_marks_it_read_and_follows_its_own_link_only(client, trainee):
    inside = _notices(trainee, 1, url="/daily/today/")[0]
    outside = _notices(trainee, 1, url="https://example.org/", tag="outside")[0]
    response = client.get(f"/me/notifications/{inside.pk}/")
    assert response.status_code == 302 and response["Location"] == "/daily/today/"
    inside.refresh_from_db()
    assert inside.read_at is not None
    response = client.get(f"/me/notifications/{outside.pk}/")
    assert response["Location"] == "/me/notifications/"

    other = _notices(User.objects.get(username="trainee01"), 1)[0]
    assert client.get(f"/me/notifications/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def _email_section(client) -> str:
    html = client.get("/me/notifications/").content.decode()
    start = html.index('aria-labelledby="notice-email"')
    return html[start:html.index("</section>", start)]


def test_without_an_email_address_reminders_are_not_shown_as_on(client, trainee):
    assert trainee.email == ""
    section = _email_section(client)
    assert "还没有登记邮箱" in section and "暂时无法发送" in section
    assert "管理员登记邮箱" in section, "says how to get one added"
    assert "已开启" not in section and "不再接收邮件提醒" not in section and "<button" not in section


def test_the_email_switch(client, trainee):
    trainee.email = "trainee@example.cn"
    trainee.save(update_fields=["email"])
    html = _email_section(client)
    assert "没有登记邮箱" not in html and "已开启" in html and "不再接收邮件提醒" in html
    client.post("/me/notifications/email/", {"email_opt_out": "1"})
    assert NotificationPreference.objects.get(user=trainee).email_opt_out is True
    html = client.get("/me/notifications/").content.decode()
    assert "已关闭" in html and "开启邮件提醒" in html
    client.post("/me/notifications/email/", {"email_opt_out": "0"})
    assert NotificationPreference.objects.get(user=trainee).email_opt_out is False


def test_empty_state(client, trainee):
    html = client.get("/me/notifications/").content.decode()
    assert "还没有通知" in html


# --- the header badge -------------------------------------------------------------------------


def test_the_context_processor_costs_one_count_for_a_user_and_none_for_anonymous(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notifications(request) == {"unread_notifications": 0}

    user = User.objects.get(username="trainee")
    _notices(user, 4, read=1)
    request.user = user
    with django_assert_num_queries(0):
        context = unread_notifications(request)  # lazy: a page that does not show it pays nothing
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 3
        assert str(context["unread_notifications"]) == "3"


@override_settings(TEMPLATES=WITH_BADGE)
def test_the_header_shows_the_unread_count_next_to_my_learning(client, trainee):
    html = client.get("/me/").content.decode()
    assert 'href="/me/notifications/">通知</a>' in html  # nothing unread: no badge

    _notices(trainee, 3)
    html = client.get("/me/").content.decode()
    assert '<span class="badge" aria-label="3 条未读">3</span>' in html
    assert html.index('href="/me/">我的学习') < html.index('class="badge"')

    _notices(User.objects.get(username="trainee01"), 120)
    client.force_login(User.objects.get(username="trainee01"))
    assert ">99+</span>" in client.get("/me/").content.decode()

    client.logout()
    assert "badge" not in client.get("/courses/").content.decode()
