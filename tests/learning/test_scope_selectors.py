"""What an administrator or trainer may read of journals (learning.selectors), on the demo tree."""

import pytest
from django.contrib.auth.models import User
from wagtail.models import Page

from learning import selectors
from learning.models import JournalEntry
from orgs.api import TraineeProfile
from tests.helpers import org

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


def test_journal_entries_trainers_see_all_administrators_their_subtree_trainees_none():
    inside, outside = user("trainee"), TraineeProfile.objects.exclude(
        organization__path__startswith=org("220104").path).first().user
    for author in (inside, outside):
        JournalEntry.objects.create(user=author, page=Page.objects.live().last(), body="今天学习了网格化治理。")
    assert {inside.pk, outside.pk} <= set(selectors.journal_entries_in_scope(user("trainer")).values_list("user", flat=True))
    district = set(selectors.journal_entries_in_scope(user("district_admin")).values_list("user", flat=True))
    assert inside.pk in district and outside.pk not in district
    assert set(selectors.journal_entries_in_scope(user("admin")).values_list("user", flat=True)) >= {inside.pk, outside.pk}
    assert not selectors.journal_entries_in_scope(user("trainee01")).exists()
