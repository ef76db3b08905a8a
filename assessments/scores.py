"""Final-exam scores for learning's reports: registered with `learning.api.register_exam_scores`.

A quiz on a course page is that course's final exam (结业考试). A trainee's score for a course is the
best of their graded attempts in percent; over several courses it is the average of those bests.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, FloatField, Max
from django.db.models.functions import Cast

from assessments.models import Attempt

ONE_DECIMAL = Decimal("0.1")


def final_exam_scores(user_ids, course_ids) -> dict[int, Decimal]:
    """{user id: best final-exam percent (1 decimal), averaged over courses} — one query.

    `user_ids` may be a list or a sub-select; users without a graded exam attempt are left out.
    """
    course_ids = list(course_ids)
    if not course_ids:
        return {}
    percent = Cast(F("score"), FloatField()) * 100.0 / Cast(F("max_score"), FloatField())
    bests = (Attempt.objects.filter(user_id__in=user_ids, quiz__page_id__in=course_ids,
                                    status=Attempt.Status.GRADED, score__isnull=False, max_score__gt=0)
             .order_by().values("user_id", "quiz__page_id").annotate(best=Max(percent))
             .values_list("user_id", "best"))
    per_user: dict[int, list[Decimal]] = {}
    for user_id, best in bests:
        per_user.setdefault(user_id, []).append(Decimal(str(best)))
    return {user_id: (sum(values) / len(values)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
            for user_id, values in per_user.items()}
