"""Quiz pages for trainees: thin views over services and selectors; they work without JavaScript
(the script only adds autosave and the countdown)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Question, Quiz


def _answers_from_form(attempt, post) -> dict:
    kinds = {q.pk: q.kind for q in Question.objects.filter(pk__in=[item["id"] for item in attempt.paper])}
    answers = {}
    for question_id, kind in kinds.items():
        field = f"q_{question_id}"
        if kind == Question.Kind.MULTIPLE:
            answers[str(question_id)] = post.getlist(field)[:6]
        elif kind == Question.Kind.TRUE_FALSE:
            value = post.get(field)
            answers[str(question_id)] = {"true": True, "false": False}.get(value)
        else:
            answers[str(question_id)] = (post.get(field) or "")[:200]
    return answers


@login_required
def quiz_detail(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.select_related("page"), pk=quiz_id)
    if not quiz.page.live:
        raise Http404
    if request.method == "POST":
        try:
            attempt = services.attempt_start(user=request.user, quiz=quiz)
        except services.QuizError as error:
            messages.error(request, error.message)
        else:
            return redirect("assessments:attempt", attempt_id=attempt.pk)
    return render(request, "assessments/quiz.html", {**selectors.quiz_state(quiz, request.user), "page_obj": quiz.page})


@login_required
def attempt_page(request, attempt_id: int):
    attempt = selectors.attempt_for_user(request.user, attempt_id)
    if attempt is None:
        raise Http404
    if request.method == "POST":
        try:
            if attempt.status != attempt.Status.GRADED and request.POST.get("save_form") == "1":
                attempt = services.answers_save(user=request.user, attempt_id=attempt.pk,
                                                answers=_answers_from_form(attempt, request.POST))
        except services.QuizError as error:
            if error.code != "time_over":  # late: grade what was saved in time
                messages.error(request, error.message)
                return redirect("assessments:attempt", attempt_id=attempt.pk)
            messages.warning(request, error.message)
        else:
            confirmed = "1" in (request.POST.get("confirm_unanswered"), request.POST.get("time_up"))
            if selectors.unanswered_count(attempt) and not confirmed and not selectors.attempt_expired(attempt):
                # Nothing is spent yet: the answers are saved and the page asks once more, by the button.
                return redirect(f"{reverse('assessments:attempt', args=[attempt.pk])}?confirm=1#submit")
        services.attempt_submit(user=request.user, attempt_id=attempt.pk)
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    view = selectors.attempt_view(attempt)
    unanswered = selectors.unanswered_count(attempt) if request.GET.get("confirm") == "1" else 0
    return render(request, "assessments/attempt.html", {"attempt": view, "quiz": attempt.quiz,
                                                        "unanswered": unanswered})
