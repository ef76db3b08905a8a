"""The admin trainee list and its exports show an administrator their own subtree and nothing else."""

import csv
import io

import openpyxl
import pytest
from django.test import Client

from orgs.api import Organization, TraineeProfile

pytestmark = pytest.mark.django_db


def admin_client(username):
    client = Client()
    client.login(username=username, password="demo12345")
    return client


def _in_subtree(code):
    root = Organization.objects.get(code=code)
    return TraineeProfile.objects.filter(organization__path__startswith=root.path)


def _outside(code):
    root = Organization.objects.get(code=code)
    return TraineeProfile.objects.exclude(organization__path__startswith=root.path)


@pytest.mark.parametrize(("username", "code"), [("street_admin", "22010401"), ("district_admin", "220104")])
def test_the_list_shows_only_the_administrators_subtree(username, code):
    html = admin_client(username).get("/admin/trainees/").content.decode()
    inside, outside = _in_subtree(code), _outside(code)
    assert inside.exists() and outside.exists()
    for profile in inside:
        assert profile.phone in html
    for profile in outside:
        assert profile.phone not in html


def test_exports_carry_the_same_scope():
    client = admin_client("street_admin")
    expected = set(_in_subtree("22010401").values_list("phone", flat=True))

    response = client.get("/admin/trainees/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "手机号", "所属组织", "岗位", "入职日期")
    assert {str(row[1]) for row in rows[1:]} == expected

    text = b"".join(client.get("/admin/trainees/", {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert {row["手机号"] for row in csv.DictReader(io.StringIO(text))} == expected


def test_another_streets_trainee_cannot_be_opened_or_moved_in():
    client = admin_client("street_admin")
    stranger = _outside("22010401").first()
    assert client.get(f"/admin/trainees/edit/{stranger.pk}/").status_code == 404
    assert client.post(f"/admin/trainees/edit/{stranger.pk}/", {"real_name": "改名"}).status_code == 404

    own = _in_subtree("22010401").first()
    elsewhere = Organization.objects.get(code="2202040101")  # 吉林市 船营区
    response = client.post(f"/admin/trainees/edit/{own.pk}/", {
        "real_name": own.real_name, "phone": own.phone, "organization": elsewhere.pk, "position": own.position,
    })
    own.refresh_from_db()
    assert own.organization.code.startswith("22010401")
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    stranger.refresh_from_db()
    assert stranger.real_name != "改名"


def test_trainees_and_trainers_cannot_list_trainees():
    assert admin_client("trainee").get("/admin/trainees/").status_code == 403  # no admin access at all
    trainer = admin_client("trainer").get("/admin/trainees/")
    assert trainer.status_code in (302, 403)
    assert TraineeProfile.objects.first().phone not in trainer.content.decode()
