"""Fixtures shared by the quiz tests."""

import pytest

from cms.models import LessonPage
from tests.assessments.factories import question_bank, quiz_on


@pytest.fixture
def lesson_quiz():
    """An 8-question quiz (2 points each) on the first live lesson."""
    _, questions = question_bank(count=8)
    return quiz_on(LessonPage.objects.live().first(), questions)
