"""Spreadsheet export for Wagtail report views that holds no more than one chunk of rows in memory.

Wagtail's `ReportView` already exports CSV and XLSX with the listing's filters; on its own it counts
the whole export (`len(object_list)`), iterates the queryset through Django's result cache and builds
the XLSX in a `BytesIO`. This mixin keeps Wagtail's export (same `list_export`, headings, buttons and
filters) and changes only how rows flow: the queryset is read in chunks (`iterator`), each chunk goes
through `decorate_paginated_queryset` (where reports attach per-row figures with one query per
chunk), CSV is streamed with a BOM so that Excel opens Chinese text as UTF-8, and XLSX is written by
openpyxl's write-only workbook into a temporary file on disk that is streamed back.

Every exported cell is inert (OWASP's CSV-injection guidance): text that a spreadsheet would read as a
formula — it starts with = + - @ | % or a tab or carriage return — gets a leading apostrophe in CSV, and
every text cell of an XLSX is stored as a string, never a formula. The same two functions serve the
hand-built workbooks (question export, quiz statistics, the import templates).
"""

import csv
import datetime as dt
import tempfile

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "|", "%", "\t", "\r")


def inert_text(value):
    """A CSV cell's value that no spreadsheet evaluates: "=HYPERLINK(…)" → "'=HYPERLINK(…)"; numbers,
    dates and harmless text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def make_wagtail_csv_inert():
    """Wagtail's own CSV exports (its reports 站点历史, 页面存续时间, 锁定页面 and 工作流, redirects, form
    submissions) write text as it is: Wagtail leaves formulas to the spreadsheet (its security notes),
    while here every export is inert. Its XLSX already stores formula-like text as strings. Called
    once, from CoreConfig.ready()."""
    wagtail_preprocess = SpreadsheetExportMixin.preprocess_field_value
    if getattr(wagtail_preprocess, "inert", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = wagtail_preprocess(self, field, value, export_format)
        return inert_text(value) if export_format == SpreadsheetExportMixin.FORMAT_CSV else value

    preprocess_field_value.inert = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value


def xlsx_cell(sheet, value):
    """A write-only XLSX cell holding `value`; text is always a string cell (openpyxl would otherwise
    store "=…" as a live formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def xlsx_row(sheet, values) -> list:
    return [xlsx_cell(sheet, value) for value in values]


def _local_naive(value: dt.datetime) -> dt.datetime:
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _local_text(value: dt.datetime) -> str:
    return f"{_local_naive(value):%Y-%m-%d %H:%M}"


class StreamingExportMixin:
    """Put before a Wagtail listing view with export in the bases: `class MyReport(StreamingExportMixin,
    ReportView)`, or before a model viewset's `IndexView`."""

    export_chunk_size = 2000
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        # Beijing time, not UTC, in both formats.
        dt.datetime: {SpreadsheetExportMixin.FORMAT_XLSX: _local_naive, SpreadsheetExportMixin.FORMAT_CSV: _local_text},
    }

    def get(self, request, *args, **kwargs):
        if self.is_export:  # skip the listing context: it would count and cache every row
            filtered = getattr(self, "get_filtered_queryset", self.get_queryset)  # report / model index view
            return self.as_spreadsheet(filtered(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return inert_text(value) if export_format == self.FORMAT_CSV else value  # XLSX: string cells (Wagtail)

    def decorate_paginated_queryset(self, object_list):
        return object_list  # ReportView's hook; reports override it to attach per-row figures

    def export_rows(self, queryset):
        rows = queryset.iterator(chunk_size=self.export_chunk_size) if isinstance(queryset, QuerySet) else queryset
        chunk = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= self.export_chunk_size:
                yield from self.decorate_paginated_queryset(chunk)
                chunk = []
        if chunk:
            yield from self.decorate_paginated_queryset(chunk)

    def export_headings_for(self, queryset) -> list[str]:
        return [self.get_heading(queryset, field) for field in self.list_export]

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        # Wagtail's Echo writer returns bytes, so the BOM is bytes too.
        yield "\ufeff".encode() + writer.writerow(dict(zip(self.list_export, self.export_headings_for(queryset),
                                                             strict=True)))
        for item in self.export_rows(queryset):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{self.get_filename()}.csv")
        return response

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=str(getattr(self, "export_sheet_title", "Sheet1"))[:31])
        worksheet.append(xlsx_row(worksheet, self.export_headings_for(queryset)))
        date_format = ExcelDateFormatter().get()
        for item in self.export_rows(queryset):
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format))
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(output, as_attachment=True, filename=f"{self.get_filename()}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
