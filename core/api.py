"""The public surface of `core` for the domain apps: the workday calendar, spreadsheet reading and
import staging, streamed CSV/XLSX exports, SVG charts, the bookkeeping of periodic jobs, and the one error type (with its API schema)."""

from core import calendar, charts, import_staging, jobs
from core.admin_scoped import scoped_snippet_views
from core.calendar import local_days, unconfirmed_years, year_days, year_from_query
from core.errors import ERRORS, DomainError, ErrorOut
from core.exports import StreamingExportMixin, inert_text, xlsx_cell, xlsx_row
from core.models import JobRun
from core.policy import rankings_enabled, streaks_enabled, timed_reminders_enabled
from core.spreadsheets import (
    XLSX_CONTENT_TYPE,
    Action,
    ImportFileError,
    Plan,
    RowError,
    cell_text,
    csv_lines,
    extension_of,
    is_blank,
    read_table,
    xlsx_lines,
)

__all__ = [
    "calendar", "local_days", "unconfirmed_years", "year_days", "year_from_query",
    "charts",
    "import_staging", "Action", "ImportFileError", "Plan", "RowError", "XLSX_CONTENT_TYPE", "cell_text", "csv_lines", "extension_of", "is_blank", "read_table",
    "xlsx_lines",
    "StreamingExportMixin", "inert_text", "xlsx_cell", "xlsx_row",
    "DomainError", "ERRORS", "ErrorOut",
    "jobs", "JobRun",
    "rankings_enabled", "streaks_enabled", "timed_reminders_enabled",
    "scoped_snippet_views",
]
