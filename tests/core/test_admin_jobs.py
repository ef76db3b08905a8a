"""定时任务运行记录 in the Wagtail admin: superusers read the jobs' last runs and failures; nobody edits them."""

import pytest
from django.contrib.auth.models import User

from core import jobs
from core.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs():
    with jobs.job_run("beat-tick"):
        pass
    with pytest.raises(ValueError), jobs.job_run("daily-reminder"):
        raise ValueError("SMTP 服务器拒绝连接")
    return {run.name: run for run in JobRun.objects.all()}


def test_superusers_see_last_runs_and_failures(client, runs):
    client.force_login(User.objects.get(username="admin"))
    response = client.get("/admin/job-runs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "beat-tick" in html and "daily-reminder" in html and "SMTP 服务器拒绝连接" in html
    assert "/admin/job-runs/new/" not in html and "/admin/job-runs/edit/" not in html
    assert client.get(f"/admin/job-runs/inspect/{runs['daily-reminder'].pk}/").status_code == 200
    assert "/admin/job-runs/" in client.get("/admin/").content.decode()  # in the Settings menu


def test_nobody_edits_or_deletes_them(client, runs):
    client.force_login(User.objects.get(username="admin"))
    pk = runs["beat-tick"].pk
    for url in ("/admin/job-runs/new/", f"/admin/job-runs/edit/{pk}/", f"/admin/job-runs/delete/{pk}/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(f"/admin/job-runs/delete/{pk}/").status_code in (302, 403)
    assert JobRun.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("username", ["street_admin", "trainer", "district_admin"])
def test_other_admin_users_do_not_see_them(client, runs, username):
    client.force_login(User.objects.get(username=username))
    assert client.get("/admin/job-runs/").status_code in (302, 403)
    assert "/admin/job-runs/" not in client.get("/admin/").content.decode()
