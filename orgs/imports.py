"""Bulk import of trainees: reading an XLSX/CSV file and validating it into a plan. Pure: reads only.

`read_rows(filename, data)` turns the uploaded bytes into `SourceRow`s (raising `ImportFileError` for a
file that cannot be used at all); `validate_rows(admin_user=..., parsed=...)` checks every row against
the database and the administrator's scope and returns an `ImportPlan`: the row errors (row numbers as
Excel shows them: the header is row 1) and, per good row, whether it creates, updates or leaves a
trainee unchanged. `orgs.services.trainee_import` writes a plan inside one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.api import (  # noqa: F401 - ImportFileError, Action, RowError are this module's API too
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
from orgs.models import Organization, TraineeProfile
from orgs.scoping import organizations_in_scope, trainees_in_scope

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
ALLOWED_EXTENSIONS = ("xlsx", "csv")
QUERY_CHUNK = 500  # keeps `IN (...)` lists well under every database's parameter limit

# Canonical column → accepted header spellings (after removing spaces and "*" markers).
COLUMNS = {
    "name": ("姓名",),
    "phone": ("手机号", "手机号码", "手机"),
    "organization": ("所属组织", "组织", "组织编码", "组织名称"),
    "position": ("岗位", "职务"),
    "joined_on": ("入职日期",),
}
REQUIRED_COLUMNS = ("name", "phone", "organization")
COLUMN_LABELS = {"name": "姓名", "phone": "手机号", "organization": "所属组织", "position": "岗位", "joined_on": "入职日期"}

MOBILE = re.compile(r"^1[3-9]\d{9}$")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
NAME_MAX_LENGTH = TraineeProfile._meta.get_field("real_name").max_length


@dataclass(frozen=True)
class SourceRow:
    """One data row as read from the file; `number` is the row number Excel shows."""

    number: int
    name: Any = None
    phone: Any = None
    organization: Any = None
    position: Any = None
    joined_on: Any = None


@dataclass
class ParsedFile:
    rows: list[SourceRow]
    columns: tuple[str, ...]

    @property
    def has_position(self) -> bool:
        return "position" in self.columns

    @property
    def has_joined_on(self) -> bool:
        return "joined_on" in self.columns


@dataclass
class PlannedRow:
    row: int
    phone: str
    real_name: str
    organization: Organization
    position: str | None  # None: keep the existing profile's (or the default for a new one)
    joined_on: dt.date | None  # None: keep the existing profile's
    action: Action = Action.CREATE
    profile: TraineeProfile | None = None
    changes: list[str] = field(default_factory=list)  # keys of COLUMNS

    @property
    def change_labels(self) -> str:
        return "、".join(COLUMN_LABELS[column] for column in self.changes)


class ImportPlan(Plan):
    """Planned trainee rows and row errors."""


# --- reading ------------------------------------------------------------------------------------

def read_rows(filename: str, data: bytes) -> ParsedFile:
    """Rows of an .xlsx or .csv file; raises ImportFileError with a message for the administrator."""
    extension = extension_of(filename)
    if extension == "xls":
        raise ImportFileError(_("不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 .csv 后再上传。"))
    if extension not in ALLOWED_EXTENSIONS:
        raise ImportFileError(_("只能导入 .xlsx 或 .csv 文件。"))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("文件超过 5 MB，请拆分成几个文件分批导入。"))
    if not data.strip():
        raise ImportFileError(_("文件是空的，请使用导入模板填写后再上传。"))
    table = read_table(
        xlsx_lines(data) if extension == "xlsx" else csv_lines(data),
        columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS,
        too_many=_("文件超过 %(max)s 行数据，请拆分成几个文件分批导入。") % {"max": MAX_ROWS},
        no_header=_("没有找到表头行：第一行须包含“姓名”“手机号”“所属组织”三列（“岗位”“入职日期”可选），请使用导入模板。"),
        header_only=_("文件中只有表头，没有学员数据。"),
    )
    return ParsedFile(rows=[SourceRow(number, **values) for number, values in table.rows], columns=table.columns)


# --- normalising cells --------------------------------------------------------------------------

def normalize_phone(value: Any) -> str:
    """Digits only; Excel's numbers (13912345678 or 13912345678.0) become the same text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"[\s\-‐–—()（）]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def _code_key(value: str) -> str:
    return unicodedata.normalize("NFKC", value).replace(" ", "")


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None
        return converted.date() if isinstance(converted, dt.datetime) else converted
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = text.split(" ")[0]  # "2020-01-05 00:00:00" from a CSV written by a script
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _positions() -> dict[str, str]:
    known = {}
    for value, label in TraineeProfile.Position.choices:
        known[str(label)] = value
        known[value] = value
    return known


def _chunks(items: list, size: int = QUERY_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- validating ---------------------------------------------------------------------------------

@dataclass
class _Cleaned:
    row: int
    real_name: str = ""
    phone: str = ""
    org_key: str = ""
    position: str | None = None
    joined_on: dt.date | None = None
    errors: list[str] = field(default_factory=list)


def _clean(source: SourceRow, positions: dict[str, str]) -> _Cleaned:
    cleaned = _Cleaned(row=source.number)
    cleaned.real_name = cell_text(source.name)
    if not cleaned.real_name:
        cleaned.errors.append(_("姓名不能为空"))
    elif len(cleaned.real_name) > NAME_MAX_LENGTH:
        cleaned.errors.append(_("姓名过长（最多 %(max)s 个字）") % {"max": NAME_MAX_LENGTH})

    raw_phone = cell_text(source.phone) if not isinstance(source.phone, int | float) else source.phone
    cleaned.phone = normalize_phone(raw_phone)
    if not cleaned.phone:
        cleaned.errors.append(_("手机号不能为空"))
    elif not MOBILE.match(cleaned.phone):
        if isinstance(raw_phone, str) and SCIENTIFIC.match(raw_phone.strip()):
            cleaned.errors.append(_("手机号“%(value)s”被 Excel 显示成了科学计数法，请把该列设为“文本”格式后重新填写")
                                  % {"value": raw_phone})
        else:
            cleaned.errors.append(_("手机号“%(value)s”不是有效的 11 位手机号") % {"value": cell_text(source.phone)})
        cleaned.phone = ""

    cleaned.org_key = cell_text(source.organization)
    if not cleaned.org_key:
        cleaned.errors.append(_("所属组织不能为空"))

    if not is_blank(source.position):
        label = cell_text(source.position)
        cleaned.position = positions.get(label)
        if cleaned.position is None:
            choices = "、".join(str(label) for _value, label in TraineeProfile.Position.choices)
            cleaned.errors.append(_("岗位“%(value)s”不存在，可填写：%(choices)s") % {"value": label, "choices": choices})

    if not is_blank(source.joined_on):
        cleaned.joined_on = _parse_date(source.joined_on)
        if cleaned.joined_on is None:
            cleaned.errors.append(_("入职日期“%(value)s”格式不正确，应为 2020-01-31")
                                  % {"value": cell_text(source.joined_on)})
    return cleaned


def _resolve_organizations(admin_user, keys: set[str]) -> tuple[dict[str, Organization], dict[str, str]]:
    """Organisation per key (a code, else a unique name), and an error message per unusable key."""
    codes = {_code_key(key): key for key in keys}
    by_code: dict[str, Organization] = {}
    for chunk in _chunks(list(codes)):
        for org in Organization.objects.filter(code__in=chunk):
            by_code[org.code] = org
    names = [key for key in keys if _code_key(key) not in by_code]
    by_name: dict[str, list[Organization]] = defaultdict(list)
    for chunk in _chunks(names):
        for org in Organization.objects.filter(name__in=chunk).order_by("path"):
            by_name[org.name].append(org)

    candidates = list(by_code.values()) + [org for orgs in by_name.values() for org in orgs]
    in_scope: set[int] = set()
    for chunk in _chunks([org.pk for org in candidates]):
        in_scope.update(organizations_in_scope(admin_user).filter(pk__in=chunk).values_list("pk", flat=True))

    resolved: dict[str, Organization] = {}
    problems: dict[str, str] = {}
    for key in keys:
        org = by_code.get(_code_key(key))
        if org is None:
            matches = by_name.get(key, [])
            if len(matches) > 1:
                # The same name elsewhere in the tree is no ambiguity for someone who manages only one.
                matches = [match for match in matches if match.pk in in_scope] or matches
            if len(matches) > 1:
                problems[key] = _("组织名称“%(value)s”不唯一，请填写组织编码") % {"value": key}
                continue
            if not matches:
                problems[key] = _("组织“%(value)s”不存在，请填写组织编码或准确的组织名称") % {"value": key}
                continue
            org = matches[0]
        if org.pk not in in_scope:
            problems[key] = _("组织“%(value)s”不在您的管理范围内") % {"value": org.name}
            continue
        resolved[key] = org
    return resolved, problems


def validate_rows(*, admin_user, parsed: ParsedFile) -> ImportPlan:
    """Check every row; a row's errors never stop the others from being checked."""
    positions = _positions()
    cleaned = [_clean(source, positions) for source in parsed.rows]

    rows_by_phone: dict[str, list[int]] = defaultdict(list)
    for row in cleaned:
        if row.phone:
            rows_by_phone[row.phone].append(row.row)
    for row in cleaned:
        others = [number for number in rows_by_phone.get(row.phone, []) if number != row.row]
        if others:
            row.errors.append(_("手机号 %(phone)s 与第 %(rows)s 行重复")
                              % {"phone": row.phone, "rows": "、".join(str(number) for number in others)})

    resolved, problems = _resolve_organizations(admin_user, {row.org_key for row in cleaned if row.org_key})
    for row in cleaned:
        if row.org_key in problems:
            row.errors.append(problems[row.org_key])

    phones = list(rows_by_phone)
    existing: dict[str, TraineeProfile] = {}
    in_scope_phones: set[str] = set()
    taken_usernames: set[str] = set()
    user_model = get_user_model()
    for chunk in _chunks(phones):
        for profile in TraineeProfile.objects.filter(phone__in=chunk).select_related("user", "organization"):
            existing[profile.phone] = profile
        in_scope_phones.update(trainees_in_scope(admin_user).filter(phone__in=chunk).values_list("phone", flat=True))
        taken_usernames.update(user_model.objects.filter(username__in=chunk).values_list("username", flat=True))

    planned: list[PlannedRow] = []
    for row in cleaned:
        profile = existing.get(row.phone) if row.phone else None
        if profile is not None and row.phone not in in_scope_phones:
            # Neutral on purpose: whether a number belongs to someone outside the scope is not theirs to know.
            row.errors.append(_("手机号 %(phone)s 无法导入，请核对号码；如号码无误，请联系上级管理员处理") % {
                "phone": row.phone})
        elif profile is None and row.phone in taken_usernames:
            row.errors.append(_("手机号 %(phone)s 已被系统中的其他账号用作用户名") % {"phone": row.phone})
        if row.errors:
            continue
        plan = PlannedRow(row=row.row, phone=row.phone, real_name=row.real_name, organization=resolved[row.org_key],
                          position=row.position, joined_on=row.joined_on, profile=profile)
        if profile is not None:
            plan.changes = _changes(profile, plan)
            plan.action = Action.UPDATE if plan.changes else Action.UNCHANGED
        planned.append(plan)

    errors = [RowError(row.row, reason) for row in cleaned for reason in row.errors]
    return ImportPlan(rows=planned, errors=errors)


def _changes(profile: TraineeProfile, plan: PlannedRow) -> list[str]:
    """The columns (keys of COLUMNS) whose value differs from the existing profile."""
    changes = []
    if profile.real_name != plan.real_name:
        changes.append("name")
    if profile.organization_id != plan.organization.pk:
        changes.append("organization")
    if plan.position is not None and profile.position != plan.position:
        changes.append("position")
    if plan.joined_on is not None and profile.joined_on != plan.joined_on:
        changes.append("joined_on")
    return changes


def plan_import(*, admin_user, filename: str, data: bytes) -> ImportPlan:
    """Read and validate in one call (the preview)."""
    return validate_rows(admin_user=admin_user, parsed=read_rows(filename, data))
