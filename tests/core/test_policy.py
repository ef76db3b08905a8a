"""The policy switches for the 2026 government-app rules (core.models.CollegePolicy, 设置 › 合规开关): each
turns one feature off everywhere it shows, and nothing else breaks."""

import pytest

from core.models import CollegePolicy
from learning.tasks_reminders import daily_out_task
from notifications.models import Notification
from tests.core.test_exports_inert import on_a_workday  # noqa: F401 - a fixture, used by name
from tests.helpers import login

pytestmark = pytest.mark.django_db
TRAINEE_PAGES = ["/", "/me/", "/me/history/", "/me/growth/", "/me/notifications/", "/daily/today/"]


def switch_off(**fields):
    policy = CollegePolicy.load()
    for name in fields:
        setattr(policy, name, False)
    policy.save()


def test_all_on_by_default_and_every_page_works_with_all_off():
    admin, trainee = login("admin"), login("trainee")
    assert "hours-ranking" in admin.get("/admin/").content.decode()
    assert "连续学习" in trainee.get("/me/").content.decode()
    switch_off(rankings_enabled=True, streaks_enabled=True, timed_reminders_enabled=True)
    for url in TRAINEE_PAGES:
        assert trainee.get(url, follow=True).status_code == 200, url
    for url in ["/admin/", "/admin/stats/", "/admin/stats/absent/"]:
        assert admin.get(url, follow=True).status_code == 200, url


def test_with_rankings_off_no_ranking_of_people_is_offered_or_served():
    admin = login("admin")
    assert admin.get("/admin/reports/hours-ranking/").status_code == 200
    switch_off(rankings_enabled=True)
    assert "hours-ranking" not in admin.get("/admin/").content.decode()  # not in the 报表 menu
    assert admin.get("/admin/reports/hours-ranking/").status_code == 404
    assert admin.get("/admin/reports/hours-ranking/?export=csv").status_code == 404


def test_with_streaks_off_no_page_or_api_counts_consecutive_days():
    trainee = login("trainee")
    switch_off(streaks_enabled=True)
    assert "连续学习" not in trainee.get("/me/").content.decode()
    assert "连续学习" not in trainee.get("/me/growth/").content.decode()
    summary = trainee.get("/api/v1/me/summary").json()
    assert summary["streak"] is None and summary["points"] >= 0


@pytest.mark.usefixtures("on_a_workday")
def test_with_timed_reminders_off_nothing_is_pushed_at_0830():
    switch_off(timed_reminders_enabled=True)
    assert daily_out_task() == 0
    assert not Notification.objects.filter(kind=Notification.Kind.DAILY_OUT).exists()
    policy = CollegePolicy.load()
    policy.timed_reminders_enabled = True
    policy.save()
    assert daily_out_task() > 0  # the control: on, the same morning notifies the trainees
    assert Notification.objects.filter(kind=Notification.Kind.DAILY_OUT).exists()


def test_a_superuser_switches_them_in_the_admin():
    admin = login("admin")
    page = admin.get("/admin/settings/core/collegepolicy/", follow=True)
    assert page.status_code == 200 and "合规开关" in page.content.decode()
    url = page.redirect_chain[-1][0] if page.redirect_chain else "/admin/settings/core/collegepolicy/"
    response = admin.post(url, {"rankings_enabled": "on", "timed_reminders_enabled": "on"})
    assert response.status_code == 302
    policy = CollegePolicy.load()
    assert (policy.rankings_enabled, policy.streaks_enabled, policy.timed_reminders_enabled) == (True, False, True)
    assert login("trainee").get("/api/v1/me/summary").json()["streak"] is None
