"""Models of the learning app, one module per concern."""

from learning.models.classes import Enrollment, TrainingClass
from learning.models.journal import JournalEntry, JournalReview
from learning.models.progress import LedgerEntry, LessonProgress, WatchClock

__all__ = [
    "Enrollment", "JournalEntry", "JournalReview",
    "LedgerEntry", "LessonProgress", "WatchClock",
    "TrainingClass",
]
