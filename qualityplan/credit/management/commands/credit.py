"""``qualityplan credit load FILE`` and ``qualityplan credit status --as-of YYYY-MM-DD [--uscc CODE] --format json|table``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.credit import policies
from qualityplan.credit.importers import credit_load
from qualityplan.credit.selectors import status_rows
from qualityplan.credit.tables import ImportFailed

TABLE_COLUMNS = ("uscc", "name", "class", "blacklisted", "blacklist_until", "early_removal_from", "abnormal")


def _iso(v):
    return v.isoformat() if isinstance(v, dt.date) else v


def _cell(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(_iso(v))


class Command(BaseCommand):
    help = "Enterprise quality credit: load a file of credit events; print the credit status as of a date."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a CSV/XLSX file of credit events (all-or-nothing)")
        load.add_argument("file", type=Path)
        load.add_argument("--user", help="username to act as (audited); default: system (office rights)")
        honours = sub.add_parser("honours", help="荣誉 events from the registry (名牌产品, 著名商标, 鲁班奖 …)")
        honours.add_argument("--user", help="username to act as (audited); default: system (office rights)")
        status = sub.add_parser("status", help="class, lists and published penalties per enterprise")
        status.add_argument("--as-of", dest="as_of", required=True, help="YYYY-MM-DD")
        status.add_argument("--uscc", help="one enterprise by its unified social credit code")
        status.add_argument("--format", dest="fmt", choices=("json", "table"), default="table")

    def _user(self, username):
        if not username:
            return policies.SYSTEM
        from qualityplan.orgs.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user {username!r}")
        return user

    def handle(self, *args, action: str, **options):
        if action == "load":
            return self._load(options["file"], self._user(options.get("user")))
        if action == "honours":
            from qualityplan.core.middleware import acting_as
            from qualityplan.credit.services import honours_sync_from_registry

            user = self._user(options.get("user"))
            with acting_as(user if getattr(user, "pk", None) else None):
                self.stdout.write(f"honours: {honours_sync_from_registry(user=user)} new")
            return None
        return self._status(options["as_of"], options.get("uscc"), options["fmt"])

    def _load(self, file: Path, user):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            result = credit_load(data=file.read_bytes(), name=file.name, user=user)
        except ImportFailed as exc:
            for e in exc.errors:
                self.stderr.write(str(e))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was loaded") from None
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        detail = ", ".join(f"{k} {v}" for k, v in sorted(result["events"].items()))
        self.stdout.write(f"{file.name}: {result['rows']} rows loaded ({detail})")

    def _status(self, as_of: str, uscc: str | None, fmt: str):
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"--as-of: not a date {as_of!r} (YYYY-MM-DD)") from None
        rows = status_rows(user=policies.SYSTEM, as_of=day, uscc=uscc)
        out = self.stdout
        if fmt == "json":
            out.write("[", ending="")
            first = True
            for row in rows:
                rec = {k: _iso(row[k]) for k in TABLE_COLUMNS}
                rec["reasons"] = row["reasons"]
                rec["penalties"] = [{k: _iso(v) for k, v in p.items()} for p in row["penalties"]]
                out.write(("\n" if first else ",\n") + json.dumps(rec, ensure_ascii=False), ending="")
                first = False
            out.write("\n]" if not first else "]")
            return
        out.write("\t".join(TABLE_COLUMNS))
        for row in rows:
            out.write("\t".join(_cell(row[k]) for k in TABLE_COLUMNS))
            for p in row["penalties"]:
                out.write(
                    "\t".join(
                        ("", "  penalty", p["decision_no"] or "-", "publicity_until", _cell(p["publicity_until"]))
                        + ("repair_from", _cell(p["repair_from"]))
                    )
                )
        sys.stdout.flush()
