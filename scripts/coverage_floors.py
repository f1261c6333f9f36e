"""Report coverage (branch) of the SQLite pass and check the floors: python scripts/coverage_floors.py COVERAGE.json

Floors (issue 14): 90 % for the pure packages `standards` and `plandoc`, for `core` and `orgs`, and for the services
module(s) of every app (`<app>/services.py` or `<app>/services/`). Prints one line per group and the overall figure;
exits 1 when a floor does not hold (COVERAGE_FLOORS=report only reports, e.g. for a partial run with PYTEST_ARGS).
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path, PurePosixPath

FLOOR = 90.0
PACKAGES = ("standards", "plandoc", "core", "orgs")


def groups_of(path: str) -> list[str]:
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] != "qualityplan":
        return []
    app = parts[1]
    found = [app] if app in PACKAGES else []
    if len(parts) >= 3 and (parts[2] == "services.py" or parts[2] == "services"):
        found.append(f"{app} services")
    return found


def main(argv: list[str]) -> int:
    data = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # covered (lines + branches), total
    for path, info in data["files"].items():
        s = info["summary"]
        covered = s["covered_lines"] + s.get("covered_branches", 0)
        total = s["num_statements"] + s.get("num_branches", 0)
        for group in groups_of(path.replace(os.sep, "/")):
            sums[group][0] += covered
            sums[group][1] += total
    totals = data["totals"]
    print(f"  coverage (SQLite pass, lines + branches): {totals['percent_covered']:.1f} % overall")
    failed = []
    for group in sorted(sums):
        covered, total = sums[group]
        pct = 100.0 * covered / total if total else 100.0
        mark = "ok" if pct >= FLOOR else f"BELOW the {FLOOR:.0f} % floor"
        print(f"    {group:28s} {pct:5.1f} %  {mark}")
        if pct < FLOOR:
            failed.append(group)
    if failed and os.environ.get("COVERAGE_FLOORS", "enforce") != "report":
        print(f"coverage floors not met: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
