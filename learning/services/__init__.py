"""Writes of the learning app. Each function is keyword-only and runs in one transaction."""

from learning.services.accounts import password_changed
from learning.services.certificates import (
    CertificateError,
    certificate_for_annual_target,
    certificate_for_class_if_complete,
    certificate_issue,
    certificate_revoke,
    certificates_for_completed_course,
)
from learning.services.enrollment import (
    EnrollmentError,
    class_sync_enrollments,
    enrollment_create,
    enrollment_leave,
)
from learning.services.imports import TraineeImportError, initial_password, trainee_import
from learning.services.journal import JournalError, journal_create, journal_review
from learning.services.ledger import ledger_record
from learning.services.progress import HeartbeatRejected, progress_record
from learning.services.tokens import TokenError, api_token_create, api_token_revoke

__all__ = [
    "EnrollmentError", "HeartbeatRejected", "TraineeImportError", "class_sync_enrollments", "enrollment_create",
    "enrollment_leave", "initial_password", "ledger_record", "password_changed", "progress_record",
    "trainee_import",
    "TokenError", "api_token_create", "api_token_revoke",
    "CertificateError", "certificate_for_annual_target", "certificate_for_class_if_complete", "certificate_issue",
    "certificate_revoke", "certificates_for_completed_course",
    "JournalError", "journal_create", "journal_review",
]
