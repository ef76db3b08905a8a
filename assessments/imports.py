"""Questions in the common Chinese spreadsheet layout: the layout itself, reading and validating an import.

Reads only (the write is `assessments.services_import.questions_import`; the export and the blank
template in the same layout are `assessments.exports`):

- `read_rows(filename, data)` turns an uploaded .xlsx into `SourceRow`s, or raises `ImportFileError`
  for a file that cannot be used at all (too big, too many rows, unreadable, no header row);
- `validate_rows(bank=..., rows=...)` checks every row with the same rules as the admin form
  (`assessments.validation.question_problems`) and returns a `QuestionImportPlan`: the row errors
  (row numbers as Excel shows them — the header is row 1) and, per good row, whether it creates,
  updates or leaves unchanged a question of the bank. A question is the same question when its
  bank and normalised stem match, so importing a file twice never duplicates anything;
- `normal_answer_of(question)` is a stored answer as an import would store it (what the export writes,
  so export → import round-trips).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from assessments.models import Question, QuestionBank
from assessments.validation import LETTERS, answer_letters, normalize_text, question_problems, truth_value
from core.api import (  # noqa: F401 - ImportFileError, Action, RowError are this module's API too
    XLSX_CONTENT_TYPE,
    Action,
    ImportFileError,
    Plan,
    RowError,
    cell_text,
    extension_of,
    is_blank,
    read_table,
    xlsx_lines,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000

HEADER = ("题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析", "分值", "难度", "标签")
OPTION_COLUMNS = tuple(f"option_{letter.lower()}" for letter in LETTERS)
# Canonical column → accepted header spellings (compared after removing spaces, "*" and colons).
COLUMNS = {
    "kind": ("题型", "题目类型", "类型"),
    "stem": ("题干", "题目", "试题内容", "题目内容"),
    **{f"option_{letter.lower()}": (f"选项{letter}", letter) for letter in LETTERS},
    "answer": ("答案", "正确答案", "标准答案"),
    "explanation": ("解析", "答案解析", "试题解析"),
    "score": ("分值", "分数"),
    "difficulty": ("难度",),
    "tags": ("标签", "知识点"),
}
REQUIRED_COLUMNS = ("kind", "stem", "answer")

KIND_WORDS = {
    Question.Kind.SINGLE: ("单选", "单选题", "单项选择", "单项选择题"),
    Question.Kind.MULTIPLE: ("多选", "多选题", "多项选择", "多项选择题", "不定项选择", "不定项选择题"),
    Question.Kind.TRUE_FALSE: ("判断", "判断题", "是非题"),
    Question.Kind.FILL: ("填空", "填空题"),
}
KIND_EXPORT = {Question.Kind.SINGLE: "单选", Question.Kind.MULTIPLE: "多选",
               Question.Kind.TRUE_FALSE: "判断", Question.Kind.FILL: "填空"}
DIFFICULTY_WORDS = {
    Question.Difficulty.EASY: ("易", "容易", "简单", "1"),
    Question.Difficulty.MEDIUM: ("中", "中等", "一般", "2"),
    Question.Difficulty.HARD: ("难", "困难", "较难", "3"),
}
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)

_field = Question._meta.get_field
OPTION_MAX_LENGTH = _field("option_a").max_length
ANSWER_MAX_LENGTH = _field("answer").max_length
TAGS_MAX_LENGTH = _field("tags").max_length
SCORE_MIN = Decimal("0.5")
SCORE_MAX = Decimal("9999.9")  # max_digits=5, decimal_places=1


@dataclass(frozen=True)
class SourceRow:
    """One data row as read from the file: canonical column → raw cell value."""

    number: int
    values: dict[str, Any]

    def get(self, column: str) -> Any:
        return self.values.get(column)


@dataclass
class QuestionRow:
    """A valid row, normalised to what is stored: answers as `ACD`, `对`/`错` or `甲|乙`."""

    row: int
    kind: str
    stem: str
    options: list[str]  # always six entries, A–F (kept as given for 判断题 and 填空题, where they are unused)
    answer: str
    explanation: str
    score: Decimal
    difficulty: int
    tags: str
    action: Action = Action.CREATE
    existing_id: int | None = None

    @property
    def key(self) -> str:
        return normalize_text(self.stem)

    @property
    def kind_label(self) -> str:
        return KIND_EXPORT[self.kind]

    def field_values(self) -> dict[str, Any]:
        values = {"kind": self.kind, "stem": self.stem, "answer": self.answer, "explanation": self.explanation,
                  "score": self.score, "difficulty": self.difficulty, "tags": self.tags}
        values.update(zip(OPTION_COLUMNS, self.options, strict=True))
        return values

    def differs_from(self, question: Question) -> bool:
        """Whether importing this row would change `question` (compared as the import stores values)."""
        current = {name: getattr(question, name) for name in self.field_values()}
        current["answer"] = normal_answer_of(question)
        current["tags"] = _tags(question.tags)
        return current != self.field_values()


class QuestionImportPlan(Plan):
    """Planned question rows and row errors."""

    @property
    def kind_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            counts[row.kind] += 1
        return [(KIND_EXPORT[kind], counts[kind]) for kind in KIND_EXPORT if counts[kind]]


# --- reading ------------------------------------------------------------------------------------

def read_rows(filename: str, data: bytes) -> list[SourceRow]:
    """Data rows of an .xlsx file; raises ImportFileError with a message for the trainer."""
    extension = extension_of(filename)
    if extension != "xlsx":
        raise ImportFileError(_("只能导入 .xlsx 文件；.xls 或 .csv 文件请在 Excel 中“另存为” .xlsx 后再上传。"))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("文件超过 5 MB，请拆分成几个文件分批导入。"))
    if not data:
        raise ImportFileError(_("文件是空的，请使用导入模板填写后再上传。"))
    table = read_table(
        xlsx_lines(data), columns=COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS,
        too_many=_("文件超过 %(max)s 行试题，请拆分成几个文件分批导入。") % {"max": MAX_ROWS},
        no_header=_("没有找到表头行：须包含“题型”“题干”“答案”三列（可选“选项A”至“选项F”“解析”“分值”“难度”“标签”），"
                    "请使用导入模板。"),
        header_only=_("文件中只有表头，没有试题。"),
    )
    return [SourceRow(number, values) for number, values in table.rows]


# --- normalising cells --------------------------------------------------------------------------

def _word(value: Any) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", cell_text(value)))


def _lookup(words: dict, value: Any):
    word = _word(value)
    for key, spellings in words.items():
        if word in spellings:
            return key
    return None


def _score(value: Any) -> tuple[Decimal | None, str | None]:
    if is_blank(value):
        return Decimal("1"), None
    text = _word(value)
    try:
        score = Decimal(text) if not isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        return None, _("分值“%(value)s”不是数字") % {"value": cell_text(value)}
    if not score.is_finite():
        return None, _("分值“%(value)s”不是数字") % {"value": cell_text(value)}
    if score < SCORE_MIN:
        return None, _("分值“%(value)s”无效：至少为 0.5") % {"value": cell_text(value)}
    if score > SCORE_MAX:
        return None, _("分值“%(value)s”过大：最多 9999.9") % {"value": cell_text(value)}
    if score != score.quantize(Decimal("0.1")):
        return None, _("分值“%(value)s”最多保留一位小数") % {"value": cell_text(value)}
    return score.quantize(Decimal("0.1")), None


def _tags(value: Any) -> str:
    text = cell_text(value).replace("，", ",").replace("、", ",").replace("；", ",").replace(";", ",")
    return ",".join(dict.fromkeys(tag.strip() for tag in text.split(",") if tag.strip()))


def _normal_answer(kind: str, answer: str) -> str:
    """The answer as stored; the row is already known to be valid."""
    if kind in CHOICE_KINDS:
        return "".join(sorted(answer_letters(answer)))
    if kind == Question.Kind.TRUE_FALSE:
        return "对" if truth_value(answer) else "错"
    return "|".join(part.strip() for part in answer.replace("｜", "|").split("|") if part.strip())


def normal_answer_of(question: Question) -> str:
    """A stored question's answer as an import would store it (left alone when the question is invalid)."""
    if question_problems(kind=question.kind, stem=question.stem, options=question.options, answer=question.answer):
        return question.answer
    return _normal_answer(question.kind, question.answer)


def _true_false_from_option(answer: str, options: list[str]) -> str:
    """判断题 written as a choice (选项A 对, 选项B 错, 答案 A) → the option's text."""
    letters = answer_letters(answer)
    if truth_value(answer) is None and len(letters) == 1 and letters[0] in LETTERS:
        index = LETTERS.index(letters[0])
        if index < len(options) and truth_value(options[index]) is not None:
            return options[index]
    return answer


def _clean(source: SourceRow) -> tuple[QuestionRow | None, list[str]]:
    errors: list[str] = []
    raw_kind = cell_text(source.get("kind"))
    kind = _lookup(KIND_WORDS, raw_kind)
    stem = cell_text(source.get("stem"))
    options = [cell_text(source.get(column)) for column in OPTION_COLUMNS]
    answer = cell_text(source.get("answer"))
    explanation = cell_text(source.get("explanation"))

    if kind is None:
        if raw_kind:
            errors.append(_("题型“%(value)s”无法识别，应为 单选、多选、判断 或 填空") % {"value": raw_kind})
        else:
            errors.append(_("题型为空，应为 单选、多选、判断 或 填空"))
        if not stem:
            errors.append(_("题干为空"))
    else:
        if kind == Question.Kind.TRUE_FALSE:
            answer = _true_false_from_option(answer, options)
        if kind in CHOICE_KINDS:
            last = max((i for i, text in enumerate(options) if text), default=-1)
            gaps = [LETTERS[i] for i in range(last) if not options[i]]
            if gaps:
                errors.append(_("选项%(letters)s 为空，但其后还有选项：选项须从 A 起连续填写")
                              % {"letters": "、".join(gaps)})
            for letter, text in zip(LETTERS, options, strict=True):
                if len(text) > OPTION_MAX_LENGTH:
                    errors.append(_("选项%(letter)s 过长（最多 %(max)s 个字）") % {"letter": letter, "max": OPTION_MAX_LENGTH})
        errors += question_problems(kind=kind, stem=stem, options=options, answer=answer)
    if len(answer) > ANSWER_MAX_LENGTH:
        errors.append(_("答案过长（最多 %(max)s 个字）") % {"max": ANSWER_MAX_LENGTH})

    score, problem = _score(source.get("score"))
    if problem:
        errors.append(problem)

    difficulty = Question.Difficulty.MEDIUM
    if not is_blank(source.get("difficulty")):
        difficulty = _lookup(DIFFICULTY_WORDS, source.get("difficulty"))
        if difficulty is None:
            errors.append(_("难度“%(value)s”无法识别，应为 易、中 或 难") % {"value": cell_text(source.get("difficulty"))})

    tags = _tags(source.get("tags"))
    if len(tags) > TAGS_MAX_LENGTH:
        errors.append(_("标签过长（最多 %(max)s 个字）") % {"max": TAGS_MAX_LENGTH})

    if errors:
        return None, errors
    return QuestionRow(
        row=source.number, kind=str(kind), stem=stem, options=options,
        answer=_normal_answer(kind, answer), explanation=explanation, score=score,
        difficulty=int(difficulty), tags=tags,
    ), []


# --- validating ---------------------------------------------------------------------------------

def existing_questions(bank: QuestionBank) -> dict[str, Question]:
    """The bank's questions by normalised stem (the oldest one when a stem occurs twice); one query."""
    by_key: dict[str, Question] = {}
    for question in Question.objects.filter(bank=bank).order_by("id"):
        by_key.setdefault(normalize_text(question.stem), question)
    return by_key


def validate_rows(*, bank: QuestionBank, rows: list[SourceRow]) -> QuestionImportPlan:
    """Check every row; a row's errors never stop the others from being checked."""
    errors: list[RowError] = []
    cleaned: list[QuestionRow] = []
    for source in rows:
        row, problems = _clean(source)
        errors += [RowError(source.number, problem) for problem in problems]
        if row is not None:
            cleaned.append(row)

    rows_by_key: dict[str, list[int]] = defaultdict(list)
    for source in rows:
        key = normalize_text(cell_text(source.get("stem")))
        if key:
            rows_by_key[key].append(source.number)
    planned: list[QuestionRow] = []
    for row in cleaned:
        others = [number for number in rows_by_key[row.key] if number != row.row]
        if others:
            errors.append(RowError(row.row, _("题干与第 %(rows)s 行重复") % {"rows": "、".join(map(str, others))}))
        else:
            planned.append(row)

    existing = existing_questions(bank)
    for row in planned:
        question = existing.get(row.key)
        if question is not None:
            row.existing_id = question.pk
            row.action = Action.UPDATE if row.differs_from(question) else Action.UNCHANGED

    errors.sort(key=lambda error: error.row)
    return QuestionImportPlan(rows=planned, errors=errors)


def plan_import(*, bank: QuestionBank, filename: str, data: bytes) -> QuestionImportPlan:
    """Read and validate in one call (the preview, and again at confirmation)."""
    return validate_rows(bank=bank, rows=read_rows(filename, data))
