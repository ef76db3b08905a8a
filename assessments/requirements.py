"""The completion condition assessments adds to learning: a daily lesson's quiz must be answered;
a lesson's quiz or a course's final exam must be passed."""

from assessments.models import Attempt, Quiz


def quizzes_done(user, page) -> bool:
    quiz_ids = list(Quiz.objects.filter(page_id=page.pk).values_list("pk", flat=True))
    if not quiz_ids:
        return True
    attempts = Attempt.objects.filter(user=user, quiz_id__in=quiz_ids, status=Attempt.Status.GRADED)
    if page.specific_class.__name__ != "DailyLessonPage":
        attempts = attempts.filter(passed=True)
    return set(attempts.values_list("quiz_id", flat=True)) == set(quiz_ids)
