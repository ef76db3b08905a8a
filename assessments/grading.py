"""Server-side grading of one response to one question, as displayed to the trainee."""

from decimal import ROUND_HALF_UP, Decimal

from assessments.models import Question
from assessments.validation import LETTERS, accepted_fill_answers, answer_letters, normalize_text, truth_value


def _chosen_original_letters(response, display_order: list[int]) -> set[str] | None:
    """Display letters (as the trainee saw them) → the question's own option letters."""
    values = response if isinstance(response, list) else [response]
    chosen = set()
    for value in values:
        if not isinstance(value, str) or len(value.strip()) != 1:
            return None
        position = LETTERS.find(value.strip().upper())
        if position < 0 or position >= len(display_order):
            return None
        chosen.add(LETTERS[display_order[position]])
    return chosen


def grade(question: Question, display_order: list[int], response, *, partial_credit: bool) -> tuple[Decimal, bool]:
    """(points earned, fully correct) for one response; a missing or malformed response earns 0."""
    score = Decimal(question.score)
    if response in (None, "", []):
        return Decimal("0"), False
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        chosen = _chosen_original_letters(response, display_order)
        correct = set(answer_letters(question.answer))
        if not chosen:
            return Decimal("0"), False
        if chosen == correct:
            return score, True
        if question.kind == Question.Kind.MULTIPLE and partial_credit and chosen < correct:
            earned = (score * len(chosen) / len(correct)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return earned, False
        return Decimal("0"), False
    if question.kind == Question.Kind.TRUE_FALSE:
        expected = truth_value(question.answer)
        given = response if isinstance(response, bool) else truth_value(str(response))
        return (score, True) if given is not None and given == expected else (Decimal("0"), False)
    if question.kind == Question.Kind.FILL:
        ok = isinstance(response, str) and normalize_text(response) in accepted_fill_answers(question.answer)
        return (score, True) if ok else (Decimal("0"), False)
    return Decimal("0"), False


def display_answer(question: Question, display_order: list[int]) -> str:
    """The right answer in the letters the trainee saw."""
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        original = set(answer_letters(question.answer))
        return "".join(LETTERS[pos] for pos, idx in enumerate(display_order) if LETTERS[idx] in original)
    if question.kind == Question.Kind.TRUE_FALSE:
        return "对" if truth_value(question.answer) else "错"
    return " / ".join(p.strip() for p in question.answer.replace("｜", "|").split("|") if p.strip())
