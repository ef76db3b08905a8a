"""Reading a pasted 放假安排: the formats an administrator copies from the State Council's notice,
and a clear line-numbered reason for everything else."""

import datetime as dt

import pytest

from core.holiday_schedule import ScheduleDay, parse_schedule, schedule_text

D = dt.date


def test_ranges_single_days_and_chinese_dates_with_weekdays():
    text = """
    # 2027 年部分节假日安排
    2027-01-01 放假 元旦
    2月5日至11日 放假 春节
    2月20日（星期六） 上班 春节调休
    2027/10/01 ~ 2027/10/07：放假，国庆节
    10月9日(周六)补班
    """
    days, problems = parse_schedule(text, 2027)
    assert problems == []
    assert days[0] == ScheduleDay(D(2027, 1, 1), False, "元旦")
    spring = [d for d in days if d.note == "春节"]
    assert [d.date for d in spring] == [D(2027, 2, n) for n in range(5, 12)]
    assert ScheduleDay(D(2027, 2, 20), True, "春节调休") in days
    assert [d.date for d in days if d.note == "国庆节"] == [D(2027, 10, n) for n in range(1, 8)]
    assert ScheduleDay(D(2027, 10, 9), True, "") in days
    assert [d.date for d in days] == sorted(d.date for d in days)


def test_full_width_digits_and_the_same_day_twice_with_the_same_arrangement_are_fine():
    days, problems = parse_schedule("２０２７－０５－０１至２０２７－０５－０５ 放假 劳动节\n5月3日 放假", 2027)
    assert problems == [] and len(days) == 5


@pytest.mark.parametrize("line, reason", [
    ("元旦 放假", "看不懂开头的日期"),
    ("2027-01-01 元旦", "请在日期后写明「放假」或「上班」"),
    ("2027-02-30 放假", "日期不存在"),
    ("2026-12-31 放假 元旦", "不在 2027 年内"),
    ("2月11日至5日 放假", "早于开始日期"),
    ("1月1日至3月1日 放假", "一段日期最长 31 天"),
])
def test_every_bad_line_says_which_line_and_why(line, reason):
    days, problems = parse_schedule(f"2027-01-04 上班\n{line}", 2027)
    assert len(problems) == 1 and problems[0].startswith("第 2 行：") and reason in problems[0], problems


def test_contradicting_lines_are_refused():
    _days, problems = parse_schedule("2月5日至11日 放假 春节\n2月8日 上班", 2027)
    assert problems == ["第 2 行：2027-02-08 与第 1 行的安排矛盾"]


def test_the_computed_holidays_read_back_as_the_same_days():
    computed = [(D(2027, 2, 5), False, "农历除夕"), (D(2027, 2, 6), False, "春节"), (D(2027, 2, 7), False, "春节"),
                (D(2027, 2, 8), False, "春节"), (D(2027, 2, 9), False, "春节（补假）"), (D(2027, 1, 1), False, "元旦"),
                (D(2027, 1, 3), False, "元旦（补假）")]
    text = schedule_text(computed)
    assert text.splitlines() == ["2027-01-01 放假 元旦", "2027-01-03 放假 元旦（补假）", "2027-02-05 放假 农历除夕",
                                 "2027-02-06 至 2027-02-09 放假 春节"]
    days, problems = parse_schedule(text, 2027)
    assert problems == [] and {d.date for d in days} == {day for day, _w, _n in computed}
