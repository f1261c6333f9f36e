"""Targets: indicator, comparator, value and unit from the clauses of a plan.

Two sources: the target section (主要目标: every clause, numeric or qualitative) and the measures
(counted sub-targets: numbers with a unit or a frequency, and "达到…标准" clauses).
"""

from __future__ import annotations

import re
from typing import Any

from qualityplan.plandoc.structure import sentence_end
from qualityplan.plandoc.textutil import cn_to_int, mask, split_units, strip_span

COUNT_UNITS = (
    "个百分点|个工作日|万人次|人次|万平方米|平方米|万千瓦|千瓦|兆瓦|万吨|吨|万亩|亩|公顷|万元|亿元|元|万人|万件|件|"
    "批次|公里|千米|米|个|家|项|次|所|座|人|名|台|套|批|条|张|户|篇|种|处|支|辆|场|份|本|部|册|株|头|只|倍|天|小时|"
    "分钟|周|微克/立方米|毫克/升|分贝|分|‰|%"
)
VALUE_RE = re.compile(
    r"(?<![\d.#])(?P<num>\d+(?:[.,．]\d+)*)"
    r"(?:(?P<sep>-|—|－|~|～|至|到)(?P<num2>\d+(?:\.\d+)?))?"
    rf"(?P<unit>{COUNT_UNITS})?(?![\d#A-Za-z])"
)
_SUFFIX_RE = re.compile(r"^(?:（[^）]{1,6}）)?(及以上|以上|或以上|以下|及以下|以内|左右|上下)")
# verb immediately before a value, longest first
_VERBS: list[tuple[str, str]] = [
    ("力争达到", ">="),
    ("累计达到", ">="),
    ("分别达到", ">="),
    ("均达到", ">="),
    ("达到", ">="),
    ("达", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("超过", ">="),
    ("突破", ">="),
    ("实现", ">="),
    ("完成", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("低于", "<="),
    ("控制在", "<="),
    ("稳定在", "="),
    ("保持在", "="),
    ("维持在", "="),
    ("保持", "="),
    ("分别为", "="),
    ("均为", "="),
    ("为", "="),
    ("下降", "reduce_by"),
    ("降低", "reduce_by"),
    ("减少", "reduce_by"),
    ("提高", "increase_by"),
    ("提升", "increase_by"),
    ("增加", "increase_by"),
    ("增长", "increase_by"),
    ("上升", "increase_by"),
    ("新增", ">="),
]
_VERB_RE = re.compile("(" + "|".join(v for v, _ in _VERBS) + ")$")
_VERB_CMP = dict(_VERBS)
_TIME_WORDS = r"全年|年内|年底前|上半年|下半年|到\d{4}年底?|到#{4}年底?"
_LEAD_STRIP_RE = re.compile(rf"^(?:做到|并且|并|同时|从而|使|其中|确保|力争|争取|努力实现|努力|{_TIME_WORDS}|，)+")
_VERB_BEFORE_NUM_RE = re.compile(r"(完成|引进|新增|新建|组织|培育|认定|建成|创建|有)$")
_COUNTED = set("个家项次所座批件台套条张户名人篇种处支辆场份本部册株头只") | {"批次", "人次"}
_TEXT_STRIP_RE = re.compile(r"^(?:做到|并且|并|同时|从而|使|其中)")
_TIME_ONLY_RE = re.compile(r"^(?:到|至|截至|截止)?(?:\d{4}|#{4})年(?:底|末)?(?:前)?$")
_QUAL_PRED_RE = re.compile(
    r"(总体|保持|稳定|持续|继续|不断|稳步|加快|大幅|明显|显著|进一步|逐步|全面|基本|达到|(?<![下传送到表转])达(?!标)|提高|提升|上升|下降|降低|"
    r"减少|增加(?!值)|增长|改善|优化|(?<!面)向|实现|得到|有所|位居|好转|更加|日趋|趋于|不超过|不低于|控制在|取得)"
)
_MEASURABLE_RE = re.compile(r"(质量|率|度|程度|水平|指数|比例|比重|业态|效益|能力|值|量|环境|意识)$")
_GENERIC_VERB_RE = re.compile(r"^(?:完成|实现|安排|组织|开展|有|新)?(?=.)")
_FREQ_RE = re.compile(r"每(?P<period>年|季度|季|半年|月|周|天|日)[^，。；]*?(?P<n>\d+|[一二两三四五六七八九十]+)次")
_PERIOD = {"季": "季度", "日": "天"}
_COMMIT_RE = re.compile(rf"^(?:做到)?(?:{_TIME_WORDS})?(?:力争|争取|确保|完成|实现|新增|新建|累计)")
_SECTOR_RE = re.compile(r"^(.{2,6})业$")
_GENERIC_SUBJECT_RE = re.compile(r"^(服务|产品|工程)")
_RATE_RE = re.compile(r"(率|比例|比重|占比)$")


def _num(s: str) -> tuple[float | int, bool]:
    """Parse a number as written; returns (value, noisy). Commas or several dots are noise, not guessed silently."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):  # thousands separators
        return int(s.replace(",", "")), False
    noisy = bool(re.search(r"[,．]|\..*\.", s))
    clean = s.replace("．", ".").replace(",", ".")
    if clean.count(".") > 1:
        head, _, tail = clean.partition(".")
        clean = head + "." + tail.replace(".", "")
    value = float(clean)
    return (int(value) if value.is_integer() and "." not in clean else value), noisy


def _clauses(text: str, start: int, end: int, split_values: bool = True) -> list[tuple[int, int]]:
    """Split a sentence into clauses at ，; also at 、 after a value phrase (…88%以上、夜间…)."""
    out: list[tuple[int, int]] = []
    masked = mask(text)
    for s, e in split_units(text, start, end, "，"):
        s, e = strip_span(text, s, e)
        if s >= e:
            continue
        if split_values:
            piece_start = s
            for m in re.finditer("、", masked[s:e]):
                i = s + m.start()
                before = masked[piece_start:i]
                after = masked[i + 1 : e]
                if re.search(rf"\d(?:{COUNT_UNITS})(?:以上|以下|以内|左右)?$", before) and VALUE_RE.search(after):
                    out.append((piece_start, i))
                    piece_start = i + 1
            out.append((piece_start, e))
        else:
            out.append((s, e))
    return out


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    i = start
    while i < end:
        stop = sentence_end(text, i, end)
        s, e = strip_span(text, i, stop)
        if s < e:
            out.append((s, e))
        i = stop + 1
    return out


def _indicator(prefix: str) -> str:
    prefix = prefix.strip(" ，、：")
    prefix = _LEAD_STRIP_RE.sub("", prefix)
    return prefix.strip(" ，、：")


def _values(masked: str, start: int, end: int, *, allow_bare: bool):
    for m in VALUE_RE.finditer(masked, start, end):
        bare_ok = allow_bare and (
            re.search(
                r"(为|达到|保持|达|稳定在|保持在|不低于|不少于|不高于|不超过|控制在|超过)$", masked[start : m.start()]
            )
            or _SUFFIX_RE.match(masked[m.end() : m.end() + 10])  # 指数稳定在83以上
        )
        if m.group("unit") or bare_ok:
            yield m


def _make(text: str, s: int, e: int, where: str, **fields: Any) -> dict[str, Any]:
    t_s = s
    m = _TEXT_STRIP_RE.match(text[s:e])
    if m:
        t_s = s + m.end()
    item = {"text": text[t_s:e], "where": where, "span": [t_s, e], "flags": []}
    item.update(fields)
    return item


def numeric_targets(text: str, s: int, e: int, where: str, *, in_measure: bool, ctx: dict) -> list[dict]:
    """Targets with a number in clause ``text[s:e]``."""
    masked = mask(text)
    out: list[dict] = []
    prev_end = s
    matches = list(_values(masked, s, e, allow_bare=not in_measure))
    freq = _FREQ_RE.search(text, s, e)
    if freq and not matches:
        n = cn_to_int(freq.group("n"))
        period = _PERIOD.get(freq.group("period"), freq.group("period"))
        tail = text[freq.end() : e].strip()
        indicator = (tail or _indicator(text[s : freq.start()]) or "频次") + ("频次" if tail else "覆盖频次")
        item = _make(text, s, e, where, indicator=indicator, comparator=">=", value=n, unit=f"次/{period}")
        item.update(uncertain=True, note="frequency, not a count target")
        item["flags"].append("frequency")
        return [item]
    if not matches:
        return []
    respectively = "分别" in text[s:e] and len(matches) > 1
    subjects: list[str] = []
    if respectively:
        head = text[s : text.index("分别", s, e)]
        subjects = [head[a:b] for a, b in split_units(head, 0, len(head), "、和及与")]
    first_prefix = _indicator(text[s : matches[0].start()])
    number_first = (
        in_measure
        and (first_prefix == "" or _VERB_BEFORE_NUM_RE.sub("", first_prefix) in ("", "有"))
        and bool(text[matches[0].end() : e].strip(" 以上（）"))
    )
    for idx, m in enumerate(matches):
        if m.start() < prev_end:  # inside the previous value's suffix: 90分（含90分）以上
            continue
        unit = m.group("unit")
        value, noisy = _num(m.group("num"))
        after = text[m.end() : e]
        suffix = _SUFFIX_RE.match(after)
        before = text[prev_end : m.start()].rstrip()
        before_m = masked[prev_end : m.start()].rstrip()
        verb = _VERB_RE.search(before_m)
        comparator = _VERB_CMP[verb.group(1)] if verb else None
        prefix = before[: verb.start()] if verb else before
        fields: dict[str, Any] = {}
        flags: list[str] = []
        if suffix:
            word = suffix.group(1)
            if word in ("及以上", "以上", "或以上") and comparator not in ("reduce_by", "increase_by"):
                comparator = ">="
            elif word in ("以下", "及以下", "以内"):
                comparator = "<=" if comparator not in ("reduce_by", "increase_by") else comparator
            elif word in ("左右", "上下"):
                comparator = comparator if comparator in ("reduce_by", "increase_by") else "="
                flags.append("approximate")
                fields["note"] = "approximate value (左右)"
        uncertain = False
        if comparator is None and respectively and out:
            comparator = out[0]["comparator"]
        if comparator is None:
            if in_measure and _COMMIT_RE.match(text[s:e]):  # 力争完成…60家, 完成3家…: the clause commits to at least
                comparator = ">="
            elif in_measure:
                soft = bool(ctx.get("striving"))
                comparator = ">=" if soft else "="
                uncertain = True
                fields["note"] = "bare count" + (
                    "; 力争 earlier in the sentence" if soft else ", comparator by convention"
                )
            elif _COMMIT_RE.match(text[s:e]):  # 确保…50%的城市社区建成…: at least
                comparator = ">="
            else:
                comparator = "="
        if m.group("sep"):
            fields["value_max"] = _num(m.group("num2"))[0]
            comparator = ">=" if comparator in ("=", ">=") else comparator
            uncertain = True
            fields["note"] = f"range {m.group('num')}-{m.group('num2')}; value given as lower bound"
            flags.append("range")
        if unit is None and _RATE_RE.search(_indicator(prefix)):
            unit = "%"
            flags.append("unit_inferred")
        if noisy:
            uncertain = True
            flags.append("noisy_number")
            fields["note"] = f"number written as {m.group('num')!r}; read as {value}"
        if respectively and idx < len(subjects):
            indicator = _indicator(subjects[idx])
        elif in_measure and number_first:
            # number before the noun: 完成10家企业的申报发证工作, 新增10个甘肃名牌产品、20个张掖名牌产品
            tail = after[suffix.end() if suffix else 0 :]
            tail = re.split(r"[、，；]", tail, maxsplit=1)[0]
            indicator = re.sub(r"(的)?工作$", "", tail.strip(" ，"))
        else:
            indicator = _indicator(prefix)
            if in_measure and unit in _COUNTED:
                indicator = (
                    _GENERIC_VERB_RE.sub("", indicator, count=1) if not indicator.startswith("新") else indicator
                )
                indicator = indicator.removeprefix("完成").removeprefix("安排") + "数"
        baseline = _BASELINE_RE.search(text, s, m.start())
        if baseline:  # 比2015年下降18%: a relative target with its baseline year
            fields["baseline_year"] = int(baseline.group(1))
            indicator = _BASELINE_RE.sub("", indicator).strip(" ，")
        if verb and verb.group(1).startswith("均"):
            fields.setdefault("note", "one clause covering several indicators, each with this value")
            flags.append("several_indicators")
        if not indicator:
            uncertain = True
            flags.append("no_indicator")
        item = _make(text, s, e, where, indicator=indicator, comparator=comparator, value=value, unit=unit, **fields)
        if uncertain:
            item["uncertain"] = True
        item["flags"] += flags
        out.append(item)
        prev_end = m.end() + (suffix.end() if suffix else 0)
    return out


_BASELINE_RE = re.compile(r"(?:比|较|相比|与)(\d{4})年(?:末|底|相比)?")
_TARGET_YEAR_RE = re.compile(r"(?:到|至|截至|截止|在|于)?(\d{4})年(?:\d{1,2}月)?(?:底|末|前)?(?![\d月])")
_HORIZON_RE = re.compile(r"(?:到|至|截至|截止)(\d{4})年")


def _with_year(text: str, items: list[dict], start: int, ss: int, cs: int) -> list[dict]:
    """The year a target is for: a year earlier in its sentence (到2020年，…), else 到YYYY年 earlier in the part."""
    years = [m for m in _TARGET_YEAR_RE.finditer(text, ss, cs) if not _BASELINE_RE.match(text, max(m.start() - 1, 0))]
    year = int(years[-1].group(1)) if years else None
    if year is None:
        horizons = list(_HORIZON_RE.finditer(text, start, ss))
        year = int(horizons[-1].group(1)) if horizons else None
    if year is not None:
        for item in items:
            if item.get("value") is not None:
                item.setdefault("year", year)
    return items


def _subject(clause: str) -> str:
    m = _QUAL_PRED_RE.search(clause, 1)
    subject = clause[: m.start()] if m else clause
    # examples before 等 name members of the category that follows: 电子商务、商贸物流等新型流通业态
    if "等" in subject and "、" in subject[: subject.rindex("等")]:
        subject = subject[subject.rindex("等") + 1 :]
    return subject.strip(" ，、")


def _complete(prev: str, cur: str) -> str:
    """Resolve an elliptical indicator against the previous one in the same sentence."""
    if not prev or cur.startswith(("全", "各", "主要")):
        return cur
    for k in range(min(len(prev), len(cur) - 1), 1, -1):  # 近岸海域水质 + 水质优良率
        if prev.endswith(cur[:k]):
            return prev + cur[k:]
    common = 0
    while common < min(len(prev), len(cur)) and prev[-1 - common] == cur[-1 - common]:
        common += 1
    head = len(cur) - common
    if common >= 2 and len(cur) < len(prev) and 1 <= head <= 3:  # …昼间达标率 + 夜间达标率
        return prev[: len(prev) - len(cur)] + cur
    return cur


def _qualitative(text: str, pending: list[tuple[int, int]], where: str) -> list[dict]:
    """Consecutive clauses without a number in one sentence form one qualitative target."""
    if not pending:
        return []
    ps, pe = pending[0][0], pending[-1][1]
    subjects = [_subject(text[a:b]) for a, b in pending]
    kept = [x for x in subjects if _MEASURABLE_RE.search(x)] or subjects
    sector = _SECTOR_RE.match(subjects[0])  # topic of the sentence: 旅游业…，服务质量不断提高 → 旅游服务质量
    if sector:
        kept = [sector.group(1) + x if _GENERIC_SUBJECT_RE.match(x) else x for x in kept]
    item = _make(text, ps, pe, where, indicator="；".join(dict.fromkeys(kept)), comparator="qualitative")
    item.update(value=None, unit=None)
    item["flags"].append("qualitative")
    return [item]


def section_targets(text: str, start: int, end: int, where: str, *, numeric_only: bool = False) -> list[dict]:
    """Every target in a target-section paragraph: numeric and qualitative."""
    out: list[dict] = []
    masked = mask(text)
    for ss, se in sentences(text, start, end):
        prev_indicator = ""
        pending: list[tuple[int, int]] = []
        sentence_items: list[dict] = []

        for cs, ce in _clauses(text, ss, se):
            clause_masked = masked[cs:ce]
            if _TIME_ONLY_RE.match(clause_masked):
                continue
            items = _with_year(text, numeric_targets(text, cs, ce, where, in_measure=False, ctx={}), start, ss, cs)
            if items:
                sentence_items += _qualitative(text, pending, where)
                pending = []
                for item in items:
                    completed = _complete(prev_indicator, item["indicator"])
                    if completed != item["indicator"]:
                        item["flags"].append("indicator_completed")
                        item["indicator"] = completed
                    prev_indicator = item["indicator"]
                sentence_items += items
            else:
                subject = _subject(text[cs:ce])
                if subject:
                    prev_indicator = subject
                pending.append((cs, ce))
        sentence_items += _qualitative(text, pending, where)
        if numeric_only and all(t["comparator"] == "qualitative" for t in sentence_items):
            continue
        out += sentence_items
    return out


_STANDARD_RE = re.compile(r"(?P<ind>.+?)(?:达到|符合|优于)(?P<rest>.*(?:标准|类).*)$")


def measure_targets(text: str, start: int, end: int, where: str) -> list[dict]:
    """Counted sub-targets (and "达到…标准" clauses) inside a measure."""
    out: list[dict] = []
    masked = mask(text)
    for ss, se in sentences(text, start, end):
        ctx: dict[str, Any] = {}
        for cs, ce in _clauses(text, ss, se):
            clause = text[cs:ce]
            if clause.startswith(("力争", "争取")):
                ctx["striving"] = True
            items = _with_year(text, numeric_targets(text, cs, ce, where, in_measure=True, ctx=ctx), start, ss, cs)
            if items:
                out += items
                continue
            std = _STANDARD_RE.match(clause)
            if std and not re.search(r"\d", masked[cs:ce]) and re.search(r"(率|值|质|量|度|比例)$", std.group("ind")):
                item = _make(text, cs, ce, where, indicator=_indicator(std.group("ind")), comparator="qualitative")
                item.update(value=None, unit=None)
                item["flags"].append("qualitative")
                out.append(item)
    return out
