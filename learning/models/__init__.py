"""Models of the learning app, one module per concern."""

from learning.models.classes import Enrollment, TrainingClass
from learning.models.org import OrgAdminRole, Organization, TraineeProfile, WorkdayOverride
from learning.models.progress import LedgerEntry, LessonProgress

__all__ = [
    "Enrollment", "LedgerEntry", "LessonProgress", "OrgAdminRole", "Organization", "TraineeProfile",
    "TrainingClass", "WorkdayOverride",
]
