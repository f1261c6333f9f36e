"""``qualityplan risk scan --year 2017 [--period 2017Q3] --format json|table``, ``qualityplan risk escalate`` and
``qualityplan risk auto-open [--year 2017 [--period 2017Q3]] [--dry-run] [--user NAME]`` (the daily job's command)."""

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
        a = sub.add_parser("auto-open", help="open a risk for every signal above the office's threshold (the job)")
        a.add_argument("--year", type=int, help="default: the daily job's years (this year; in January also last)")
        a.add_argument("--period", help="YYYY-MM or YYYYQn within --year (default: every month and quarter)")
        a.add_argument("--dry-run", action="store_true", help="list what would be opened (also while off)")
        a.add_argument("--user", help="username to act as (audited); default: system (office rights)")

    def handle(self, *args, action: str, **options):
        if action == "escalate":
            return self._escalate(options.get("user"))
        if action == "auto-open":
            return self._auto_open(options)
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

    def _auto_open(self, options):
        from qualityplan.core.exceptions import ApplicationError
        from qualityplan.core.policies import cli_user
        from qualityplan.credit.policies import SYSTEM
        from qualityplan.risk.autoopen import auto_open_daily, risk_auto_open
        from qualityplan.risk.policies import can_auto_open

        try:  # the same policy as the web and the API, checked before anything runs
            user = cli_user(options.get("user"), can_auto_open) or SYSTEM
        except PermissionError as exc:
            raise CommandError(f"--user: {exc}") from None
        year, period, dry_run = options.get("year"), options.get("period"), options["dry_run"]
        if period and year is None:
            raise CommandError("--period needs --year")
        try:
            if year is None:
                results = auto_open_daily(user=user, dry_run=dry_run)
            else:
                results = [risk_auto_open(user=user, year=year, period=period, dry_run=dry_run)]
        except ApplicationError as exc:
            raise CommandError(f"--{exc.extra.get('field', 'year')}: {exc.message}") from None
        for r in results:
            state = "on" if r.enabled else "off"
            head = f"# {r.year}{' ' + r.period if r.period else ''}: automatic opening {state}"
            self.stdout.write(head + (" (dry run: nothing written)" if r.dry_run else ""))
            if not r.enabled and not r.dry_run:
                continue
            for signal, risk in r.opened:
                d = signal.as_dict()
                row = "\t".join(_cell(k, d[k]) for k in ("category", "unit", "period", "failed", "total", "z", "rule"))
                self.stdout.write(f"{'would open' if risk is None else 'opened ' + risk.number}\t{row}")
            for signal, message in r.failed:
                self.stdout.write(f"failed\t{signal.key}\t{message}")
            verb = "would open" if r.dry_run else "opened"
            self.stdout.write(f"{verb}: {len(r.opened)}, already linked: {r.linked}, failed: {len(r.failed)}")
