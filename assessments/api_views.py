"""API v1 endpoints for quizzes: start or resume, autosave, submit, read. The JSON carries no answer
key, score or explanation until the quiz's review policy allows it."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from assessments import selectors, services
from assessments.models import Quiz
from core.api import ERRORS

router = Router(tags=["测验"])

Response = str | list[str] | bool | None


class OptionOut(Schema):
    key: str
    text: str


class QuestionOut(Schema):
    id: int
    number: int
    kind: str = Field(description="single 单选 / multiple 多选 / truefalse 判断 / fill 填空")
    kind_label: str
    stem: str
    score: Decimal
    options: list[OptionOut]
    response: Response = None
    earned: Decimal | None = None
    correct: bool | None = Field(None, description="仅在允许查看答案时出现")
    answer: str | None = Field(None, description="仅在允许查看答案时出现")
    explanation: str | None = Field(None, description="仅在允许查看解析时出现")


class AttemptOut(Schema):
    id: int
    quiz_id: int
    quiz_title: str
    number: int
    status: str
    started_at: dt.datetime
    deadline: dt.datetime | None
    seconds_left: int | None
    submitted_at: dt.datetime | None
    score: Decimal | None
    max_score: Decimal | None
    passed: bool | None
    pass_mark: int
    review_available: bool
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[str, str | list[str] | bool | None] = Field(
        description="题目编号 → 作答：单选 \"B\"；多选 [\"A\",\"C\"]；判断 true/false；填空 \"文字\""
    )


class SavedOut(Schema):
    saved_at: dt.datetime
    answered: int
    total: int




@router.post("/quizzes/{quiz_id}/attempts", response={201: AttemptOut, **ERRORS}, summary="开始或继续作答",
             exclude_none=True)
def attempt_start(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.select_related("page"), pk=quiz_id)
    return Status(201, selectors.attempt_view(services.attempt_start(user=request.user, quiz=quiz)))


@router.put("/attempts/{attempt_id}/answers", response={200: SavedOut, **ERRORS}, summary="自动保存答案")
def answers_save(request, attempt_id: int, body: AnswersIn):
    for value in body.answers.values():
        if isinstance(value, str) and len(value) > 200 or isinstance(value, list) and len(value) > 6:
            raise services.QuizError("invalid_input", "答案过长。", 422)
    attempt = services.answers_save(user=request.user, attempt_id=attempt_id, answers=body.answers)
    return {"saved_at": attempt.answers_saved_at, "answered": selectors.answered_count(attempt),
            "total": len(attempt.paper)}


@router.post("/attempts/{attempt_id}/submit", response={200: AttemptOut, **ERRORS}, summary="提交答卷",
             exclude_none=True)
def attempt_submit(request, attempt_id: int):
    return selectors.attempt_view(services.attempt_submit(user=request.user, attempt_id=attempt_id))


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS}, summary="查看答卷", exclude_none=True)
def attempt_detail(request, attempt_id: int):
    attempt = selectors.attempt_for_user(request.user, attempt_id)
    if attempt is None:
        raise services.QuizError("not_found", "答卷不存在。", 404)
    return selectors.attempt_view(attempt)
