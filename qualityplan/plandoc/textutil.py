"""Small text helpers shared by the extractors: bracket-aware sentence splitting, masking, numerals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

OPEN = "（《“〈〔【‘"
CLOSE = "）》”〉〕】’"
_PAIR = dict(zip(OPEN, CLOSE, strict=True))

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})


def cn_to_int(s: str) -> int | None:
    """Chinese numerals up to 99 (二十八, 十二, 三) or digit strings; None when not a number."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in CN_DIGITS and c != "十" for c in s):
        return None
    if "十" not in s:
        if len(s) == 1:
            return CN_DIGITS[s]
        return int("".join(str(CN_DIGITS[c]) for c in s))
    head, _, tail = s.partition("十")
    tens = CN_DIGITS[head] if head else 1
    ones = CN_DIGITS[tail] if tail else 0
    return tens * 10 + ones


def cn_year(s: str) -> int | None:
    """二〇一一 → 2011; 2017 → 2017."""
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in CN_DIGITS for c in s):
        return int("".join(str(CN_DIGITS[c]) for c in s))
    return None


def split_units(text: str, start: int, end: int, seps: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) pieces of ``text[start:end]`` split at any char in ``seps`` outside brackets.

    Separators are excluded from the pieces; empty pieces are skipped.
    """
    depth: list[str] = []
    piece = start
    for i in range(start, end):
        ch = text[i]
        if ch in _PAIR and not (ch in "“‘" and depth and depth[-1] == _PAIR[ch]):
            depth.append(_PAIR[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif not depth and ch in seps:
            if i > piece:
                yield piece, i
            piece = i + 1
    if end > piece:
        yield piece, end


def strip_span(text: str, start: int, end: int, chars: str = " \t\n。；，、：") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


_MASK_RES = [
    re.compile(r"《[^《》]*》"),  # titles of documents and standards
    re.compile(r"〔[^〔〕]*〕\d*号?"),  # document numbers 国发〔2015〕28号
    re.compile(r"[A-Za-z][A-Za-z/\-]*\d+(?:[.\-—]\d+)*"),  # PM10, ISO22000, GB3838-2002
    re.compile(r"\d+[A-Za-z]"),  # 2A, 5G
    re.compile(r"\d+(?:\.\d+)?[-—－～~至]\d+(?:\.\d+)?年度?"),  # year ranges 2013-2020年
    re.compile(r"\d{4}年"),
    re.compile(r"\d{1,2}月(?:\d{1,2}日)?"),
    re.compile(r"\d+·\d+"),  # 3·15
    re.compile(r"\d+号"),
    re.compile(r"第\d+"),
]


@lru_cache(maxsize=8)  # called per clause on the whole document text; computed once per document
def mask(text: str) -> str:
    """Blank out numbers that are not quantities (years, dates, codes, standard numbers), keeping offsets."""
    chars = list(text)
    for rx in _MASK_RES:
        for m in rx.finditer(text):
            for i in range(m.start(), m.end()):
                if chars[i].isdigit():
                    chars[i] = "#"
    return "".join(chars)
