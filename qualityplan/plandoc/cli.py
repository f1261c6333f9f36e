"""``qualityplan plandoc parse FILE [--format json|yaml] [--explain] [--units REGISTER.yaml] [--no-source]``
and ``qualityplan plandoc score [FOLDER] [--misses]`` (the reader against the hand readings)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from qualityplan.plandoc.errors import PlanDocError
from qualityplan.plandoc.parser import parse_file
from qualityplan.plandoc.units import UnitRegister, default_register


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qualityplan plandoc", description="Read plan documents.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse a plan (.txt or .docx) into the plan interchange format")
    p.add_argument("file")
    p.add_argument("--format", choices=("json", "yaml"), default="json")
    p.add_argument("--explain", action="store_true", help="print each item with its source text")
    p.add_argument("--units", metavar="REGISTER.yaml", help="units register (default: the Hainan register)")
    p.add_argument("--no-source", action="store_true", help="leave the normalised source text out of the output")
    s = sub.add_parser("score", help="score the reader against the hand readings of a corpus folder")
    s.add_argument("folder", nargs="?", default="tests/plandoc_corpus")
    s.add_argument("--units", metavar="REGISTER.yaml", help="units register (default: the Hainan register)")
    s.add_argument("--misses", action="store_true", help="list every missed or extra unit and target")
    return parser


def _snippet(text: str, span: list[int], width: int = 90) -> str:
    s = text[span[0] : span[1]].replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def explain(plan: dict[str, Any]) -> str:
    """A human-readable listing: every extracted item followed by the source text it came from."""
    text = plan["source"]["text"]
    out = [f"{plan['title']} — {plan['issuer']} — {plan['date']} (year {plan['year']})", ""]
    out.append(f"TARGETS ({len(plan['targets'])})")
    for t in plan["targets"]:
        value = "" if t["value"] is None else f" {t['value']}{t['unit'] or ''}"
        mark = " ?" if t.get("uncertain") else ""
        out.append(f"  [{t['where']}] {t['indicator']} {t['comparator']}{value}{mark}")
        out.append(f"      <- {t['span'][0]}:{t['span'][1]} {_snippet(text, t['span'])}")
    out.append(f"MEASURES ({len(plan['measures'])})")
    for m in plan["measures"]:
        flags = f"  [{', '.join(m['flags'])}]" if m["flags"] else ""
        out.append(f"  {m['number']} {m['title']}{flags}")
        for key in ("lead_resolved", "cooperating_resolved"):
            names = [
                r["written"] + ("→" + (r.get("unit") or r.get("group")) if not r.get("unknown") else " (unknown)")
                for r in m[key]
            ]
            out.append(f"      {'lead' if key == 'lead_resolved' else 'with'}: {'、'.join(names) or '—'}")
        if "annotation_span" in m:
            out.append(f"      <- {_snippet(text, m['annotation_span'])}")
    out.append(f"DEADLINES ({len(plan['deadlines'])})")
    for d in plan["deadlines"]:
        mark = " ?" if d.get("uncertain") else ""
        out.append(f"  {d['date']} [{d['where']}] {d['original']}{mark}: {d['what']}")
    for w in plan["warnings"]:
        out.append(f"WARNING: {w}")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    args = _build_parser().parse_args(argv)
    try:
        register = UnitRegister.from_yaml(args.units) if args.units else default_register()
    except (OSError, ValueError) as exc:
        print(f"plandoc: cannot read units register {args.units}: {exc}", file=sys.stderr)
        return 2
    if args.command == "score":
        from qualityplan.plandoc.score import report, score_corpus

        try:
            sys.stdout.write(report(score_corpus(args.folder, register=register), misses=args.misses))
        except (OSError, ValueError, PlanDocError) as exc:
            print(f"plandoc: {args.folder}: {exc}", file=sys.stderr)
            return 2
        return 0
    try:
        plan = parse_file(args.file, register=register)
    except PlanDocError as exc:
        print(f"plandoc: {args.file}: {exc}", file=sys.stderr)
        return 2
    for warning in plan["warnings"]:
        print(f"plandoc: warning: {warning}", file=sys.stderr)
    if args.explain:
        sys.stdout.write(explain(plan))
        return 0
    if args.no_source:
        plan["source"] = {k: v for k, v in plan["source"].items() if k != "text"}
    if args.format == "yaml":
        import yaml

        sys.stdout.write(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=1000))
    else:
        sys.stdout.write(json.dumps(plan, ensure_ascii=False, indent=1) + "\n")
    return 0
