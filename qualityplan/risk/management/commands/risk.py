"""``qualityplan risk scan --year 2017 [--period 2017Q3] --format json|table`` and ``qualityplan risk escalate``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from qualityplan.risk.detection import period_parse, scan

COLUMNS = ("category", "unit", "period", "failed", "total", "rate", "province_rate", "limit", "z", "rule", "subject")


def _cell(key: str, value) -> str:
    if value is None:
        return "-"
    if key in ("rate", "province_rate", "limit"):
        return f"{value:.4f}"
    if key == "z":
        return f"{value:.2f}"
    return str(value)


class Command(BaseCommand):
    help = "Quality risk: statistical signals from sampling records; escalate overdue disposal tasks."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("scan", help="p-chart, run rule and clusters per category × city/county × month/quarter")
        s.add_argument("--year", type=int, required=True)
        s.add_argument("--period", help="YYYY-MM or YYYYQn (default: every month and quarter of the year)")
        s.add_argument("--format", dest="fmt", choices=("json", "table"), default="table")
        e = sub.add_parser("escalate", help="open a 督办单 for every overdue disposal task")
        e.add_argument("--user", help="username to act as (audited); default: system (office rights)")

    def handle(self, *args, action: str, **options):
        if action == "escalate":
            return self._escalate(options.get("user"))
        year, period = options["year"], options.get("period")
        if period:
            try:
                p_year, _k, _i = period_parse(period)
            except ValueError as exc:
                raise CommandError(f"--period: {exc}") from None
            if p_year != year:
                raise CommandError("--period must lie in --year")
        signals = scan(year=year, period=period)
        if options["fmt"] == "json":
            rows = [{k: s.as_dict()[k] for k in (*COLUMNS, "unit_code", "key")} for s in signals]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return None
        self.stdout.write("\t".join(COLUMNS))
        for s in signals:
            d = s.as_dict()
            self.stdout.write("\t".join(_cell(k, d[k]) for k in COLUMNS))
        self.stdout.write(f"# {len(signals)} signal(s)")
        return None

    def _escalate(self, username):
        from qualityplan.core.policies import cli_user
        from qualityplan.credit.policies import SYSTEM
        from qualityplan.risk.policies import can_escalate
        from qualityplan.risk.services import disposals_escalate

        try:  # the same policy as the web and the API, checked before anything runs
            user = cli_user(username, can_escalate) or SYSTEM
        except PermissionError as exc:
            raise CommandError(f"--user: {exc}") from None
        self.stdout.write(f"escalated: {disposals_escalate(user=user)}")  # audited as the user (or "system")
