"""Enrollment: self-service for open courses, automatic for training-class members."""

from django.db import transaction
from django.utils.translation import gettext as _

from cms.models import CoursePage
from core.api import DomainError
from learning import membership
from learning.membership import classes_of
from learning.models import Enrollment, TrainingClass


class EnrollmentError(DomainError):
    status = 409


def enrollment_create(*, user, course: CoursePage) -> Enrollment:
    if not course.live:
        raise EnrollmentError("course_unavailable", _("该课程尚未发布或已下线。"), 404)
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    required = any(c.courses.filter(pk=course.pk).exists() for c in classes_of(user.pk))
    if not course.self_enroll_open and not required:
        raise EnrollmentError("enrollment_closed", _("该课程不开放自主选课，请通过所在培训班学习。"))
    source = Enrollment.Source.CLASS if required else Enrollment.Source.SELF
    enrollment, _created = Enrollment.objects.get_or_create(user=user, course=course, defaults={"source": source})
    return enrollment


@transaction.atomic
def enrollment_leave(*, user, course: CoursePage) -> None:
    if any(c.courses.filter(pk=course.pk).exists() for c in classes_of(user.pk)):
        raise EnrollmentError("required_by_class", _("这是你所在培训班的必修课程，不能退出。"))
    deleted, _by_model = Enrollment.objects.filter(user=user, course=course).delete()
    if not deleted:
        raise EnrollmentError("not_enrolled", _("你还没有报名这门课程。"))


@transaction.atomic
def class_sync_enrollments(*, class_ids: list[int] | None = None) -> int:
    """Enroll every member of the given classes (all when None) in their required courses.

    Set-based and idempotent: existing enrollments are left alone, so a course shared by several
    classes is enrolled once. Re-run after members, subtrees or courses change (and nightly, so
    trainees added to a subtree later are picked up).
    """
    classes = TrainingClass.objects.prefetch_related("member_organizations")
    if class_ids is not None:
        classes = classes.filter(pk__in=class_ids)
    rows = []
    for training_class in classes:
        course_ids = list(training_class.courses.values_list("pk", flat=True))
        for user_id in set(membership.members(training_class).values_list("pk", flat=True)):
            rows += [Enrollment(user_id=user_id, course_id=cid, source=Enrollment.Source.CLASS) for cid in course_ids]
    before = Enrollment.objects.count()
    Enrollment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Enrollment.objects.count() - before


def classes_sync_for_moved_members(organizations) -> None:
    """orgs' import tells us who arrived where: they get their classes' required courses now, not at night."""
    class_ids = membership.classes_gaining(organizations)
    if class_ids:
        class_sync_enrollments(class_ids=class_ids)
