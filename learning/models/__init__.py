"""Models of the learning app, one module per concern."""

from learning.models.certificates import Certificate
from learning.models.classes import Enrollment, TrainingClass
from learning.models.growth import GrowthRecord, GrowthSnapshot
from learning.models.journal import JournalEntry, JournalReview
from learning.models.progress import LedgerEntry, LessonProgress

__all__ = [
    "Certificate", "Enrollment", "GrowthRecord", "GrowthSnapshot", "JournalEntry", "JournalReview",
    "LedgerEntry", "LessonProgress",
    "TrainingClass",
]
