import pytest
from django.contrib.auth.models import User

from cms.models import CaseLibraryPage, CasePage, DailyLessonIndexPage

pytestmark = pytest.mark.django_db


def test_trainers_edit_but_only_the_workflow_publishes():
    trainer = User.objects.get(username="trainer")
    reviewer = User.objects.get(username="reviewer")
    library = CaseLibraryPage.objects.get()
    case = CasePage.objects.child_of(library).first()
    for page in (library, case, DailyLessonIndexPage.objects.get()):
        trainer_perms = page.permissions_for_user(trainer)
        assert trainer_perms.can_edit() and not trainer_perms.can_publish()
        assert page.permissions_for_user(reviewer).can_publish()
    assert case.get_workflow().name == "课程与案例发布审核"
    task = case.get_workflow().tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["内容审核"]
