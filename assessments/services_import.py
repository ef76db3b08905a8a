"""Writing a validated question import (`assessments.imports.validate_rows`) into a bank: one transaction.

A row whose normalised stem matches a question already in the bank updates that question; every
other row creates one. Matching happens again here, under a lock on the bank, so two imports of the
same file racing each other still cannot duplicate questions.
"""

from django.db import transaction

from assessments.imports import QuestionRow, existing_questions
from assessments.models import Question, QuestionBank
from core.api import DomainError

BATCH_SIZE = 500


class QuestionImportError(DomainError):
    code = "import_refused"

    def __init__(self, message: str):
        super().__init__(message=message)


def questions_import(*, bank: QuestionBank, rows: list[QuestionRow]) -> dict[str, int]:
    """Create or update the bank's questions from valid rows; {"created", "updated", "unchanged"}."""
    keys = [row.key for row in rows]
    if len(set(keys)) != len(keys):
        raise QuestionImportError("同一文件中有重复的题干，未导入任何试题。")
    with transaction.atomic():
        bank = QuestionBank.objects.select_for_update().get(pk=bank.pk)
        existing = existing_questions(bank)
        created: list[Question] = []
        updated: list[Question] = []
        unchanged = 0
        fields: set[str] = set()
        for row in rows:
            question = existing.get(row.key)
            if question is None:
                created.append(Question(bank=bank, track_id=bank.track_id, **row.field_values()))
            elif row.differs_from(question):
                for name, value in row.field_values().items():
                    if getattr(question, name) != value:
                        setattr(question, name, value)
                        fields.add(name)
                updated.append(question)
            else:
                unchanged += 1
        Question.objects.bulk_create(created, batch_size=BATCH_SIZE)
        if updated:
            Question.objects.bulk_update(updated, sorted(fields), batch_size=BATCH_SIZE)
        changed_ids = [question.pk for question in created + updated if question.pk]
        transaction.on_commit(lambda: _index(changed_ids))
    return {"created": len(created), "updated": len(updated), "unchanged": unchanged}


def _index(question_ids: list[int]) -> None:
    """bulk_create and bulk_update send no signals: bring the search index up to date in bulk."""
    from wagtail.search.backends import get_search_backends

    if not question_ids:
        return
    for start in range(0, len(question_ids), BATCH_SIZE):
        questions = list(Question.objects.filter(pk__in=question_ids[start:start + BATCH_SIZE]))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(Question, questions)
