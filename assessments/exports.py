"""Questions written in the import layout (`assessments.imports`): a bank's export and the blank
template with examples and notes. Export → import round-trips: the answers are written as an import
stores them (`normal_answer_of`), and a text that starts like a formula stays text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal

from assessments.imports import HEADER, KIND_EXPORT, MAX_ROWS, normal_answer_of
from assessments.models import Question
from core.api import xlsx_row

COLUMN_WIDTHS = (8, 48, 18, 18, 18, 18, 14, 14, 10, 36, 8, 8, 16)


def export_row(question: Question) -> list:
    options = [question.option_a, question.option_b, question.option_c,
               question.option_d, question.option_e, question.option_f]
    answer = normal_answer_of(question)
    score = Decimal(question.score)
    score_cell = int(score) if score == score.to_integral_value() else float(score)
    return [KIND_EXPORT.get(question.kind, question.kind), question.stem, *options, answer, question.explanation,
            score_cell, question.get_difficulty_display(), question.tags]


def export_xlsx(questions: Iterable[Question], *, sheet_title: str = "试题") -> bytes:
    """The import layout, one question a row (write-only: constant memory for large banks)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_safe_sheet_title(sheet_title))
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for question in questions:
        sheet.append(xlsx_row(sheet, export_row(question)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "试题"


TEMPLATE_EXAMPLES = [
    ["单选", "社区居民委员会每届任期几年？", "三年", "四年", "五年", "六年", "", "", "C",
     "根据《居民委员会组织法》，居民委员会每届任期五年。", 1, "易", "基层组织,法规"],
    ["多选", "下列哪些属于社区网格员的日常工作？", "入户走访", "信息采集", "矛盾排查", "审批建设项目", "", "", "ABC",
     "审批建设项目不属于网格员职责。", 2, "中", "网格化治理"],
    ["判断", "居民公约须经居民会议讨论通过。", "", "", "", "", "", "", "对", "", 1, "易", "居民自治"],
    ["填空", "城市社区“两委”是指社区党组织和社区____。", "", "", "", "", "", "", "居民委员会|居委会",
     "多个可接受的答案用 | 分隔。", 1, "中", "基层组织"],
]
TEMPLATE_NOTES = [
    ("题型", "单选、多选、判断、填空（也可写“单选题”“单项选择题”等）"),
    ("题干", "必填；同一题库内题干相同（忽略空格、全半角和大小写）的试题视为同一题，再次导入会更新而不会重复"),
    ("选项A–F", "单选、多选题至少两个选项，须从 A 起连续填写；判断、填空题不填"),
    ("答案", "单选如 B；多选如 ACD；判断填 对 或 错；填空题多个可接受答案用 | 分隔"),
    ("解析", "可选"),
    ("分值", "可选，默认 1，至少 0.5，最多一位小数"),
    ("难度", "易、中、难，默认 中"),
    ("标签", "可选，多个标签用逗号分隔"),
    ("限制", f"每个文件不超过 5 MB、{MAX_ROWS} 道题；任何一行有错误都不会导入"),
]


def template_xlsx() -> bytes:
    """An empty-but-for-examples file in the import layout, with a sheet of notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "试题"
    sheet.append(list(HEADER))
    for row in TEMPLATE_EXAMPLES:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=1, max_row=1000, min_col=9, max_col=9):
        for cell in row:  # 答案 as text, so Excel keeps "2024" or "1|一" as typed
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for row in TEMPLATE_NOTES:
        notes.append(list(row))
    notes["A1"].font = notes["B1"].font = Font(bold=True)
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 90
    for row in notes.iter_rows(min_row=2, min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

