"""The development corpus (tests/plandoc_corpus/): the reader against readings checked by hand.

The readings are what a careful reader of each published text writes down (SOURCES.md gives the sources and
the conventions); the thresholds are issue 20's acceptance figures.
"""

import time
from pathlib import Path

import pytest

from qualityplan.plandoc import default_register
from qualityplan.plandoc.score import Counts, corpus_documents, score_corpus, score_plan

CORPUS = Path(__file__).resolve().parents[3] / "tests" / "plandoc_corpus"


@pytest.fixture(scope="module")
def scored():
    register = default_register()
    score_corpus(CORPUS, register=register)  # warm: imports, compiled patterns
    t0 = time.perf_counter()
    result = score_corpus(CORPUS, register=register)
    return result, time.perf_counter() - t0


def test_corpus_is_at_least_twenty_documents_with_readings_and_docx_tables():
    docs = corpus_documents(CORPUS)
    assert len(docs) >= 20
    assert sum(1 for d in docs if d.suffix == ".docx") >= 3
    for d in docs:
        assert d.with_name(d.stem + ".expected.json").exists(), d.name
        assert d.name in (CORPUS / "SOURCES.md").read_text(encoding="utf-8"), d.name


def test_overall_unit_and_target_f1(scored):
    result, _ = scored
    assert result.total("units").f1 >= 0.95
    assert result.total("targets").f1 >= 0.90


def test_no_document_below_080(scored):
    result, _ = scored
    for d in result.docs:
        assert d.units.f1 is None or d.units.f1 >= 0.80, (d.name, d.misses)
        assert d.targets.f1 is None or d.targets.f1 >= 0.80, (d.name, d.misses)


def test_measures_and_deadlines_found(scored):
    result, _ = scored
    assert result.total("measures").recall >= 0.95
    assert result.total("deadlines").recall >= 0.90


def test_whole_corpus_parses_in_under_two_seconds(scored):
    result, elapsed = scored
    assert result.seconds < 2.0 and elapsed < 4.0


def test_scorer_counts_by_hand():
    reading = {
        "measures": [{"number": "一.1", "lead_units": ["区发改局"], "cooperating_units": ["各街道", "税务局"]}],
        "targets": [
            {"comparator": ">=", "value": 98, "unit": "%"},
            {"comparator": "qualitative", "value": None, "unit": None},
        ],
        "deadlines": [{"date": None, "kind": "ongoing"}, {"date": "2023-06-30"}],
    }
    plan = {
        "measures": [{"number": "一.1", "lead_units": ["区发改局"], "cooperating_units": ["各街道"]}],
        "targets": [{"comparator": ">=", "value": 98, "unit": "%"}, {"comparator": "=", "value": 5, "unit": "个"}],
        "deadlines": [{"date": "2023-06-30", "kind": "date"}],
    }
    s = score_plan("x", plan, reading)
    # units: 2 found, 3 true, 2 matched → P 1, R 2/3, F1 0.8
    assert (s.units.tp, s.units.found, s.units.true) == (2, 2, 3) and s.units.f1 == pytest.approx(0.8)
    # targets: qualitative not scored; 1 of 2 found right, 1 true → P 0.5, R 1, F1 2/3
    assert s.targets.f1 == pytest.approx(2 / 3)
    assert s.measures.recall == 1.0 and s.deadlines.recall == 0.5
    assert Counts().f1 is None
