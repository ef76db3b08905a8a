"""Spreadsheets in the question import layout, built in memory for the import tests."""

import io

from openpyxl import Workbook

from assessments.imports import HEADER

# Eight good rows, one of each kind and more: Excel rows 2–9.
GOOD_ROWS = [
    ["单选", "社区居民委员会每届任期几年？", "三年", "四年", "五年", "六年", "", "", "C", "依法每届五年。", 1, "易", "法规"],
    ["多选", "网格员的日常工作包括哪些？", "入户走访", "信息采集", "矛盾排查", "审批项目", "", "", "ABC", "", 2, "中", "网格,治理"],
    ["判断", "居民公约须经居民会议讨论通过。", "", "", "", "", "", "", "对", "", 1, "", ""],
    ["填空", "城市社区“两委”是指社区党组织和社区____。", "", "", "", "", "", "", "居民委员会|居委会", "", 1.5, "难", ""],
    ["单选题", "“街乡吹哨、部门报到”源自哪个城市？", "北京", "上海", "广州", "", "", "", "a", "", "", "中", ""],
    ["多项选择题", "新时代“枫桥经验”强调哪些方面？", "矛盾不上交", "平安不出事", "服务不缺位", "", "", "", "A、B、C", "", 3, "", ""],
    ["判断题", "社区工作者可以代替居民投票。", "对", "错", "", "", "", "", "B", "", "", "易", ""],
    ["填空", "我国居民委员会组织法于____年施行。", "", "", "", "", "", "", 1990, "", "", "", ""],
]


def xlsx(rows, header=HEADER, *, title_rows=()) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("试题")
    for row in title_rows:
        sheet.append(row)
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_three_bad_rows() -> tuple[list[list], dict[int, list[str]]]:
    """GOOD_ROWS with three broken (Excel rows 3, 5 and 7), and the reasons the preview must give."""
    rows = [list(row) for row in GOOD_ROWS]
    rows[1] = ["单选", "网格员的日常工作包括哪些？", "入户走访", "信息采集", "矛盾排查", "审批项目", "", "", "AB", "", 2, "中", ""]
    rows[3] = ["单选", "城市社区“两委”中的另一委是？", "居委会", "业委会", "物业公司", "监委会", "", "", "E", "", 1, "", ""]
    rows[5] = ["单选", "  ", "甲", "乙", "", "", "", "", "A", "", 1, "", ""]
    return rows, {3: ["单选题只能有一个答案"], 5: ["答案 E 没有对应的选项"], 7: ["题干为空"]}
