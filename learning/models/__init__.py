"""Models of the learning app, one module per concern."""

from learning.models.classes import Enrollment, TrainingClass
from learning.models.journal import JournalEntry, JournalReview
from learning.models.progress import LedgerEntry, LessonProgress

__all__ = [
    "Enrollment", "JournalEntry", "JournalReview",
    "LedgerEntry", "LessonProgress",
    "TrainingClass",
]
