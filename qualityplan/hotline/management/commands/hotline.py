"""``qualityplan hotline load FILE | deadline | kpi | escalate``: the 12345 work orders on the command line.

* ``load FILE [--user NAME]``: import a CSV/XLSX export of the hotline platform (all or nothing; row errors listed).
* ``deadline --received YYYY-MM-DDTHH:MM --category C [--extension-days N]``: print the handling deadline (a date).
* ``kpi --from D --to D [--unit U] [--by unit|region] --format json|table``: the KPIs per unit or city/county.
* ``escalate [--date D] [--no-notify]``: the daily 催办 ladder (also a Huey task).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.hotline.choices import Category


def _category(value: str) -> str:
    by_label = {str(label): v for v, label in Category.choices}
    if value in Category.values:
        return value
    if value in by_label:
        return by_label[value]
    raise CommandError(f"unknown category {value!r} (one of: {', '.join(Category.values)} or 咨询/求助/…)")


def _received(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--received: expected YYYY-MM-DDTHH:MM, got {value!r}") from None


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"expected YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = "12345 hotline work orders: load FILE, deadline, kpi, escalate."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        load = sub.add_parser("load", help="import a CSV/XLSX file of work orders (all or nothing)")
        load.add_argument("file")
        load.add_argument("--user", default="", help="record the import as this user (default: the first office user)")
        deadline = sub.add_parser("deadline", help="print the handling deadline of an order")
        deadline.add_argument("--received", required=True, help="YYYY-MM-DDTHH:MM")
        deadline.add_argument("--category", required=True)
        deadline.add_argument("--extension-days", type=int, default=0)
        kpi = sub.add_parser("kpi", help="KPIs per unit or city/county and period")
        kpi.add_argument("--from", dest="date_from", required=True)
        kpi.add_argument("--to", dest="date_to", required=True)
        kpi.add_argument("--unit", default="", help="a unit code (e.g. QTS or 460100)")
        kpi.add_argument("--by", choices=["unit", "region"], default="unit")
        kpi.add_argument("--format", choices=["json", "table"], default="table")
        esc = sub.add_parser("escalate", help="issue the 催办 / 催办通知书 / 通报 due today (idempotent)")
        esc.add_argument("--date", default="")
        esc.add_argument("--no-notify", action="store_true")

    def handle(self, *args, sub, **o):
        return getattr(self, f"_{sub}")(**o)

    def _load(self, *, file, user, **_o):
        from qualityplan.core.middleware import acting_as
        from qualityplan.hotline.importers import orders_import, size_check
        from qualityplan.orgs.models import User
        from qualityplan.orgs.roles import Role

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        actor = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(role=Role.OFFICE, is_active=True).order_by("id").first()
        )
        if actor is None:
            raise CommandError(f"no such user: {user or '(an office user)'}")
        try:
            with acting_as(actor):
                size_check(path.stat().st_size)
                result = orders_import(user=actor, name=path.name, data=path.read_bytes())
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"row {e['row']}: {e['field']}: {e['message']}")
            raise CommandError(f"{len(result.errors)} error(s); nothing imported")
        self.stdout.write(f"imported {result.created} work orders")

    def _deadline(self, *, received, category, extension_days, **_o):
        from qualityplan.hotline.deadlines import MAX_EXTENSION_WORKDAYS, handling_deadline

        if not 0 <= extension_days <= MAX_EXTENSION_WORKDAYS:
            raise CommandError(f"--extension-days must be 0..{MAX_EXTENSION_WORKDAYS}")
        try:
            day = handling_deadline(_received(received), _category(category), extension_days=extension_days)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(day.isoformat())

    def _kpi(self, *, date_from, date_to, unit, by, format, **_o):
        from qualityplan.hotline.kpi import METRICS, kpi_rows
        from qualityplan.orgs.models import Unit

        start, end = _date(date_from), _date(date_to)
        if end < start:
            raise CommandError("--to is before --from")
        unit_ids = None
        if unit:
            u = Unit.objects.filter(code=unit).first() or Unit.objects.filter(name=unit).first()
            if u is None:
                raise CommandError(f"unknown unit {unit!r}")
            unit_ids = [u.pk]
        rows = kpi_rows(date_from=start, date_to=end, by=by, unit_ids=unit_ids)
        if format == "json":
            payload = {"from": start.isoformat(), "to": end.isoformat(), "by": by, "rows": [r.as_dict() for r in rows]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        headers = ["code", "name", "dispatched", *[m for m, _l in METRICS]]
        lines = [headers] + [
            [
                r.code,
                r.name,
                str(r.dispatched),
                *["—" if getattr(r, m) is None else str(getattr(r, m)) for m, _l in METRICS],
            ]
            for r in rows
        ]
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(headers))]
        for line in lines:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())

    def _escalate(self, *, date, no_notify, **_o):
        from qualityplan.hotline.escalation import hotline_escalate

        result = hotline_escalate(today=_date(date) if date else None, notify=not no_notify)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
