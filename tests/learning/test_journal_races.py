"""Hole 5 of the outside probe: ten identical journal submissions racing on PostgreSQL file one entry, and
a text is credited once however many of its copies are approved."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from cms.models import LessonPage
from learning.models import JournalEntry, LedgerEntry
from learning.services import journal_create, journal_review
from learning.services.journal import body_digest
from tests.learning.test_ledger import _race

BODY = "今天学习了楼道议事会的组织方法，准备在我们小区试一试。"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_racing_identical_submissions_file_one_entry():
    call_command("load_demo_data", "--skip-index", verbosity=0)
    trainee, lesson = User.objects.get(username="trainee"), LessonPage.objects.live().first()

    ids = _race(lambda: journal_create(user=trainee, page=lesson, body=BODY).pk, count=10)

    assert len(set(ids)) == 1
    assert JournalEntry.objects.filter(user=trainee, page=lesson).count() == 1


@pytest.mark.django_db
def test_copies_filed_before_the_rule_are_credited_once_however_many_are_approved():
    trainee, trainer = User.objects.get(username="trainee"), User.objects.get(username="trainer")
    lesson = LessonPage.objects.live().first()
    # What migration 0013 leaves of duplicates filed before the rule: the rows, each with its own digest.
    copies = [JournalEntry.objects.create(user=trainee, page=lesson, body=BODY,
                                          body_digest=body_digest(f"{BODY}:{n}")) for n in range(3)]
    for copy in copies:
        journal_review(reviewer=trainer, entry=copy, grade="good")
    credits = LedgerEntry.objects.filter(user=trainee, kind="journal")
    assert credits.count() == 1 and credits.get().object_id == copies[0].pk
    assert journal_create(user=trainee, page=lesson, body=BODY + "（补充）").pk not in {c.pk for c in copies}
