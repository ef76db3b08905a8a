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
from learning.membership import classes_in_scope, classes_of
from learning.membership import members as class_members
from learning.models import Enrollment, JournalEntry, LedgerEntry, TrainingClass
from learning.panels import register_me_panel
from learning.reminders import remind_not_done
from learning.rules import attendance_credit, day_points, quiz_credit, rule
from learning.scores import exam_scores, register_exam_scores
from learning.selectors import profile_of
from learning.selectors_reports import percent, report_trainees
from learning.services.ledger import ledger_record, register_ledger_listener
from learning.services.progress import completion_recheck
from learning.summary import register_summary_figure

LedgerKind = LedgerEntry.Kind

__all__ = [
    # the scoped report building blocks (Wagtail admin) for other apps' reports
    "DateRangeFilter", "OrganizationFilter", "ReportFilterSet", "ReportMenuItem", "ScopedReportView", "TrackFilter",
    "TrainingClassFilter", "date_range_of", "display_number", "percent", "report_trainees",
    "LedgerKind", "completion_recheck", "ledger_record", "quiz_credit",
    "register_completion_requirement", "exam_scores", "register_exam_scores",
    # for growth records and certificates, which follow the ledger
    "JournalEntry", "classes_of", "profile_of", "register_ledger_listener", "register_summary_figure",
    # for statistics
    "Enrollment", "LedgerEntry", "TrainingClass", "class_members", "remind_not_done", "rule", "day_points",
    # for classroom sessions (线下集中培训): attendance credit, the classes an administrator sees, 我的学习
    "attendance_credit", "classes_in_scope", "register_me_panel",
]
