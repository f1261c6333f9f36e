"""``qualityplan evaluate --year 2017 [--unit NAME_OR_CODE] [--period P] [--as-of DATE] --format json|table``."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.core.policies import cli_user
from qualityplan.indicators import policies
from qualityplan.indicators.models import Evaluation
from qualityplan.indicators.services import evaluation_run
from qualityplan.orgs.selectors import unit_get_by_name_or_code


class Command(BaseCommand):
    help = "Evaluate every target × unit × period of a year and print value, target, comparator, status, explanation."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="a city/county name or code; 'province' for province rows only")
        parser.add_argument("--period", help="e.g. 2017 or 2017Q2 (default: all)")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="evaluation date (default: latest data)")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--no-run", action="store_true", help="print the stored evaluation without recomputing")
        parser.add_argument("--as", dest="as_user", help="act as this user (checked by policies.can_run_evaluation)")

    def handle(self, *args, year, unit, period, as_of, format, no_run, as_user=None, **options):
        if not no_run:
            try:
                actor = cli_user(as_user, policies.can_run_evaluation)
                with acting_as(actor):
                    summary = evaluation_run(year=year, as_of=as_of)
            except PermissionError as exc:
                raise CommandError(str(exc)) from exc
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stderr.write(f"evaluated {year} as of {summary['as_of']}: {summary['targets']}")
        qs = (
            Evaluation.objects.filter(year=year)
            .select_related("target", "unit")
            .order_by("period", "target__order", "unit__sort_order")
        )
        if unit:
            if unit == "province":
                qs = qs.filter(unit__isnull=True)
            else:
                u = unit_get_by_name_or_code(unit)
                if u is None:
                    raise CommandError(f"unknown unit {unit!r}")
                qs = qs.filter(unit=u)
        if period:
            qs = qs.filter(period=period)
        rows = [
            {
                "target": e.target.code,
                "indicator": e.target.indicator,
                "unit": e.unit.name if e.unit else "全省",
                "unit_code": e.unit.code if e.unit else "460000",
                "period": e.period,
                "as_of": e.as_of.isoformat(),
                "value": None if e.value is None else round(e.value, 4),
                "target_value": e.target_value,
                "comparator": e.comparator,
                "reading": e.reading,
                "status": e.status,
                "explanation": e.explanation,
            }
            for e in qs
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        header = (
            f"{'target':6} {'unit':10} {'period':7} {'value':>9} {'cmp':>11} {'target':>7} {'status':9} explanation"
        )
        self.stdout.write(header)
        for r in rows:
            value = "—" if r["value"] is None else f"{r['value']:.2f}"
            tv = "—" if r["target_value"] is None else f"{r['target_value']:g}"
            self.stdout.write(
                f"{r['target']:6} {r['unit'][:8]:10} {r['period']:7} {value:>9} {r['comparator']:>11} {tv:>7} "
                f"{r['status']:9} {r['explanation']}"
            )
