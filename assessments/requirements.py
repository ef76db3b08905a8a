"""The completion condition assessments adds to learning: a daily lesson's quiz must be answered;
a lesson's quiz or a course's final exam must be passed."""

from django.db.models import Exists, OuterRef

from assessments.models import Attempt, Quiz


def quizzes_done(user, page) -> bool:
    """One query: is there a quiz on `page` without a graded (daily lesson) or passed attempt of `user`?"""
    done = Attempt.objects.filter(quiz=OuterRef("pk"), user=user, status=Attempt.Status.GRADED)
    if page.specific_class.__name__ != "DailyLessonPage":
        done = done.filter(passed=True)
    return not Quiz.objects.filter(page_id=page.pk).exclude(Exists(done)).exists()
