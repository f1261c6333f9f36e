"""The one clock: a pinned date wins everywhere; otherwise the real local date."""

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone

from qualityplan.core import clock


def test_pinned_date(settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    assert clock.today() == dt.date(2017, 11, 30)
    assert clock.current_year() == 2017
    now = clock.now()
    assert now.date() == dt.date(2017, 11, 30)
    assert timezone.is_aware(now)


def test_real_date_when_not_pinned(settings):
    settings.QUALITYPLAN_TODAY = ""
    assert clock.today() == timezone.localdate()
    assert clock.pinned_today() is None


# A read of the system date, other than through qualityplan.core.clock: ``timezone.now`` (called or passed as a
# default), ``localdate()`` / ``localtime()`` without an argument (with one they convert a given moment),
# ``date.today``, ``datetime.now`` / ``utcnow``, ``time.localtime()``, and the ``{% now %}`` template tag.
SYSTEM_DATE = re.compile(
    r"timezone\.now\b|\blocaldate\(\s*\)|\blocaltime\(\s*\)|\bdate\.today\b|\bdatetime\.(?:now|utcnow|today)\b"
    r"|\btime\.(?:localtime|gmtime)\(\s*\)|{%\s*now\b"
)
ROOT = Path(__file__).resolve().parents[2]  # the qualityplan package
ALLOWED = {ROOT / "core" / "clock.py", Path(__file__).resolve()}


def test_nothing_else_reads_the_system_date():
    offenders = []
    for path in sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.html"), *ROOT.rglob("*.txt"), *ROOT.rglob("*.js")]):
        if path in ALLOWED or "migrations" in path.parts or "vendor" in path.parts:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if SYSTEM_DATE.search(line):
                offenders.append(f"{path.relative_to(ROOT.parent)}:{lineno}: {line.strip()}")
    assert offenders == [], "read the date through qualityplan.core.clock:\n" + "\n".join(offenders)


def test_the_pattern_catches_what_it_should():
    for line in (
        "x = timezone.now()",
        "default=timezone.now",
        "d = timezone.localdate()",
        "dt.date.today()",
        "datetime.now(dt.UTC)",
        "datetime.datetime.utcnow()",
        "{% now 'Y' %}",
    ):
        assert SYSTEM_DATE.search(line), line
    for line in ("timezone.localdate(s.submitted_at)", "timezone.localtime(value)", "clock.today()", "clock.now()"):
        assert not SYSTEM_DATE.search(line), line
