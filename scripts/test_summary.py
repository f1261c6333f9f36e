"""Add up pytest JUnit XML reports and print one closing line: ``total: N passed, M failed, K skipped``.

Usage: python scripts/test_summary.py REPORT.xml... (missing reports are counted as a failed run).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count(path: Path) -> tuple[int, int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = failed = skipped = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return tests - failed - skipped, failed, skipped


def main(argv: list[str]) -> int:
    passed = failed = skipped = 0
    for name in argv:
        path = Path(name)
        if not path.is_file():
            print(f"missing test report {path} (that run did not finish)", file=sys.stderr)
            failed += 1
            continue
        p, f, s = count(path)
        print(f"  {path.stem}: {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
