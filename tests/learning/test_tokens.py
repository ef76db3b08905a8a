"""/me/tokens/: personal API tokens (Wagtail's APIToken) — shown once, authenticate, revocable by their owner."""

import re

import pytest
from django.contrib.auth.models import User
from wagtail.models import APIToken

from learning.services import TokenError, api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

PLAINTEXT = re.compile(r'id="me-token-plaintext">(wagtail_[0-9A-Za-z]+)<')


@pytest.fixture
def trainee(client):
    user = User.objects.get(username="trainee")
    client.force_login(user)
    return user


def _summary(client, token):
    return client.get("/api/v1/me/summary", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_create_shows_the_plaintext_once_and_it_authenticates(client, trainee):
    response = client.post("/me/tokens/", {"name": "街道数据看板"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = PLAINTEXT.search(response.content.decode()).group(1)
    token = APIToken.objects.get(user=trainee)
    assert token.name == "街道数据看板" and plaintext.startswith(token.prefix)
    assert plaintext not in str(dict(client.session))  # never kept in the session

    listing = client.get("/me/tokens/").content.decode()
    assert "街道数据看板" in listing and f"{token.prefix}…" in listing
    assert plaintext not in listing  # shown exactly once
    assert "Authorization: Bearer" in listing and 'href="/api/v1/docs"' in listing

    client.logout()
    summary = _summary(client, plaintext)
    assert summary.status_code == 200
    assert summary.json()["name"] == "张小梅"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_name_is_required_and_limited_to_60_characters(client, trainee):
    empty = client.post("/me/tokens/", {"name": "  "})
    assert "请填写令牌名称" in empty.content.decode()
    too_long = client.post("/me/tokens/", {"name": "长" * 61})
    assert "不能超过 60 个字" in too_long.content.decode()
    assert not APIToken.objects.filter(user=trainee).exists()
    assert client.post("/me/tokens/", {"name": "长" * 60}).status_code == 200
    assert APIToken.objects.filter(user=trainee).count() == 1


def test_revoked_token_gets_401(client, trainee):
    token, plaintext = api_token_create(user=trainee, name="办公系统")
    assert _summary(client, plaintext).status_code == 200

    assert client.get(f"/me/tokens/{token.pk}/revoke/").status_code == 405  # POST only
    response = client.post(f"/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/me/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已撤销" in client.get("/me/tokens/").content.decode()

    client.logout()
    response = _summary(client, plaintext)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_revoking_another_users_token_is_404_and_it_keeps_working(client, trainee):
    other = User.objects.get(username="trainee01")
    token, plaintext = api_token_create(user=other, name="别人的令牌")
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    assert "别人的令牌" not in client.get("/me/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    client.logout()
    assert _summary(client, plaintext).status_code == 200
    with pytest.raises(TokenError):
        api_token_revoke(user=trainee, token_id=token.pk)


def test_the_eleventh_active_token_is_refused(client, trainee):
    tokens = [api_token_create(user=trainee, name=f"令牌 {n}")[0] for n in range(10)]
    response = client.post("/me/tokens/", {"name": "第十一个"})
    html = response.content.decode()
    assert "每人最多保留 10 个有效令牌" in html
    assert not PLAINTEXT.search(html)
    assert APIToken.objects.filter(user=trainee).count() == 10

    api_token_revoke(user=trainee, token_id=tokens[0].pk)  # a revoked token frees a slot
    response = client.post("/me/tokens/", {"name": "第十一个"})
    assert PLAINTEXT.search(response.content.decode())
    assert APIToken.objects.filter(user=trainee, revoked_at__isnull=True).count() == 10
