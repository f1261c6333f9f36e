"""Read pytest JUnit XML reports and print honest figures: each database pass on its own, then the unique tests.

Usage: python scripts/test_summary.py REPORT.xml... (missing reports are counted as a failed run).

The same test function runs in the SQLite pass and again in the PostgreSQL pass: adding the passes up would count it
twice. Each pass is printed on its own line (``sqlite: …``, ``postgresql: …``), and the closing line counts every test
once (by its JUnit ``classname`` + ``name``): failed if it failed in any pass, skipped if it was skipped in every pass
that ran it, passed otherwise: ``total: N passed, M failed, K skipped``.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


def outcomes(path: Path) -> dict[str, str]:
    """Test id → outcome for one JUnit report."""
    root = ET.parse(path).getroot()
    result: dict[str, str] = {}
    for case in root.iter("testcase"):
        test_id = f"{case.get('classname', '')}::{case.get('name', '')}"
        if case.find("failure") is not None or case.find("error") is not None:
            result[test_id] = FAILED
        elif case.find("skipped") is not None:
            result.setdefault(test_id, SKIPPED)
        else:
            result.setdefault(test_id, PASSED)
    return result


def tally(results: dict[str, str]) -> tuple[int, int, int]:
    values = list(results.values())
    return values.count(PASSED), values.count(FAILED), values.count(SKIPPED)


def merge(passes: list[dict[str, str]]) -> dict[str, str]:
    unique: dict[str, str] = {}
    for results in passes:
        for test_id, outcome in results.items():
            current = unique.get(test_id)
            if current is None or outcome == FAILED or (current == SKIPPED and outcome == PASSED):
                unique[test_id] = outcome
    return unique


def main(argv: list[str]) -> int:
    passes: list[dict[str, str]] = []
    missing = 0
    for name in argv:
        path = Path(name)
        if not path.is_file():
            print(f"missing test report {path} (that run did not finish)", file=sys.stderr)
            missing += 1
            continue
        results = outcomes(path)
        passes.append(results)
        p, f, s = tally(results)
        print(f"  {path.stem}: {p} passed, {f} failed, {s} skipped ({len(results)} tests in this pass)")
    unique = merge(passes)
    p, f, s = tally(unique)
    in_both = sum(1 for t in unique if sum(t in r for r in passes) > 1)
    print(f"  unique tests: {len(unique)} ({in_both} of them ran in more than one database pass)")
    print(f"total: {p} passed, {f + missing} failed, {s} skipped")
    return 1 if f or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
