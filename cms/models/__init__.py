"""Content models: what trainers publish and trainees read."""

from cms.models.bases import TeachingBaseIndexPage, TeachingBasePage, TeachingBasePhoto
from cms.models.cases import CaseLibraryPage, CasePage, CaseTag
from cms.models.courses import CourseIndexPage, CoursePage, LessonAttachment, LessonPage
from cms.models.daily import DailyLessonIndexPage, DailyLessonPage
from cms.models.home import HomePage
from cms.models.snippets import Track, Trainer

__all__ = [
    "CaseLibraryPage", "CasePage", "CaseTag", "CourseIndexPage", "CoursePage", "DailyLessonIndexPage",
    "DailyLessonPage", "HomePage", "LessonAttachment", "LessonPage", "TeachingBaseIndexPage", "TeachingBasePage", "TeachingBasePhoto", "Track", "Trainer",
]
