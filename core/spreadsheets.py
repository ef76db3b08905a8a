"""Reading an uploaded spreadsheet (.xlsx, or .csv in UTF-8 or GBK) into header-mapped rows.

Shared by every import (trainees in `learning`, questions in `assessments`, through `core.api`): each
importer names its columns and their accepted header spellings, its limits and its messages; this
module finds the header row (a title line or two above it is common in hand-made sheets), keeps
Excel's own row numbers, and turns every unusable file into an `ImportFileError` with a message.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError

HEADER_SEARCH_ROWS = 10
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (too big, empty, unreadable, no header row)."""

    code = "invalid_file"

    def __init__(self, message: str):
        super().__init__(message=message)


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return {"create": _("新增"), "update": _("更新"), "unchanged": _("无变化")}[self.value]


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str


@dataclass
class Plan:
    """What an import would do: planned rows (each with an `action`) and row errors; nothing is written."""

    rows: list
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Action, 0)
        for row in self.rows:
            counts[row.action] += 1
        return {"created": counts[Action.CREATE], "updated": counts[Action.UPDATE],
                "unchanged": counts[Action.UNCHANGED]}

    @property
    def error_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors})


@dataclass(frozen=True)
class Table:
    """Data rows as (Excel row number, {column: raw cell value}) and the columns the header had."""

    rows: list[tuple[int, dict[str, Any]]]
    columns: tuple[str, ...]


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: None is "", 13800138000.0 is "13800138000", and surrounding
    spaces (the ideographic one too) go."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().strip("\u3000").strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def xlsx_lines(data: bytes) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook

    unreadable = _("无法读取该 Excel 文件，请确认文件是 .xlsx 格式且未加密。")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — any broken or foreign file: BadZipFile, KeyError, InvalidFileException...
        raise ImportFileError(unreadable) from exc
    try:
        if not workbook.worksheets:
            return
        # read_only worksheets yield empty tuples for missing rows, so enumerate() gives Excel's numbers.
        yield from enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError) as exc:  # corrupt sheet XML
        raise ImportFileError(unreadable) from exc
    finally:
        workbook.close()


def csv_lines(data: bytes) -> Iterator[tuple[int, tuple]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # Excel in China saves "CSV" as GBK; GB18030 is its superset
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("无法识别文件编码，请将 CSV 保存为 UTF-8 或 GBK 编码。")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        yield from enumerate((tuple(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)), start=1)
    except csv.Error as exc:
        raise ImportFileError(_("CSV 文件格式有误，无法读取。")) from exc


def header_key(value: Any) -> str:
    """A header cell as compared: full-width folded, spaces, asterisks and colons dropped, upper case."""
    return re.sub(r"[\s*＊:：]", "", unicodedata.normalize("NFKC", str(value or ""))).upper()


def _header_columns(values: tuple, aliases: dict[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        column = aliases.get(header_key(value))
        if column and column not in columns:
            columns[column] = index
    return columns


def read_table(
    lines: Iterable[tuple[int, tuple]], *, columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
    max_rows: int, no_header: str, too_many: str, header_only: str,
) -> Table:
    """Map every data row under the header row; `columns` maps a column to its accepted headers."""
    aliases = {header_key(alias): column for column, names in columns.items() for alias in names}
    header: dict[str, int] | None = None
    seen_content = False
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, values in lines:
        if all(is_blank(value) for value in values):
            continue
        if header is None:
            seen_content = True
            found = _header_columns(values, aliases)
            if all(column in found for column in required):
                header = found
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(too_many)
        rows.append((number, {column: values[index] if index < len(values) else None
                              for column, index in header.items()}))
    if not seen_content:
        raise ImportFileError(_("文件是空的，请使用导入模板填写后再上传。"))
    if header is None:
        raise ImportFileError(no_header)
    if not rows:
        raise ImportFileError(header_only)
    return Table(rows=rows, columns=tuple(header))
