"""Plan text → plan interchange format (``qualityplan.plan/1``)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from qualityplan.plandoc.annotations import Annotation, apply_first_leads, find_annotations, first_leads_position
from qualityplan.plandoc.deadlines import document_date as _date_line
from qualityplan.plandoc.deadlines import find_deadlines
from qualityplan.plandoc.errors import PlanDocError
from qualityplan.plandoc.normalize import normalize_text, read_document
from qualityplan.plandoc.structure import Node, build_tree, sentence_end
from qualityplan.plandoc.targets import measure_targets, section_targets
from qualityplan.plandoc.textutil import cn_year, strip_span
from qualityplan.plandoc.units import UnitRegister, default_register

FORMAT = "qualityplan.plan/1"

_TITLE_KEYWORDS_RE = re.compile(
    r"(行动计划|工作计划|计划|实施方案|工作方案|分工方案|方案|工作要点|要点|实施意见|意见|纲要|规划|若干措施|政策举措|实施细则)$"
)
_ISSUER_RE = re.compile(r"(人民政府|政府|办公厅|办公室|委员会|领导小组|局|厅|委)$")
_ATTACHMENT_RE = re.compile(r"^附件\s*[0-9一二三]?[：:]?$")
_TARGET_TITLE_RE = re.compile(r"目标|指标")
_GENERAL_TITLE_RE = re.compile(r"总体要求|总体思路|总体目标")  # targets only in sentences with a number
_NON_ACTION_RE = re.compile(
    r"指导思想|总体要求|基本原则|目标|工作要求|保障|组织实施|组织领导|有关要求|实施步骤|进度安排|时间安排|总体思路|总则|附则"
)
_GENERAL_PROVISIONS_RE = re.compile(r"^(总则|附则)$")  # articles of a regulation's 总则 are not measures
_TARGET_LEAD_RE = re.compile(r"(?:主要|预期|发展|工作|总体)?目标(?:任务)?(?:是|为)?[：:]")
_DATE_IN_TITLE_RE = re.compile(r"(\d{4}|[〇○零一二三四五六七八九]{4})年")


def _lines(text: str, start: int, end: int):
    pos = start
    for line in text[start:end].split("\n"):
        yield pos, line
        pos += len(line) + 1


def _body_start(text: str) -> int:
    """Offset of the first numbered line of the plan (after an 附件 line when the notice has one)."""
    start = 0
    for pos, line in _lines(text, 0, len(text)):
        if _ATTACHMENT_RE.match(line):
            start = pos + len(line)
    for pos, line in _lines(text, start, len(text)):
        if re.match(
            r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.、](?!\d)|（\d{1,2}）"
            r"|第[一二三四五六七八九十百零〇\d]+(?:部分|章|节|条))",
            line,
        ):
            return pos
    return len(text)


def _header(text: str, body: int) -> dict[str, Any]:
    lines = [(pos, line.strip()) for pos, line in _lines(text, 0, body) if line.strip()]
    date, date_idx, issuer, title = None, None, None, None
    for i, (_pos, line) in enumerate(lines):
        d = _date_line(line)
        if d:
            date, date_idx = d, i
    if date is None:  # signature at the end of the document
        tail = [(pos, line.strip()) for pos, line in _lines(text, body, len(text)) if line.strip()][-4:]
        for i, (_pos, line) in enumerate(tail):
            d = _date_line(line)
            if d:
                date = d
                if i > 0 and _ISSUER_RE.search(tail[i - 1][1]) and len(tail[i - 1][1]) <= 30:
                    issuer = tail[i - 1][1]
    if date_idx is not None and date_idx > 0:
        cand = lines[date_idx - 1][1]
        if _ISSUER_RE.search(cand) and len(cand) <= 30 and not re.search(r"[，。：]", cand):
            issuer = cand
    if issuer is None and lines:  # "X关于印发…的通知"
        m = re.match(r"^(.{2,30}?)关于", lines[0][1])
        if m and _ISSUER_RE.search(m.group(1)):
            issuer = m.group(1)
    if issuer is None:
        for _pos, line in lines:
            if _ISSUER_RE.search(line) and len(line) <= 30 and not re.search(r"[，。：、]", line):
                issuer = line
                break
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i][1]
        if len(line) <= 60 and not re.search(r"[，。：]", line) and _TITLE_KEYWORDS_RE.search(line):
            title = line
            if i > 0 and (date_idx is None or i - 1 > date_idx):  # a title broken over two lines
                prev = lines[i - 1][1]
                if (
                    len(prev) + len(line) <= 60
                    and not re.search(r"[，。：；、（）《》]", prev)
                    and not _TITLE_KEYWORDS_RE.search(prev)
                    and not _ISSUER_RE.search(prev)
                    and not _ATTACHMENT_RE.match(prev)
                    and not _date_line(prev)
                ):
                    title = prev + line
            break
    if title is None:
        m = re.search(r"《([^《》]+)》", text[:body])
        if m:
            title = m.group(1)
    if title is None:
        for _pos, line in lines:
            if len(line) <= 60 and not re.search(r"[，。]", line) and line != issuer:
                title = line
                break
    return {"title": title, "issuer": issuer, "date": date}


def _level(issuer: str | None, title: str | None, register: UnitRegister) -> str | None:
    for name in (issuer, title):
        if not name:
            continue
        m = re.search(r"(省|自治区|市|州|盟|县|区)", name)
        if m:
            return {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city"}.get(
                m.group(1), "county"
            )
    return None


def _plan_year(title: str | None, date: str | None) -> int | None:
    if title:
        m = _DATE_IN_TITLE_RE.search(title)
        if m:
            return cn_year(m.group(1))
    return int(date[:4]) if date else None


def _resolve(units: list[str], register: UnitRegister, level: str | None) -> list[dict[str, Any]]:
    return [register.resolve(u, level=level).as_dict() for u in units]


def _deepest(nodes: list[Node], pos: int) -> Node | None:
    for node in nodes:
        if node.start <= pos < max(node.end, node.start + 1):
            return _deepest(node.children, pos) or node
    return None


def parse_text(
    text: str, *, register: UnitRegister | None = None, source_name: str | None = None, normalized: bool = False
) -> dict[str, Any]:
    """Parse a plan document's text into the plan interchange format.

    ``register`` resolves unit names (default: the Hainan register). Spans are offsets into
    ``result["source"]["text"]``, the normalised text (pass ``normalized=True`` when ``text`` already is).
    Raises :class:`PlanDocError` for empty input; a text with no numbered items gives an empty plan and a warning.
    """
    if register is None:
        register = default_register()
    norm = text if normalized else normalize_text(text)
    if not norm.strip():
        raise PlanDocError("empty document")
    warnings: list[str] = []
    body = _body_start(norm)
    head = _header(norm, body)
    year = _plan_year(head["title"], head["date"])
    level = _level(head["issuer"], head["title"], register)
    roots = build_tree(norm, body)
    result: dict[str, Any] = {
        "format": FORMAT,
        "year": year,
        "title": head["title"],
        "issuer": head["issuer"],
        "date": head["date"],
        "sections": [],
        "targets": [],
        "measures": [],
        "deadlines": [],
        "warnings": warnings,
        "source": {
            "name": source_name,
            "sha256": hashlib.sha256(norm.encode("utf-8")).hexdigest(),
            "issuer_level": level,
            "text": norm,
        },
    }
    if not roots:
        warnings.append("no numbered items (一、 （一） 1. （1）) found: empty plan")
        # a plain paragraph that states the targets: "主要预期目标为：地区生产总值增长7%以上…"
        for m in _TARGET_LEAD_RE.finditer(norm):
            result["targets"] += section_targets(
                norm, m.end(), sentence_end(norm, m.end(), len(norm)), "", numeric_only=True
            )
        return result
    for key, label in (("title", "title"), ("issuer", "issuer"), ("date", "date")):
        if not head[key]:
            warnings.append(f"no {label} found in the document header")

    nodes = [n for r in roots for n in r.walk()]
    target_nodes = [
        n
        for n in nodes
        if (_TARGET_TITLE_RE.search(n.title) or _GENERAL_TITLE_RE.search(n.title)) and len(n.title) <= 20
    ]
    target_ids = {id(d) for t in target_nodes for d in t.walk()}
    rule_pos = first_leads_position(norm)
    own_anns: dict[int, list[Annotation]] = {}
    heading_anns: set[int] = set()  # "一、强化科技创新（区科技局牵头）": the units hold for every item below
    for node in nodes:
        anns = find_annotations(norm, node.text_start, node.own_end, register)
        if id(node) in target_ids:  # a bare bracket in a targets section is an explanation, not units
            anns = [a for a in anns if a.label or a.cooperating]
        for ann in anns:
            if rule_pos is not None and ann.end >= rule_pos and not ann.cooperating:
                apply_first_leads(ann)
        if anns:
            own_anns[id(node)] = anns
            title_end = norm.find("\n", node.text_start, node.own_end)
            title_end = node.own_end if title_end == -1 else title_end
            if node.children and len(anns) == 1 and anns[0].end <= title_end and anns[0].start < title_end:
                heading_anns.add(id(node))

    def annotated_below(node: Node) -> bool:
        return any(id(d) in own_anns for d in node.walk() if d is not node)

    annotated_roots = [r for r in roots if any(id(n) in own_anns for n in r.walk())]
    if annotated_roots:
        action_roots = annotated_roots
    else:
        action_roots = [r for r in roots if not _NON_ACTION_RE.search(r.title) and id(r) not in target_ids]
        if len(roots) == 1 or (not action_roots and not target_nodes):
            action_roots = [r for r in roots if id(r) not in target_ids and not _GENERAL_PROVISIONS_RE.search(r.title)]
        warnings.append("no responsibility annotations found: measures have no units (responsibility only in prose?)")
    action_ids = {id(n) for r in action_roots for n in r.walk()}

    measures: list[dict[str, Any]] = []
    measure_nodes: set[int] = set()
    for node in nodes:
        anns = own_anns.get(id(node), [])
        if id(node) in heading_anns:
            continue  # its items below are the measures, with these units
        if anns and not annotated_below(node):
            measures += _node_measures(norm, node, anns, register, level)
            measure_nodes.add(id(node))
        elif not anns and not node.children and id(node) in action_ids and id(node) not in target_ids:
            inherited = next((own_anns[id(a)] for a in node.ancestors() if id(a) in own_anns), None)
            item = _measure(
                norm, node, node.number, node.start, node.end, inherited[-1] if inherited else None, register, level
            )
            item["flags"].append("units_inherited" if inherited else "no_units")
            measures.append(item)
            measure_nodes.add(id(node))
    result["measures"] = measures
    result["sections"] = [
        {"number": n.number, "title": n.title, "span": [n.start, n.own_end]}
        for n in nodes
        if id(n) not in measure_nodes
    ]

    targets: list[dict[str, Any]] = []
    for node in nodes:
        if id(node) in target_ids and id(node) not in measure_nodes:
            start = node.body_start if node.body_start < node.own_end else node.text_start
            if node.body_start >= node.own_end and node.children:
                continue  # a heading: its targets are in the items below
            numeric_only = bool(_GENERAL_TITLE_RE.search(node.title)) and not _TARGET_TITLE_RE.search(node.title)
            targets += section_targets(norm, start, node.own_end, node.number, numeric_only=numeric_only)
    for node in nodes:
        if id(node) in heading_anns and id(node) not in target_ids:  # "一、强化科技创新（区科技局牵头）" + paragraph
            ann = own_anns[id(node)][0]
            targets += measure_targets(norm, ann.end, node.own_end, node.number)
    for m in measures:
        s, e = m["_text_span"]
        found = [t for a, b in m["_text_pieces"] if a < b for t in measure_targets(norm, a, b, m["number"])]
        if not found and any(t.start <= m["span"][0] < t.end for t in target_nodes):
            found = section_targets(norm, s, e, m["number"])  # an annotated item of a targets section
        targets += found
    result["targets"] = targets

    # deadlines set in the covering notice ("请于3月16日前将…报送…") and in the plan body
    notice = [d for d in find_deadlines(norm, 0, body, year) if re.search(r"前$", d["original"])]
    deadlines = notice + find_deadlines(norm, body, len(norm), year)
    for d in deadlines:
        pos = d["span"][0]
        owner = next((m for m in measures if m["span"][0] <= pos < m["span"][1]), None)
        node = _deepest(roots, pos)
        d["where"] = owner["number"] if owner else (node.number if node else "")
        lo = body if pos >= body else 0
        s = max(max(norm.rfind(c, lo, pos) for c in "。；\n") + 1, lo)
        if node and node.start <= s < node.text_start:
            s = node.text_start
        e = sentence_end(norm, pos, len(norm))
        s, e = strip_span(norm, s, e)
        d["what"] = owner["title"] if owner and d.get("kind") == "ongoing" else norm[s:e]
        d["span"] = [s, e] if s <= d["span"][0] else d["span"]
        d["original_span"] = [pos, pos + len(d["original"])]
    _pair_respectively(norm, deadlines)
    result["deadlines"] = [
        {
            k: d[k]
            for k in (
                "date",
                "kind",
                "date_from",
                "what",
                "where",
                "original",
                "uncertain",
                "note",
                "span",
                "original_span",
            )
            if k in d
        }
        for d in deadlines
    ]
    for m in measures:
        m.pop("_text_span", None)
        m.pop("_text_pieces", None)
        for res in m["lead_resolved"] + m["cooperating_resolved"]:
            if res.get("unknown") and "unknown_unit" not in m["flags"]:
                m["flags"].append("unknown_unit")
    unknown = sorted(
        {r["written"] for m in measures for r in m["lead_resolved"] + m["cooperating_resolved"] if r.get("unknown")}
    )
    if unknown:
        warnings.append("unknown units (kept as written): " + "、".join(unknown))
    return result


def _pair_respectively(text: str, deadlines: list[dict[str, Any]]) -> None:
    """ "于D1和D2前分别将A、B报送X" → what_i = subject + A_i + 报送X."""
    by_sentence: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for d in deadlines:
        by_sentence.setdefault(tuple(d["span"]), []).append(d)
    for (s, e), items in by_sentence.items():
        sentence = text[s:e]
        m = re.search(r"分别(将|把)?(?P<objs>.+?)(?P<verb>报送|报|提交|上报|完成)(?P<rest>.*)$", sentence)
        if len(items) < 2 or not m:
            continue
        objs = re.split(r"、", m.group("objs"))
        if len(objs) != len(items):
            continue
        subject = re.split(r"要|应|须|于", sentence, maxsplit=1)[0]
        for item, obj in zip(items, objs, strict=True):
            item["what"] = f"{subject}将{obj}{m.group('verb')}{m.group('rest')}"


def _node_measures(text: str, node: Node, anns: list[Annotation], register: UnitRegister, level: str | None):
    """One measure per annotation; several annotations in one item split it into numbered parts."""
    if len(anns) == 1:
        return [_measure(text, node, node.number, node.start, node.end, anns[0], register, level)]
    out = []
    seg_start = node.start
    for i, ann in enumerate(anns):
        seg_end = ann.end if i + 1 < len(anns) else node.end
        number = f"{node.number}-{i + 1}"
        item = _measure(text, node, number, seg_start, seg_end, ann, register, level, part=i > 0)
        item["flags"].append("several_annotations")
        out.append(item)
        seg_start = ann.end
    return out


def _measure(
    text: str,
    node: Node,
    number: str,
    start: int,
    end: int,
    ann: Annotation | None,
    register: UnitRegister,
    level: str | None,
    part: bool = False,
) -> dict[str, Any]:
    if part:
        t_s, t_e = strip_span(text, start, end)
        title_end = sentence_end(text, t_s, t_e)
        title = text[t_s:title_end]
    else:
        title = node.title
        t_s = node.text_start
    # the measure text without the annotation
    own = ann is not None and start <= ann.start < end  # not a heading's annotation inherited from above
    pieces = [(t_s, ann.start), (ann.end, end)] if own else [(t_s, end)]
    body = "".join(text[a:b] for a, b in pieces).strip(" \n。") + "。"
    body = body.replace("。。", "。")
    lead = list(ann.lead) if ann else []
    coop = list(ann.cooperating) if ann else []
    item: dict[str, Any] = {
        "number": number,
        "title": title,
        "text": body,
        "lead_units": lead,
        "cooperating_units": coop,
        "lead_resolved": _resolve(lead, register, level),
        "cooperating_resolved": _resolve(coop, register, level),
        "span": [start, end],
        "flags": [],
        "_text_span": (t_s, ann.start if ann and ann.start > t_s else end),
        "_text_pieces": pieces,
    }
    if ann:
        item["label"] = ann.label
        item["annotation_span"] = [ann.start, ann.end]
        if ann.open_list:
            item["flags"].append("open_list")
            item["note"] = "unit list ends with 等 (open-ended)"
        if ann.first_leads:
            item["flags"].append("first_listed_leads")
        if not lead:
            item["flags"].append("no_lead_unit")
    if not title:
        item["flags"].append("no_title")
    return item


def parse_file(path: str | Path, *, register: UnitRegister | None = None) -> dict[str, Any]:
    """Read a .txt or .docx file and parse it (see :func:`parse_text`)."""
    raw = read_document(path)
    return parse_text(raw, register=register, source_name=Path(path).name)
