"""Benchmark: parse time of the seed plan (against a read + regex line split baseline measured in the same run),
and the reader's accuracy on the development corpus (tests/plandoc_corpus/: unit F1, target F1, measure and
deadline recall per document and overall, and the time to parse the whole corpus).

.venv/bin/python bench/bench_plandoc.py --out var/bench/plandoc.md [--runs 15]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qualityplan.plandoc import default_register, parse_file  # noqa: E402
from qualityplan.plandoc.score import report, score_corpus  # noqa: E402

SEED = ROOT / "qualityplan" / "plandoc" / "tests" / "data" / "hainan-2017-action-plan.txt"
GOAL_S = 0.5
CORPUS = ROOT / "tests" / "plandoc_corpus"
CORPUS_GOAL_S = 2.0


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="var/bench/plandoc.md")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args(argv)
    register = default_register()

    def baseline() -> None:
        text = SEED.read_text(encoding="utf-8")
        re.split(r"\r?\n", text)

    def parse() -> None:
        parse_file(SEED, register=register)

    parse()  # warm-up: imports, regex compilation
    t_base = _median(baseline, args.runs)
    t_parse = _median(parse, args.runs)
    t_register = _median(default_register, args.runs)
    plan = parse_file(SEED, register=register)
    lines = [
        "### plandoc: seed parse time",
        "",
        f"Seed: `{SEED.relative_to(ROOT)}` ({len(SEED.read_text(encoding='utf-8'))} characters); "
        f"median of {args.runs} runs; Python {sys.version.split()[0]}.",
        "",
        "| step | median | ratio to baseline |",
        "|---|---|---|",
        f"| baseline: read file + regex split into lines | {t_base * 1000:.3f} ms | 1 |",
        f"| parse_file (read, normalise, structure, units, targets, deadlines) | {t_parse * 1000:.2f} ms "
        f"| {t_parse / t_base:.0f}× |",
        f"| load the units register (YAML, once per process) | {t_register * 1000:.2f} ms | {t_register / t_base:.0f}× |",
        "",
        f"Result: {len(plan['targets'])} targets, {len(plan['measures'])} measures, {len(plan['deadlines'])} deadlines. "
        f"Goal < {GOAL_S} s: {'met' if t_parse < GOAL_S else 'NOT met'} ({t_parse:.3f} s).",
        "",
    ]
    corpus = score_corpus(CORPUS, register=register)
    overall_u, overall_t = corpus.total("units").f1, corpus.total("targets").f1
    worst_u = min((d.units.f1 for d in corpus.docs if d.units.f1 is not None), default=None)
    worst_t = min((d.targets.f1 for d in corpus.docs if d.targets.f1 is not None), default=None)
    lines += [
        "### plandoc: accuracy on the development corpus",
        "",
        f"`{CORPUS.relative_to(ROOT)}/` ({len(corpus.docs)} documents, sources in SOURCES.md), each against its hand "
        "reading; the time is one pass over the corpus in this process, the first .docx paying for the python-docx import.",
        "",
        report(corpus),
        f"Goals: unit F1 ≥ 0.95 overall ({overall_u:.2f}), target F1 ≥ 0.90 overall ({overall_t:.2f}), no document "
        f"below 0.80 (lowest: units {worst_u:.2f}, targets {worst_t:.2f}), whole corpus < {CORPUS_GOAL_S} s "
        f"({corpus.seconds:.3f} s): "
        + (
            "met."
            if overall_u >= 0.95
            and overall_t >= 0.90
            and worst_u >= 0.80
            and worst_t >= 0.80
            and corpus.seconds < CORPUS_GOAL_S
            else "NOT met."
        ),
        "",
    ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
