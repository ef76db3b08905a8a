"""Reading and validating question spreadsheets (assessments.imports), and the export and template
(assessments.exports) read back: nothing is imported here."""

from decimal import Decimal

import pytest

from assessments.exports import export_xlsx, template_xlsx
from assessments.imports import (
    HEADER,
    MAX_ROWS,
    Action,
    ImportFileError,
    plan_import,
    read_rows,
)
from assessments.models import Question, QuestionBank
from tests.assessments.sheets import GOOD_ROWS, with_three_bad_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return QuestionBank.objects.create(name="导入测试题库")


def _reasons(plan) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    for error in plan.errors:
        reasons.setdefault(error.row, []).append(error.reason)
    return reasons


def test_three_bad_rows_are_reported_with_excel_row_numbers_and_chinese_reasons(bank):
    rows, expected = with_three_bad_rows()
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx(rows))
    assert not plan.ok
    assert _reasons(plan) == expected
    assert [row.row for row in plan.rows] == [2, 4, 6, 8, 9]


def test_good_rows_are_normalised_to_what_is_stored(bank):
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx(GOOD_ROWS))
    assert plan.ok and plan.counts == {"created": 8, "updated": 0, "unchanged": 0}
    by_row = {row.row: row for row in plan.rows}
    assert by_row[2].kind == "single" and by_row[2].answer == "C" and by_row[2].difficulty == 1
    assert by_row[3].kind == "multiple" and by_row[3].answer == "ABC" and by_row[3].score == Decimal("2")
    assert by_row[4].kind == "truefalse" and by_row[4].answer == "对" and by_row[4].difficulty == 2  # default 中
    assert by_row[5].answer == "居民委员会|居委会" and by_row[5].score == Decimal("1.5") and by_row[5].difficulty == 3
    assert by_row[6].answer == "A" and by_row[6].score == Decimal("1")  # lower-case letter; default 分值 1
    assert by_row[7].answer == "ABC"  # "A、B、C"
    assert by_row[8].kind == "truefalse" and by_row[8].answer == "错"  # answer B → option B's text
    assert by_row[9].kind == "fill" and by_row[9].answer == "1990"  # a number cell
    assert by_row[3].tags == "网格,治理"
    assert dict(plan.kind_counts) == {"单选": 2, "多选": 2, "判断": 2, "填空": 2}


@pytest.mark.parametrize(("cells", "reason"), [
    ({0: "问答"}, "题型“问答”无法识别，应为 单选、多选、判断 或 填空"),
    ({0: ""}, "题型为空，应为 单选、多选、判断 或 填空"),
    ({10: "两分"}, "分值“两分”不是数字"),
    ({10: 0}, "分值“0”无效：至少为 0.5"),
    ({10: "1.25"}, "分值“1.25”最多保留一位小数"),
    ({11: "超难"}, "难度“超难”无法识别，应为 易、中 或 难"),
    ({3: ""}, "选项B 为空，但其后还有选项：选项须从 A 起连续填写"),
    ({8: ""}, "答案为空"),
    ({8: "D", 4: "", 5: ""}, "答案 D 没有对应的选项"),
])
def test_each_bad_cell_has_its_own_reason(bank, cells, reason):
    row = list(GOOD_ROWS[0])
    for index, value in cells.items():
        row[index] = value
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx([row, GOOD_ROWS[1]]))
    assert _reasons(plan) == {2: [reason]}


def test_the_same_stem_twice_in_one_file_is_an_error_on_both_rows(bank):
    twin = list(GOOD_ROWS[0])
    twin[1] = " 社区居民委员会每届任期几年?"  # spaces and a half-width "?" are the same stem
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx([GOOD_ROWS[0], GOOD_ROWS[1], twin]))
    assert _reasons(plan) == {2: ["题干与第 4 行重复"], 4: ["题干与第 2 行重复"]}


def test_existing_questions_are_matched_on_bank_and_normalised_stem(bank):
    Question.objects.create(bank=bank, kind="single", stem="社区居民委员会每届任期几年？", option_a="三年", option_b="四年",
                            option_c="五年", option_d="六年", answer="C", explanation="依法每届五年。", difficulty=1,
                            tags="法规")
    Question.objects.create(bank=bank, kind="multiple", stem="网格员的日常工作包括哪些？ ", option_a="x", option_b="y",
                            answer="AB")
    other = QuestionBank.objects.create(name="别的题库")
    Question.objects.create(bank=other, kind="truefalse", stem="居民公约须经居民会议讨论通过。", answer="对")
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx(GOOD_ROWS))
    actions = {row.row: row.action for row in plan.rows}
    assert actions[2] == Action.UNCHANGED
    assert actions[3] == Action.UPDATE
    assert actions[4] == Action.CREATE  # the same stem in another bank is another question
    assert plan.counts == {"created": 6, "updated": 1, "unchanged": 1}


def test_a_title_line_above_the_header_and_blank_lines_keep_excel_row_numbers(bank):
    rows = [GOOD_ROWS[0], [], ["单选", "", "甲", "乙", "", "", "", "", "A"]]
    plan = plan_import(bank=bank, filename="题库.xlsx", data=xlsx(rows, title_rows=[["2027 年题库"], []]))
    assert _reasons(plan) == {6: ["题干为空"]}  # title 1, blank 2, header 3, rows 4, 5 (blank), 6


def test_file_level_problems_have_clear_messages():
    with pytest.raises(ImportFileError, match="只能导入 .xlsx 文件"):
        read_rows("题库.csv", b"a,b")
    with pytest.raises(ImportFileError, match="文件超过 5 MB"):
        read_rows("题库.xlsx", b"x" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ImportFileError, match="无法读取该 Excel 文件"):
        read_rows("题库.xlsx", b"not a zip")
    with pytest.raises(ImportFileError, match="没有找到表头行"):
        read_rows("题库.xlsx", xlsx([["单选", "题"]], header=["类别", "内容"]))
    with pytest.raises(ImportFileError, match="只有表头"):
        read_rows("题库.xlsx", xlsx([]))
    too_many = [["判断", f"第 {n} 题", "", "", "", "", "", "", "对"] for n in range(MAX_ROWS + 1)]
    with pytest.raises(ImportFileError, match=f"文件超过 {MAX_ROWS} 行试题"):
        read_rows("题库.xlsx", xlsx(too_many))
    assert len(read_rows("题库.xlsx", xlsx(too_many[:MAX_ROWS]))) == MAX_ROWS


def test_the_template_and_an_export_read_back_without_errors(bank):
    template = plan_import(bank=bank, filename="模板.xlsx", data=template_xlsx())
    assert template.ok and len(template.rows) == 4
    question = Question.objects.create(bank=bank, kind="fill", stem="=1+1 等于____。", answer="2")
    data = export_xlsx([question])
    plan = plan_import(bank=bank, filename="导出.xlsx", data=data)
    assert plan.ok and plan.counts == {"created": 0, "updated": 0, "unchanged": 1}  # "=1+1" stayed text
    assert read_rows("导出.xlsx", data)[0].values.keys() >= {"kind", "stem", "answer"}
    assert len(HEADER) == 13
