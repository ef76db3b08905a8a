"""Writes of the learning app. Each function is keyword-only and runs in one transaction."""

from learning.services.enrollment import (
    EnrollmentError,
    class_sync_enrollments,
    enrollment_create,
    enrollment_leave,
)
from learning.services.ledger import ledger_record
from learning.services.progress import HeartbeatRejected, progress_record

__all__ = [
    "EnrollmentError", "HeartbeatRejected", "class_sync_enrollments", "enrollment_create", "enrollment_leave",
    "ledger_record", "progress_record",
]
