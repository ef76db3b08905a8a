"""Demo training class (线上集中培训班): one class for 红旗街道, its members enrolled in three courses."""

import datetime as dt

from django.utils import timezone

from cms.models import CoursePage, Trainer
from devtools.demo import content
from learning.models import TrainingClass
from learning.services.enrollment import class_sync_enrollments
from orgs.api import Organization

CLASS_NAME = "2026年红旗街道社区工作者线上集中培训班"
STREET_CODE = "22010401"  # 红旗街道
REQUIRED_COURSE_SLUGS = [item["slug"] for item in content.COURSES[:3]]
DURATION_DAYS = 30


def ensure_training_classes() -> int:
    """Create the demo class once (keyed by name) and sync its enrollments. Returns classes created."""
    street = Organization.objects.get(code=STREET_CODE)
    today = timezone.localdate()
    training_class, created = TrainingClass.objects.get_or_create(
        name=CLASS_NAME,
        defaults={"organization": street, "starts_on": today, "ends_on": today + dt.timedelta(days=DURATION_DAYS)},
    )
    if created:
        courses = CoursePage.objects.live().filter(slug__in=REQUIRED_COURSE_SLUGS)
        training_class.courses.set(courses)
        training_class.member_organizations.set([street])
        chief = Trainer.objects.filter(title=Trainer.Title.CHIEF).order_by("id").first()
        if chief:
            training_class.trainers.set([chief])
    class_sync_enrollments(class_ids=[training_class.pk])
    return int(created)
