"""Formula injection (hole 4 of the outside probe): every CSV and XLSX the college writes keeps text that
looks like a formula inert — CSV cells get a leading apostrophe, XLSX cells are strings, never formulas."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from cms.models import DailyLessonPage
from core.api import inert_text
from orgs.api import TraineeProfile
from stats.services import class_stats_rebuild
from tests.assessments.test_stats import build_quiz, hand_built_attempts
from tests.cms.factories import daily_lesson
from tests.helpers import login, org

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2+3", "@SUM(1)", "|calc", "%0A=1", "\t=1"]
STREET = "22010401"


WORKDAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Tuesday, after 08:30


@pytest.fixture
def on_a_workday():
    """今日未学 lists people only on a workday with a lesson out: pin the clock to one, whatever the date."""
    with time_machine.travel(WORKDAY, tick=False):
        if not DailyLessonPage.objects.live().filter(lesson_date=WORKDAY.date()).exists():
            daily_lesson(WORKDAY.date())
        yield


@pytest.fixture
def hostile_names(on_a_workday):
    """The street's first trainees renamed to formula payloads."""
    profiles = list(TraineeProfile.objects.filter(organization__path__startswith=org(STREET).path)
                    .order_by("pk")[:len(PAYLOADS)])
    for profile, payload in zip(profiles, PAYLOADS, strict=True):
        profile.real_name = payload
    TraineeProfile.objects.bulk_update(profiles, ["real_name"])
    return PAYLOADS


def _csv_cells(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))  # not read-only: data_type tells formulas apart
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _exports():
    from learning.models import TrainingClass

    training_class = TrainingClass.objects.get(member_organizations__code=STREET)
    class_stats_rebuild(class_ids=[training_class.pk])
    return {
        "学员": "/admin/trainees/?",
        "今日未学": f"/admin/stats/absent/?org={org(STREET).pk}&",
        "学时排行": "/admin/reports/hours-ranking/?",
        "培训班报表": f"/admin/reports/training-class/?training_class={training_class.pk}&",
    }


def test_the_rule():
    assert [inert_text(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert inert_text("张小梅") == "张小梅" and inert_text(-2) == -2 and inert_text("") == ""


def test_every_csv_export_escapes_formula_like_names(hostile_names):
    client = login("district_admin")
    for label, url in _exports().items():
        cells = _csv_cells(client.get(url + "export=csv"))
        found = [cell for cell in cells if cell.lstrip("'") in hostile_names]
        assert found, f"{label}: the planted names are not in the export"
        assert all(cell.startswith("'") for cell in found), f"{label}: {found}"


def test_every_xlsx_export_stores_formula_like_names_as_text(hostile_names):
    client = login("district_admin")
    for label, url in _exports().items():
        response = client.get(url + "export=xlsx")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cells = _xlsx_cells(content)
        assert {c.value for c in cells} & set(hostile_names), f"{label}: the planted names are not in the export"
        assert not [c.coordinate for c in cells if c.data_type == "f"], f"{label}: a live formula"


def test_the_quiz_statistics_xlsx_keeps_a_formula_like_stem_as_text():
    quiz, questions = build_quiz()
    questions["single"].stem = "=1+1 哪一项正确？"
    questions["single"].save(update_fields=["stem"])
    hand_built_attempts(quiz)
    response = login("trainer").get(f"/admin/assessments/quizzes/{quiz.pk}/stats.xlsx")
    cells = _xlsx_cells(response.content)
    assert "=1+1 哪一项正确？" in {c.value for c in cells}
    assert not [c.coordinate for c in cells if c.data_type == "f"]
