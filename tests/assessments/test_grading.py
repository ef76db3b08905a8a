from decimal import Decimal

import pytest

from assessments.grading import display_answer, grade
from assessments.models import Question

pytestmark = pytest.mark.django_db


def q(**fields):
    base = dict(stem="题", score=Decimal("2"), explanation="")
    base.update(fields)
    return Question(**base)


SINGLE = dict(kind="single", option_a="甲", option_b="乙", option_c="丙", answer="B")
MULTI = dict(kind="multiple", option_a="甲", option_b="乙", option_c="丙", option_d="丁", answer="ACD")


@pytest.mark.parametrize(
    ("spec", "order", "response", "expected"),
    [
        (SINGLE, [0, 1, 2], "B", (Decimal("2"), True)),
        (SINGLE, [0, 1, 2], "A", (Decimal("0"), False)),
        (SINGLE, [2, 0, 1], "C", (Decimal("2"), True)),  # 乙 shown third
        (SINGLE, [2, 0, 1], "B", (Decimal("0"), False)),
        (SINGLE, [0, 1, 2], "Z", (Decimal("0"), False)),
        (SINGLE, [0, 1, 2], ["A", "B"], (Decimal("0"), False)),
        (MULTI, [0, 1, 2, 3], ["A", "C", "D"], (Decimal("2"), True)),
        (MULTI, [0, 1, 2, 3], ["D", "C", "A"], (Decimal("2"), True)),
        (MULTI, [0, 1, 2, 3], ["A", "C"], (Decimal("0"), False)),  # all-or-nothing by default
        (MULTI, [0, 1, 2, 3], ["A", "B", "C", "D"], (Decimal("0"), False)),
        (MULTI, [3, 2, 1, 0], ["A", "B", "D"], (Decimal("2"), True)),  # 丁 丙 乙 甲 → A=丁 B=丙 D=甲
        (dict(kind="truefalse", answer="对"), [], True, (Decimal("2"), True)),
        (dict(kind="truefalse", answer="对"), [], False, (Decimal("0"), False)),
        (dict(kind="truefalse", answer="错"), [], False, (Decimal("2"), True)),
        (dict(kind="fill", answer="报到|報到"), [], "  报到 ", (Decimal("2"), True)),
        (dict(kind="fill", answer="报到|報到"), [], "報到", (Decimal("2"), True)),
        (dict(kind="fill", answer="ABC"), [], "ａｂｃ", (Decimal("2"), True)),  # full-width, any case
        (dict(kind="fill", answer="报到|報到"), [], "签到", (Decimal("0"), False)),
        (dict(kind="fill", answer="报到"), [], None, (Decimal("0"), False)),
    ],
)
def test_every_kind_graded_right_and_wrong(spec, order, response, expected):
    assert grade(q(**spec), order, response, partial_credit=False) == expected


def test_partial_credit_for_multiple_when_the_quiz_allows_it():
    question = q(**MULTI, score=Decimal("3"))
    assert grade(question, [0, 1, 2, 3], ["A", "C"], partial_credit=True) == (Decimal("2.00"), False)
    assert grade(question, [0, 1, 2, 3], ["A", "B"], partial_credit=True) == (Decimal("0"), False)


def test_the_right_answer_is_shown_in_the_letters_the_trainee_saw():
    assert display_answer(q(**SINGLE), [2, 0, 1]) == "C"
    assert display_answer(q(**MULTI), [3, 2, 1, 0]) == "ABD"
    assert display_answer(q(kind="truefalse", answer="错"), []) == "错"
