"""Writing a question import (assessments.services_import): all or nothing, never a duplicate."""

import pytest

from assessments.exports import export_xlsx
from assessments.imports import plan_import
from assessments.models import Question, QuestionBank
from assessments.services_import import QuestionImportError, questions_import
from tests.assessments.sheets import GOOD_ROWS, xlsx

pytestmark = pytest.mark.django_db

FIELDS = ("kind", "stem", "option_a", "option_b", "option_c", "option_d", "option_e", "option_f", "answer",
          "explanation", "score", "difficulty", "tags")


def _snapshot(bank) -> list[tuple]:
    return list(Question.objects.filter(bank=bank).order_by("stem").values_list(*FIELDS))


def _import(bank, data):
    plan = plan_import(bank=bank, filename="题库.xlsx", data=data)
    assert plan.ok, plan.errors
    return questions_import(bank=bank, rows=plan.rows)


def test_the_corrected_file_imports_and_importing_it_again_changes_nothing():
    bank = QuestionBank.objects.create(name="导入测试题库")
    assert _import(bank, xlsx(GOOD_ROWS)) == {"created": 8, "updated": 0, "unchanged": 0}
    before = _snapshot(bank)
    ids = set(Question.objects.filter(bank=bank).values_list("pk", flat=True))
    assert _import(bank, xlsx(GOOD_ROWS)) == {"created": 0, "updated": 0, "unchanged": 8}
    assert _snapshot(bank) == before
    assert set(Question.objects.filter(bank=bank).values_list("pk", flat=True)) == ids


def test_a_changed_row_updates_the_matching_question_in_place():
    bank = QuestionBank.objects.create(name="导入测试题库")
    _import(bank, xlsx(GOOD_ROWS))
    question = Question.objects.get(bank=bank, stem="社区居民委员会每届任期几年？")
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][1] = "社区居民委员会每届任期几年?"  # same normalised stem
    rows[0][9] = "《居民委员会组织法》第八条。"
    assert _import(bank, xlsx(rows)) == {"created": 0, "updated": 1, "unchanged": 7}
    question.refresh_from_db()
    assert question.explanation == "《居民委员会组织法》第八条。" and question.stem == "社区居民委员会每届任期几年?"
    assert Question.objects.filter(bank=bank).count() == 8


def test_new_questions_take_the_banks_track_and_are_valid():
    from cms.models import Track

    bank = QuestionBank.objects.create(name="导入测试题库", track=Track.objects.first())
    _import(bank, xlsx(GOOD_ROWS))
    for question in Question.objects.filter(bank=bank):
        question.full_clean()
        assert question.track_id == bank.track_id


def test_a_plan_applied_twice_matches_again_instead_of_duplicating():
    bank = QuestionBank.objects.create(name="导入测试题库")
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx(GOOD_ROWS))
    questions_import(bank=bank, rows=plan.rows)
    assert questions_import(bank=bank, rows=plan.rows) == {"created": 0, "updated": 0, "unchanged": 8}
    assert Question.objects.filter(bank=bank).count() == 8


def test_rows_with_duplicate_stems_are_refused_whole():
    bank = QuestionBank.objects.create(name="导入测试题库")
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx(GOOD_ROWS))
    with pytest.raises(QuestionImportError):
        questions_import(bank=bank, rows=[plan.rows[0], plan.rows[0]])
    assert not Question.objects.filter(bank=bank).exists()


def test_export_then_import_round_trips():
    source = QuestionBank.objects.create(name="源题库")
    _import(source, xlsx(GOOD_ROWS))
    Question.objects.create(bank=source, kind="multiple", stem="手工录入的多选题", option_a="甲", option_b="乙",
                            option_c="丙", answer="c,a", explanation="换行\n也保留", score="2.5", difficulty=3,
                            tags="手工，录入")
    data = export_xlsx(Question.objects.filter(bank=source).order_by("id"))

    copy = QuestionBank.objects.create(name="副本题库")
    assert _import(copy, data)["created"] == 9
    expected = [row if row[1] != "手工录入的多选题" else (*row[:8], "AC", *row[9:12], "手工,录入")
                for row in _snapshot(source)]
    assert _snapshot(copy) == expected
    # Back into the bank it came from: everything is already there.
    assert _import(source, data) == {"created": 0, "updated": 0, "unchanged": 9}
