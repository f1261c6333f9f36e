"""Task-division tables (任务分工表) → numbered items with labelled responsibility lines.

A table whose header names a task column (工作任务 / 重点任务 / 具体措施 / 工作内容 …) and at least one unit
column (牵头单位 / 责任单位 / 配合单位 / 协办单位 …) becomes, row by row::

    1.工作任务。
    牵头单位：…
    配合单位：…
    完成时限：…

which the text reader already understands.  Rows whose cells are all one merged cell are group headings
(``一、主要预期目标``) and are kept as a line.  A row with no number and no task of its own continues the row
above (a table broken over a page): its unit and deadline cells are appended.  Other tables come out as
tab-separated lines, as before.
"""

from __future__ import annotations

import re

_NUMBER_RE = re.compile(r"^(序号|编号|序|号)$")
_TASK_RE = re.compile(r"(任务|措施|工作|内容|事项|举措|目标|项目)")
_LEAD_RE = re.compile(r"(牵头|主责|主办|负责)")
_RESP_RE = re.compile(r"(责任单位|责任部门|实施单位|责任主体)")
_COOP_RE = re.compile(r"(配合|协办|参与|协同|协助|协作)")
_DEADLINE_RE = re.compile(r"(时限|时间|期限|进度|节点)")


def _columns(header: list[str]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        h = re.sub(r"\s+", "", h)
        if not h:
            continue
        if _NUMBER_RE.match(h) and "number" not in cols:
            cols["number"] = i
        elif _COOP_RE.search(h) and "coop" not in cols:
            cols["coop"] = i
        elif _LEAD_RE.search(h) and "lead" not in cols:
            cols["lead"] = i
        elif _RESP_RE.search(h) and "resp" not in cols:
            cols["resp"] = i
        elif _DEADLINE_RE.search(h) and "deadline" not in cols:
            cols["deadline"] = i
        elif _TASK_RE.search(h) and "task" not in cols:
            cols["task"] = i
    if "task" not in cols or not ({"lead", "resp", "coop"} & cols.keys()):
        return None
    return cols


def _label(header: str, default: str) -> str:
    h = re.sub(r"\s+", "", header)
    return h if re.search(r"(单位|部门)$", h) else default


def _number(s: str) -> str:
    s = s.strip()
    if re.fullmatch(r"\d{1,3}", s):
        return s + "."
    return s


def table_lines(rows: list[list[str]]) -> list[str]:
    """Lines for one table given as rows of cell texts (merged cells repeated, as Word reports them)."""
    if not rows:
        return []
    header_idx = next((i for i, r in enumerate(rows[:3]) if _columns(r)), None)
    if header_idx is None:
        return ["\t".join(c.strip() for c in r) for r in rows]
    header = rows[header_idx]
    cols = _columns(header)
    assert cols is not None
    lines = ["\t".join(c.strip() for c in r) for r in rows[:header_idx]]
    unit_cols = [k for k in ("lead", "resp", "coop", "deadline") if k in cols]
    records: list[dict[str, str]] = []

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    for row in rows[header_idx + 1 :]:
        texts = [c.strip() for c in row]
        if not any(texts):
            continue
        if len(set(texts)) == 1:  # one cell merged across the row: a group heading
            records.append({"heading": texts[0]})
            continue
        rec = {k: cell(row, k) for k in ("number", "task", *unit_cols)}
        prev = records[-1] if records and "heading" not in records[-1] else None
        if prev is not None and not rec["number"] and (not rec["task"] or rec["task"] == prev["task"]):
            for k in unit_cols:  # continuation row: a vertically merged cell repeats, new text is appended
                if rec[k] and rec[k] != prev[k]:
                    prev[k] = (prev[k].rstrip("，,、；; ") + "，" + rec[k]) if prev[k] else rec[k]
            continue
        records.append(rec)
    for rec in records:
        if "heading" in rec:
            lines.append(rec["heading"])
            continue
        task = rec["task"].rstrip()
        if task and task[-1] not in "。；！？":
            task += "。"
        lines.append(_number(rec["number"]) + task)
        lead_label = _label(header[cols["lead"]], "牵头单位") if "lead" in cols else None
        if "lead" in cols and rec["lead"]:
            lines.append(f"{lead_label}：{rec['lead']}")
        if "resp" in cols and rec["resp"]:
            # with a 牵头 column, 责任单位 names the units sharing the work
            label = _label(header[cols["resp"]], "责任单位")
            lines.append(f"{label}：{rec['resp']}")
        if "coop" in cols and rec["coop"]:
            lines.append(f"{_label(header[cols['coop']], '配合单位')}：{rec['coop']}")
        if "deadline" in cols and rec["deadline"]:
            lines.append(f"完成时限：{rec['deadline']}")
    return lines
