"""The public surface of `learning` for other apps (assessments, stats)."""

from learning.admin_reports import (
    DateRangeFilter,
    OrganizationFilter,
    ReportFilterSet,
    ReportMenuItem,
    ScopedReportView,
    TrackFilter,
    TrainingClassFilter,
    date_range_of,
    display_number,
)
from learning.completion import register_completion_requirement
from learning.membership import members as class_members
from learning.models import Enrollment, LedgerEntry, TrainingClass
from learning.reminders import remind_not_done
from learning.rules import quiz_credit, rule
from learning.scores import exam_scores, register_exam_scores
from learning.selectors_reports import percent, report_trainees
from learning.services.ledger import ledger_record
from learning.services.progress import completion_recheck

LedgerKind = LedgerEntry.Kind

__all__ = [
    # the scoped report building blocks (Wagtail admin) for other apps' reports
    "DateRangeFilter", "OrganizationFilter", "ReportFilterSet", "ReportMenuItem", "ScopedReportView", "TrackFilter",
    "TrainingClassFilter", "date_range_of", "display_number", "percent", "report_trainees",
    "LedgerKind", "completion_recheck", "ledger_record", "quiz_credit",
    "register_completion_requirement", "exam_scores", "register_exam_scores",
    # for statistics
    "Enrollment", "LedgerEntry", "TrainingClass", "class_members", "remind_not_done", "rule",
]
