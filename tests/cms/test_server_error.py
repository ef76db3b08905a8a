"""While the database is unreachable (a restart, a fail-over) a request is refused with 503 and Retry-After,
so the player and the quiz page send what they hold again; any other failure stays a plain 500."""

import json

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import Client

from cms.models import LessonPage

pytestmark = pytest.mark.django_db


def _client():
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="trainee"))
    return client


def _beat(client, lesson):
    return client.post(f"/api/v1/lessons/{lesson.pk}/heartbeat",
                       json.dumps({"session": "s" * 8, "seq": 1, "position": 3, "watched": 3}),
                       content_type="application/json")


@pytest.fixture
def lesson():
    return LessonPage.objects.live().order_by("path").first()


def test_a_lost_database_connection_is_a_503_to_send_again(monkeypatch, lesson):
    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("learning.services.progress_record", unreachable)
    response = _beat(_client(), lesson)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {"code": "unavailable", "message": "服务暂时不可用，请稍后重试。"}


def test_any_other_failure_stays_a_500(monkeypatch, lesson):
    def broken(**kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("learning.services.progress_record", broken)
    response = _beat(_client(), lesson)
    assert response.status_code == 500 and "Retry-After" not in response
    assert "服务暂时不可用" in response.content.decode()
