"""Drawing a paper: which questions, in which order, with which option order — reproducible from
the attempt's stored seed."""

import random

from assessments.models import Question, Quiz

SHUFFLED_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)


def _candidates(quiz: Quiz) -> list[Question]:
    if quiz.mode == Quiz.Mode.FIXED:
        return [fq.question for fq in quiz.fixed_questions.select_related("question").order_by("sort_order", "id")]
    return []


def draw_paper(quiz: Quiz, seed: int) -> list[dict]:
    """[{"id": question id, "options": [original option index in display order]}]."""
    rng = random.Random(seed)
    if quiz.mode == Quiz.Mode.FIXED:
        questions = _candidates(quiz)
    else:
        questions, chosen = [], set()
        for rule in quiz.draw_rules.order_by("sort_order", "id"):
            pool = Question.objects.filter(bank_id=rule.bank_id).order_by("id")
            if rule.difficulty:
                pool = pool.filter(difficulty=rule.difficulty)
            pool = [q for q in pool if q.pk not in chosen and (not rule.tag or rule.tag in q.tag_list())]
            picked = rng.sample(pool, min(rule.count, len(pool)))
            chosen.update(q.pk for q in picked)
            questions += picked
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    paper = []
    for question in questions:
        order = list(range(len(question.options)))
        if quiz.shuffle_options and question.kind in SHUFFLED_KINDS:
            rng.shuffle(order)
        paper.append({"id": question.pk, "options": order})
    return paper


def paper_questions(paper: list[dict]) -> list[tuple[Question, list[int]]]:
    """The paper's questions, in display order, in one query."""
    by_id = Question.objects.in_bulk([item["id"] for item in paper])
    return [(by_id[item["id"]], item["options"]) for item in paper if item["id"] in by_id]
