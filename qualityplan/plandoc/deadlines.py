"""Deadlines: 2017年6月30日, 6月30日前, 二〇一一年六月二十八日, 6月底前, 年底前, 上半年, 年内, 三季度 …

Each is normalised to an ISO date; the words as written are kept in ``original``.
"""

from __future__ import annotations

import calendar
import re
from typing import Any

from qualityplan.plandoc.textutil import cn_to_int, cn_year

_Y = r"(?:(?P<year>\d{4}|[〇○零一二三四五六七八九]{4})年)"
_M = r"(?P<month>\d{1,2}|十[一二]?|[一二三四五六七八九])月"
_D = r"(?P<day>\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日"
FULL_DATE_RE = re.compile(rf"{_Y}{_M}{_D}")
DATE_RE = re.compile(rf"{_Y}?(?<![\d年]){_M}{_D}(?P<before>前|之前|以前)?")
DATE_RE_WITH_YEAR = re.compile(rf"{_Y}{_M}{_D}(?P<before>前|之前|以前)?")
MONTH_END_RE = re.compile(
    rf"{_Y}?(?<![\d年]){_M}(?!\d|[一二三四五六七八九十]+日)(?P<part>底|末|份|中旬|上旬|下旬)(?P<before>前|之前|以前)?"
)
MONTH_END_RE_WITH_YEAR = re.compile(
    rf"{_Y}{_M}(?!\d|[一二三四五六七八九十]+日)(?P<part>底|末|份|中旬|上旬|下旬)(?P<before>前|之前|以前)?"
)
PERIOD_RE = re.compile(
    rf"{_Y}?(?P<period>年底|年末|年内|底|末|上半年|下半年|第?[一二三四1-4]季度末?)(?P<before>前|之前|以前|内)?"
    r"(?!工作|总结|计划|的|报告|情况|以来|数据|目标)"
)
# "2022年8底前": 月 left out — read as the month's end, flagged uncertain
MONTH_END_TYPO_RE = re.compile(r"(?P<year>\d{4})年(?P<month>\d{1,2})(?P<part>底|末)(?P<before>前|之前|以前)")
# "时限要求：持续推进", "完成时限：长期坚持", a table cell or bracket with only these words: no date, ongoing
ONGOING_RE = re.compile(
    r"(?:(?:完成时限|时限要求|完成时间|时间要求|时限|时间节点|进度安排)[：:]\s*|(?<=[（\n]))"
    r"(?P<word>长期坚持|持续推进|长期推进|持续开展|常态化推进|长期|持续)(?=[）。；\n]|$)"
)
_QUARTER = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_SOFT_RE = re.compile(r"(争取|力争|原则上|尽快|左右|力求)")
_START_RE = re.compile(r"^(起|开始|以来|至今)")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        if not (1 <= month <= 12 and 1 <= day <= _last_day(year, month)):
            return None
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def document_date(line: str) -> str | None:
    """An ISO date when ``line`` is a date line (2017年2月24日 / 二〇一一年六月二十八日), else None."""
    m = FULL_DATE_RE.fullmatch(line.strip())
    if not m:
        return None
    year, month, day = cn_year(m.group("year")), cn_to_int(m.group("month")), cn_to_int(m.group("day"))
    if year is None or month is None or day is None:
        return None
    return _iso(year, month, day)


def find_deadlines(text: str, start: int, end: int, plan_year: int | None) -> list[dict[str, Any]]:
    """Deadlines in ``text[start:end]`` with ``date``, ``original``, ``span``; ``where``/``what`` are added later."""
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def year_of(m: re.Match[str], context_year: int | None) -> int | None:
        if m.group("year"):
            return cn_year(m.group("year"))
        return context_year or plan_year

    context_year: int | None = None
    for rx in (DATE_RE_WITH_YEAR, DATE_RE):
        for m in rx.finditer(text, start, end):
            if not free(m.start(), m.end()) or _START_RE.match(text[m.end() : m.end() + 2]):
                continue
            year = year_of(m, _year_before(text, m.start(), start))
            month, day = cn_to_int(m.group("month")), cn_to_int(m.group("day"))
            if year is None or month is None or day is None:
                continue
            iso = _iso(year, month, day)
            if iso:
                found.append({"date": iso, "original": m.group(0), "span": [m.start(), m.end()]})
                taken.append((m.start(), m.end()))
    for rx in (MONTH_END_RE_WITH_YEAR, MONTH_END_RE):
        for m in rx.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            year = year_of(m, _year_before(text, m.start(), start))
            month = cn_to_int(m.group("month"))
            if year is None or month is None or not 1 <= month <= 12:
                continue
            part = m.group("part")
            day = {"中旬": 20, "上旬": 10}.get(part, _last_day(year, month))
            item = {"date": _iso(year, month, day), "original": m.group(0), "span": [m.start(), m.end()]}
            if part in ("上旬", "中旬", "下旬") and not m.group("before"):  # 6月中旬: the 11th to the 20th
                item["kind"] = "range"
                item["date_from"] = _iso(year, month, {"上旬": 1, "中旬": 11, "下旬": 21}[part])
            found.append(item)
            taken.append((m.start(), m.end()))
    for m in MONTH_END_TYPO_RE.finditer(text, start, end):
        if not free(m.start(), m.end()):
            continue
        year, month = int(m.group("year")), int(m.group("month"))
        if not 1 <= month <= 12:
            continue
        found.append(
            {
                "date": _iso(year, month, _last_day(year, month)),
                "original": m.group(0),
                "span": [m.start(), m.end()],
                "uncertain": True,
                "note": "月 missing in the text; read as the end of the month",
            }
        )
        taken.append((m.start(), m.end()))
    for m in PERIOD_RE.finditer(text, start, end):
        period = m.group("period")
        if not free(m.start(), m.end()):
            continue
        if period in ("底", "末") and not m.group("year"):
            continue
        year = year_of(m, None)
        if year is None:
            continue
        if period in ("上半年",):
            month = 6
        elif "季度" in period:
            month = _QUARTER[period.lstrip("第")[0]]
        else:
            month = 12
        item = {"date": _iso(year, month, _last_day(year, month)), "original": m.group(0), "span": [m.start(), m.end()]}
        if not m.group("year") and plan_year is None:
            continue
        found.append(item)
        taken.append((m.start(), m.end()))
    for m in ONGOING_RE.finditer(text, start, end):
        s = m.start("word")
        if free(s, m.end()):
            found.append({"date": None, "kind": "ongoing", "original": m.group("word"), "span": [s, m.end()]})
            taken.append((s, m.end()))
    found.sort(key=lambda d: d["span"][0])
    for item in found:
        item.setdefault("kind", "date")
        if item["kind"] == "ongoing":
            continue
        clause_start = max(text.rfind(c, start, item["span"][0]) for c in "，。；\n") + 1
        if re.search(r"每(年|季度|季|月|半年)$", text[clause_start : item["span"][0]]):
            item["uncertain"] = True
            item["note"] = "recurring (每年…): the first occurrence is given"
        elif _SOFT_RE.search(text, clause_start, item["span"][0]) and not item.get("uncertain"):
            item["uncertain"] = True
            item["note"] = "soft deadline (争取/力争)"
    _ = context_year
    return found


def _year_before(text: str, pos: int, start: int) -> int | None:
    """A year written earlier in the same sentence (2017年6月30日和12月5日前)."""
    sentence_start = max(text.rfind(c, start, pos) for c in "。；\n") + 1
    years = re.findall(r"(\d{4})年\d{1,2}月", text[sentence_start:pos])
    return int(years[-1]) if years else None
