"""Responsibility annotations: who leads and who cooperates on a measure.

Forms handled::

    （责任单位：A。配合单位：B、C。）      （牵头单位：A；配合单位：B）      （A、B负责）
    （A牵头，B配合）                        a line of its own: "A、B负责落实。" / "责任单位：A"
    "列第一位者为牵头单位，下同" — the first unit of a responsibility list leads, the rest cooperate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qualityplan.plandoc.textutil import CLOSE, split_units
from qualityplan.plandoc.units import UnitRegister

LEAD_LABELS = "牵头责任单位|责任单位|牵头单位|主责单位|负责单位|责任部门|牵头部门|主办单位|责任主体|实施单位"
COOP_LABELS = "协同责任单位|配合责任单位|配合单位|配合部门|协办单位|参与单位|协同单位|协助单位|协作单位|参加单位"
# persons, not units: skipped ("责任领导：杜新国；牵头单位：区发改局")
LEADER_LABELS = "牵头负责领导|牵头领导|责任领导|分管领导|联系领导|责任人"
LABEL_RE = re.compile(rf"({LEADER_LABELS}|{LEAD_LABELS}|{COOP_LABELS})\s*[：:]")
_LEADER_SET = set(LEADER_LABELS.split("|"))
# with an explicit 牵头 label, 责任单位 etc. name the units sharing the work: cooperating
_EXPLICIT_LEAD = {"牵头单位", "牵头部门", "牵头责任单位"}
_COOP_SET = set(COOP_LABELS.split("|"))
FIRST_LEADS_RE = re.compile(
    r"[，；。]?(?:其中[，]?)?(?:列|排|排在|列在)?(?:第一位|首位|第一个|第一)(?:的|者)?(?:责任|负责)?(?:单位|部门)?"
    r"为牵头(?:单位|部门)?(?:[，；]?下同)?"
)
_DUTY_SUFFIX_RE = re.compile(
    r"(分别负责落实|按职责分工负责|按职责分工落实|按职责负责|共同负责|负责落实|牵头落实|分别负责|牵头负责|负责|牵头)[。]?$"
)
_LEAD_COOP_RE = re.compile(
    r"^由?(?P<lead>.+?)(?:牵头负责|牵头|负责|承办|主办)[，、；]?(?P<coop>.+?)(?:配合|参与|协助|协同|协办)(?:落实|实施)?$"
)
# a sentence of prose after the unit list: "…按职责分工负责。具体任务均涉及相关市（州）人民政府，不再做分工，下同。"
# the second half of a collective name: 各区、县级市 / 各县、市、区 / 各乡镇、街道
_BARE_CATEGORY_RE = re.compile(r"(?:县级市|县区|市县|县|市|区|乡镇|乡|镇|街道|开发区|园区|管委会)(?:人民政府|政府)?")
_EMPTY_BRACKETS_RE = re.compile(r"（\s*）|\(\s*\)")


@dataclass
class Annotation:
    start: int
    end: int
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    label: str = ""
    open_list: bool = False
    first_leads: bool = False  # the "first listed leads" rule split this list


def _unit_list(text: str) -> tuple[list[str], bool]:
    """Split a written unit list; returns (units as written, open-ended?)."""
    text = _EMPTY_BRACKETS_RE.sub("", FIRST_LEADS_RE.sub("", text)).strip(" 。；，、")
    if "。" in text:  # the list ends at the first full stop; what follows is prose
        text = text.split("。", 1)[0]
    duty = _DUTY_SUFFIX_RE.search(text)
    if duty:
        text = text[: duty.start()]
    units: list[str] = []
    open_list = False
    for s, e in split_units(text, 0, len(text), "、，；;,"):
        piece = text[s:e].strip(" 。")
        if (
            piece.endswith("等") and len(piece) > 1
        ):  # "省商务厅等，各市人民政府" — open list, 等 is not part of the name
            piece = piece[:-1]
            open_list = True
        if piece and units and units[-1].startswith("各") and _BARE_CATEGORY_RE.fullmatch(piece):
            units[-1] += "、" + piece  # 各区、县级市 is one collective name, kept as written
        elif piece:
            units.append(piece)
    return units, open_list


_ROLE_END_RE = re.compile(
    r"(?P<lead>牵头负责落实|牵头负责|负责牵头|牵头落实|牵头|主责|承办|主办)$"
    r"|(?P<coop>配合落实|配合|参与|协助|协同|协办)$"
    r"|(?P<resp>按职责分工负责落实|按职责分工负责|按职责分工落实|按职责负责|分别负责落实|分别负责|共同负责|负责落实|负责实施|负责|落实)$"
)


def _segments(content: str, register: UnitRegister) -> Annotation | None:
    """Unit lists each ending in a role: "A牵头，B、C等按职责分工负责", "A、B按职责分工负责，地方各级人民政府负责落实",
    "A牵头；配合单位：B".  With a 牵头 group, the other groups cooperate; without one, the first group leads and
    later groups cooperate."""
    groups: list[tuple[str, list[str]]] = []
    open_any = False
    for seg in re.split(r"[，；;]", content):
        seg = seg.strip(" 。")
        if not seg:
            continue
        label = LABEL_RE.match(seg)
        if label:
            if label.group(1) in _LEADER_SET:
                continue
            units, open_list = _unit_list(seg[label.end() :])
            role = "coop" if label.group(1) in _COOP_SET else ("lead" if "牵头" in label.group(1) else "resp")
        else:
            m = _ROLE_END_RE.search(seg)
            if not m:
                return None
            role = m.lastgroup or "resp"
            units, open_list = _unit_list(seg[: m.start()].removeprefix("由"))
        if not units or not _all_units(units, register):
            return None
        open_any |= open_list
        groups.append((role, units))
    if not groups:
        return None
    ann = Annotation(0, 0, open_list=open_any)
    has_lead = any(role == "lead" for role, _ in groups)
    for i, (role, units) in enumerate(groups):
        if role == "lead" or (not has_lead and role == "resp" and i == 0):
            ann.lead += units
        else:
            ann.cooperating += units
    ann.label = "牵头" if has_lead else "负责"
    return ann if ann.lead or ann.cooperating else None


def _all_units(units: list[str], register: UnitRegister) -> bool:
    return bool(units) and all(register.looks_like_unit(u) for u in units)


def parse_annotation(content: str, register: UnitRegister, *, bare: bool = False) -> Annotation | None:
    """Parse the inside of an annotation (without brackets); None when it is not one."""
    content = content.strip()
    labels = list(LABEL_RE.finditer(content))
    ann = Annotation(0, 0)
    if labels and labels[0].start() == 0:
        explicit_lead = any(m.group(1) in _EXPLICIT_LEAD for m in labels)
        for i, m in enumerate(labels):
            part_end = labels[i + 1].start() if i + 1 < len(labels) else len(content)
            if m.group(1) in _LEADER_SET:
                continue
            units, open_list = _unit_list(content[m.end() : part_end])
            ann.open_list |= open_list
            if m.group(1) in _COOP_SET or (explicit_lead and m.group(1) not in _EXPLICIT_LEAD):
                ann.cooperating += units
            else:
                ann.lead += units
                ann.label = ann.label or m.group(1)
        ann.first_leads = bool(FIRST_LEADS_RE.search(content))
        return ann if ann.lead or ann.cooperating else None
    stripped = FIRST_LEADS_RE.sub("", content).strip(" 。；，")
    if re.search(r"[，；;]", stripped):
        seg = _segments(stripped, register)
        if seg:
            seg.first_leads = bool(FIRST_LEADS_RE.search(content))
            return seg
    duty = _DUTY_SUFFIX_RE.search(stripped)
    lead_coop = _LEAD_COOP_RE.match(stripped)
    if lead_coop:
        lead, open1 = _unit_list(lead_coop.group("lead"))
        coop, open2 = _unit_list(lead_coop.group("coop"))
        if _all_units(lead + coop, register):
            return Annotation(0, 0, lead, coop, "牵头", open1 or open2)
    if duty:
        units, open_list = _unit_list(stripped[: duty.start()])
        if _all_units(units, register):
            ann = Annotation(0, 0, units, [], duty.group(1), open_list)
            ann.first_leads = bool(FIRST_LEADS_RE.search(content))
            return ann
    if bare:  # （市住房城乡建设委、市交通运输局、市水利局） closing a paragraph
        units, open_list = _unit_list(stripped)
        if _all_units(units, register) and all(len(u) >= 3 for u in units):
            return Annotation(0, 0, units, [], "", open_list)
    return None


_BRACKETS = {"（": CLOSE[0], "〔": "〕", "【": "】"}


def _paren_groups(text: str, start: int, end: int):
    """Yield (open, close) offsets of top-level （…）, 〔…〕 and 【…】 groups in text[start:end]."""
    i = start
    while i < end:
        if text[i] in _BRACKETS:
            opening, closing = text[i], _BRACKETS[text[i]]
            depth, j = 1, i + 1
            while j < end and depth:
                if text[j] == opening:
                    depth += 1
                elif text[j] == closing:
                    depth -= 1
                j += 1
            if depth == 0:
                yield i, j
            i = j
        else:
            i += 1


_OWN_LINE_LABEL_RE = re.compile(rf"^({LEADER_LABELS}|{LEAD_LABELS}|{COOP_LABELS})\s*[：:]")


def find_annotations(text: str, start: int, end: int, register: UnitRegister) -> list[Annotation]:
    """All annotations in ``text[start:end]``, in order, with offsets into ``text``."""
    found: list[Annotation] = []
    for o, c in _paren_groups(text, start, end):
        at_end = text[c : c + 1] in ("", "\n", "。") or c >= end
        ann = parse_annotation(text[o + 1 : c - 1], register, bare=at_end)
        if ann:
            ann.start, ann.end = o, c
            found.append(ann)
    # annotations on lines of their own (not the first line of the item)
    line_start = text.find("\n", start, end)
    while line_start != -1:
        ls = line_start + 1
        le = text.find("\n", ls, end)
        le = end if le == -1 else le
        line = text[ls:le]
        if line and not line.startswith("（") and not any(a.start <= ls < a.end for a in found):
            ann = None
            if (
                _OWN_LINE_LABEL_RE.match(line)
                or (len(line) <= 80 and _DUTY_SUFFIX_RE.search(line.rstrip("。")))
                or (len(line) <= 120 and _LEAD_COOP_RE.match(line.rstrip("。")))
            ):
                ann = parse_annotation(line.rstrip("。"), register)
            if ann:
                ann.start, ann.end = ls, le
                found.append(ann)
        line_start = -1 if le >= end else le
    found.sort(key=lambda a: a.start)
    # consecutive own-line label annotations ("责任单位：A" then "配合单位：B", or "牵头单位：A" then
    # "责任单位：B") form one annotation
    merged: list[Annotation] = []
    for ann in found:
        prev = merged[-1] if merged else None
        adjacent = prev is not None and text[prev.end : ann.start].strip(" \n。；") == ""
        if adjacent and prev.label in _EXPLICIT_LEAD and ann.lead and ann.label not in _EXPLICIT_LEAD:
            ann.cooperating, ann.lead = ann.lead + ann.cooperating, []
        if adjacent and not ann.lead and ann.cooperating and not prev.cooperating:
            prev.cooperating = ann.cooperating
            prev.end = ann.end
            prev.open_list |= ann.open_list
            continue
        merged.append(ann)
    return merged


def first_leads_position(text: str) -> int | None:
    """Offset of a "列第一位者为牵头单位" rule, or None."""
    m = FIRST_LEADS_RE.search(text)
    return m.start() if m else None


def apply_first_leads(ann: Annotation) -> None:
    """Under the "first listed leads" rule, a plain responsibility list splits into lead + cooperating."""
    if len(ann.lead) > 1 and ann.label not in ("牵头单位", "牵头部门", "牵头"):
        ann.cooperating = ann.lead[1:] + ann.cooperating
        ann.lead = ann.lead[:1]
        ann.first_leads = True
