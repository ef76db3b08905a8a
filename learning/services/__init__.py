"""Writes of the learning app. Each function is keyword-only and runs in one transaction."""

from learning.services.enrollment import (
    EnrollmentError,
    class_sync_enrollments,
    classes_sync_for_moved_members,
    enrollment_create,
    enrollment_leave,
)
from learning.services.journal import JournalError, journal_create, journal_review
from learning.services.ledger import ledger_record
from learning.services.progress import HeartbeatRejected, progress_record
from learning.services.tokens import TokenError, api_token_create, api_token_revoke

__all__ = [
    "EnrollmentError", "HeartbeatRejected", "class_sync_enrollments", "classes_sync_for_moved_members",
    "enrollment_create", "enrollment_leave", "ledger_record", "progress_record",
    "TokenError", "api_token_create", "api_token_revoke",
    "JournalError", "journal_create", "journal_review",
]
