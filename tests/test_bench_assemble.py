"""bench/assemble.py: a partial bench run keeps the other sections, with their own date and commit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _assemble_module():
    spec = importlib.util.spec_from_file_location("bench_assemble", ROOT / "bench" / "assemble.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PREVIOUS = """# Benchmarks

- Assembled: 2026-01-01 00:00 UTC

<!-- bench:alpha -->
_Measured 2026-01-01 00:00 UTC at commit aaaa; load average before the run: 0.10 0.20 0.30._

## Alpha

old alpha: 1.00 s

<!-- bench:beta -->
_Measured 2026-01-01 00:10 UTC at commit aaaa; load average before the run: 0.10 0.20 0.30._

## Beta

old beta: 2.00 s
"""


def test_partial_run_replaces_only_the_rerun_section(tmp_path):
    assemble = _assemble_module()
    (tmp_path / "beta.md").write_text("## Beta\n\nnew beta: 3.00 s\n", encoding="utf-8")
    (tmp_path / "beta.load").write_text("4.50 3.00 2.00\n", encoding="utf-8")
    text = assemble.assemble(["bench/bench_alpha.py", "bench/bench_beta.py"], set(), tmp_path, previous=PREVIOUS)
    assert "old alpha: 1.00 s" in text
    assert "_Measured 2026-01-01 00:00 UTC at commit aaaa" in text  # alpha keeps its own run line
    assert "old beta" not in text
    assert "new beta: 3.00 s" in text
    assert "load average before the run: 4.50 3.00 2.00" in text
    # the markers survive, so the next partial run can split the document again
    assert list(assemble.kept_sections(text)) == ["alpha", "beta"]


def test_a_failed_bench_is_never_replaced_by_old_figures(tmp_path):
    assemble = _assemble_module()
    text = assemble.assemble(["bench/bench_alpha.py"], {"alpha"}, tmp_path, previous=PREVIOUS)
    assert "old alpha" not in text
    assert "_Not measured in this run: `bench/bench_alpha.py` failed" in text


def test_a_full_run_without_previous_notes_missing_sections(tmp_path):
    assemble = _assemble_module()
    text = assemble.assemble(["bench/bench_gamma.py"], set(), tmp_path)
    assert "<!-- bench:gamma -->" in text
    assert "_Not measured in this run" in text
