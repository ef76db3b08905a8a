"""Hole 6 of the outside probe: a street administrator learns nothing about trainees outside the street —
not through a trainee's history or usage page, nor through 站点历史 (site history)."""

import pytest
from django.contrib.auth.models import User
from wagtail.log_actions import log

from orgs.api import TraineeProfile
from tests.helpers import login, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited():
    """One trainee inside 红旗街道 and one outside, each edited once in the admin (so both have history)."""
    street = org("22010401")
    inside = TraineeProfile.objects.filter(organization__path__startswith=street.path).order_by("pk").first()
    outside = TraineeProfile.objects.exclude(organization__path__startswith=street.path).order_by("pk").first()
    admin = User.objects.get(username="admin")
    for profile, name in ((inside, "街道内学员甲"), (outside, "外街道学员乙")):
        profile.real_name = name
        profile.save(update_fields=["real_name"])
        log(instance=profile, action="wagtail.edit", user=admin)
    return inside, outside


@pytest.mark.parametrize("view", ["history", "usage"])
def test_another_streets_trainee_history_and_usage_are_404(edited, view):
    inside, outside = edited
    client = login("street_admin")
    assert client.get(f"/admin/trainees/{view}/{inside.pk}/").status_code == 200
    response = client.get(f"/admin/trainees/{view}/{outside.pk}/")
    assert response.status_code == 404 and "外街道学员乙" not in response.content.decode()


def test_site_history_lists_only_the_administrators_own_trainees(edited):
    page = login("street_admin").get("/admin/reports/site-history/").content.decode()
    assert "街道内学员甲" in page and "外街道学员乙" not in page
    export = login("street_admin").get("/admin/reports/site-history/?export=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig") if export.streaming else export.content.decode()
    assert "外街道学员乙" not in text
    everything = login("admin").get("/admin/reports/site-history/").content.decode()
    assert "街道内学员甲" in everything and "外街道学员乙" in everything
