"""Reading a year's 放假安排 pasted by an administrator, one line per date or date range:

    2027-02-05 至 2027-02-11 放假 春节
    2月20日（星期六） 上班 春节调休
    10月1日至7日 放假 国庆节

A date is `YYYY-MM-DD` (or with / . 年月日), or `M月D日` in the year being entered; a range's end may
be just `D日` in the same month. Then 放假 (休息) or 上班 (补班), then an optional note. Blank lines
and lines starting with # are skipped. Pure: no database; `parse_schedule` returns every problem with
its line number, so nothing is saved unless the whole text is right.
"""

import datetime as dt
import re
from dataclasses import dataclass

MAX_RANGE_DAYS = 31
_DATE = r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_WEEKDAY = r"\s*[（(]\s*(?:星期|周)[一二三四五六日天]\s*[）)]"
_LINE = re.compile(
    rf"^(?P<start>{_DATE})(?:{_WEEKDAY})?"
    rf"(?:\s*(?:至|到|~|-|—|–)\s*(?P<end>{_DATE}|(?P<end_day>\d{{1,2}})\s*日)(?:{_WEEKDAY})?)?"
    r"\s*[，,：:]?\s*(?P<kind>放假|休息|休|上班|补班|工作)\s*[，,：:]?\s*(?P<note>.*)$")
_KINDS = {"放假": False, "休息": False, "休": False, "上班": True, "补班": True, "工作": True}
_WIDE = str.maketrans("０１２３４５６７８９／－．～", "0123456789/-.~")


@dataclass(frozen=True)
class ScheduleDay:
    date: dt.date
    is_workday: bool
    note: str


def _date(year: int, match_year: str | None, month: str, day: str) -> dt.date:
    return dt.date(int(match_year) if match_year else year, int(month), int(day))


def _parse_line(line: str, year: int) -> list[ScheduleDay]:
    """The days of one line, or ValueError with the reason in Chinese."""
    match = _LINE.match(line)
    if not match:
        if not re.match(_DATE, line):
            raise ValueError(f"看不懂开头的日期「{line[:20]}」，请写成 {year}-02-05 或 2月5日")
        raise ValueError("请在日期后写明「放假」或「上班」")
    groups = match.groups()
    try:
        start = _date(year, groups[1], groups[2], groups[3])
        if match["end_day"]:
            end = start.replace(day=int(match["end_day"]))
        elif match["end"]:
            end = _date(year, groups[5], groups[6], groups[7])
        else:
            end = start
    except ValueError:
        raise ValueError("日期不存在（请检查月份和日）") from None
    for day in (start, end):
        if day.year != year:
            raise ValueError(f"{day:%Y-%m-%d} 不在 {year} 年内")
    if end < start:
        raise ValueError(f"结束日期 {end:%Y-%m-%d} 早于开始日期 {start:%Y-%m-%d}")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValueError(f"一段日期最长 {MAX_RANGE_DAYS} 天")
    workday, note = _KINDS[match["kind"]], match["note"].strip()[:100]
    return [ScheduleDay(start + dt.timedelta(days=n), workday, note) for n in range((end - start).days + 1)]


def parse_schedule(text: str, year: int) -> tuple[list[ScheduleDay], list[str]]:
    """(the days, in date order; the problems as 「第 N 行：…」). Days are only meaningful without problems."""
    days: dict[dt.date, tuple[int, ScheduleDay]] = {}
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.translate(_WIDE).strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        try:
            entries = _parse_line(line, year)
        except ValueError as error:
            problems.append(f"第 {number} 行：{error}")
            continue
        for entry in entries:
            earlier = days.get(entry.date)
            if earlier and earlier[1].is_workday != entry.is_workday:
                problems.append(f"第 {number} 行：{entry.date:%Y-%m-%d} 与第 {earlier[0]} 行的安排矛盾")
                break
            days[entry.date] = (number, entry)
    return [entry for _number, entry in sorted(days.values(), key=lambda item: item[1].date)], problems


def schedule_text(days: list[tuple[dt.date, bool, str]]) -> str:
    """Consecutive days with the same arrangement and name as lines `parse_schedule` reads back: the
    computed holidays of a year offered as the starting point for entering the official schedule."""
    lines: list[list] = []  # [start, end, workday, name of the first day, name without （补假）]
    for date, workday, name in sorted(days):
        base = re.sub(r"[（(].*[）)]$", "", name)  # 春节（补假） continues 春节
        last = lines[-1] if lines else None
        if last and last[1] + dt.timedelta(days=1) == date and last[2] == workday and last[4] == base:
            last[1] = date
        else:
            lines.append([date, date, workday, name, base])
    out = []
    for start, end, workday, name, _base in lines:
        span = f"{start:%Y-%m-%d}" if start == end else f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
        out.append(f"{span} {'上班' if workday else '放假'} {name}".rstrip())
    return "\n".join(out)
