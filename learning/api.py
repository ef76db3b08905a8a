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
from learning.models import Enrollment, LedgerEntry, Organization, TraineeProfile, TrainingClass
from learning.reminders import remind_not_done
from learning.rules import quiz_credit, rule
from learning.scoping import can_manage, is_org_admin, organizations_in_scope, scope_roots, trainees_in_scope
from learning.scores import exam_scores, register_exam_scores
from learning.selectors_reports import percent, report_trainees
from learning.services.ledger import ledger_record
from learning.services.progress import completion_recheck

LedgerKind = LedgerEntry.Kind

__all__ = [
    # the scoped report building blocks (Wagtail admin) for other apps' reports
    "DateRangeFilter", "OrganizationFilter", "ReportFilterSet", "ReportMenuItem", "ScopedReportView", "TrackFilter",
    "TrainingClassFilter", "date_range_of", "display_number", "percent", "report_trainees",
    "LedgerKind", "can_manage", "completion_recheck", "is_org_admin", "ledger_record",
    "organizations_in_scope", "quiz_credit",
    "register_completion_requirement", "exam_scores", "register_exam_scores", "trainees_in_scope",
    # for statistics
    "Enrollment", "LedgerEntry", "Organization", "TraineeProfile", "TrainingClass",
    "remind_not_done", "rule", "scope_roots",
]
