"""``qualityplan bootstrap [--demo] [--upgrade [--force]]``: units, the shipped plans and (optionally) demo data.

Additive and convergent (ADR 0004, :mod:`qualityplan.core.reconcile`): it creates what is missing and never deletes or
overwrites stored rows, so it can run on every ``make run`` over a database people have worked in. Where the shipped
data and the stored data differ, the stored data wins and one line says so.

``--upgrade`` applies changes of the shipped reference data (units register, plan text corrections, catalogues) to the
stored rows, each reported; removals are refused unless ``--force`` is given too, which first writes a backup
(``qualityplan backup``) and never removes a row that users' records refer to.

Each installed app may ship ``<app>/demo.py`` with ``load_demo(*, year)``; they run in INSTALLED_APPS order, so apps can
rely on the ones before them; each must create only what is missing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qualityplan.core import clock
from qualityplan.core.files import files_relocate
from qualityplan.core.reconcile import Mode, Reconciliation, reconciling
from qualityplan.orgs.services import units_load_register
from qualityplan.plans import interchange
from qualityplan.plans.services import plan_load

PLANS_DIR = interchange.SHIPPED_PLANS_DIR


class Command(BaseCommand):
    help = "Load units, the shipped plans and demo data (additive: never changes or deletes stored rows)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also load the synthetic demo data")
        parser.add_argument(
            "--demo-apps",
            default="",
            help="with --demo: only these apps' demo data, comma-separated in load order (e.g. orgs,plans); "
            "default every app",
        )
        parser.add_argument("--year", type=int, default=2017)
        parser.add_argument(
            "--upgrade", action="store_true", help="apply changes of the shipped reference data to stored rows"
        )
        parser.add_argument(
            "--force", action="store_true", help="with --upgrade: also remove rows no longer shipped (backup first)"
        )
        parser.add_argument(
            "--backup-dir", default="", help="with --force: where the backup goes (default var/backups)"
        )

    def handle(self, *args, demo: bool, year: int, upgrade: bool, force: bool, backup_dir: str, **options):
        if force and not upgrade:
            raise CommandError("--force goes with --upgrade")
        loaders = _demo_loaders()
        if options.get("demo_apps"):
            if not demo:
                raise CommandError("--demo-apps goes with --demo")
            known = dict(loaders)
            wanted = [a.strip() for a in options["demo_apps"].split(",") if a.strip()]
            unknown = [a for a in wanted if a not in known]
            if unknown:
                raise CommandError(f"--demo-apps: unknown app(s) {', '.join(unknown)}; known: {', '.join(known)}")
            loaders = [(label, loader) for label, loader in loaders if label in wanted]
        mode = Mode.FORCE if force else (Mode.UPGRADE if upgrade else Mode.ADD)
        if mode is Mode.FORCE:
            self._backup(backup_dir)
        relocated = files_relocate()
        if relocated["moved"] or relocated["missing"]:
            self.stdout.write(f"private files: {relocated}")
        rec = Reconciliation(mode=mode)
        with reconciling(rec):
            counts = units_load_register(rec=rec)
            self.stdout.write(f"units register: {counts}")
            for path in sorted(PLANS_DIR.glob("*.json")):
                # the shipped plans are reconciled where they stand, published or not (stored rows win unless --upgrade)
                plan, changed = plan_load(
                    data=interchange.read_plan_file(path), source_name=path.name, rec=rec, published_in_place=True
                )
                self.stdout.write(f"plan {plan.year} v{plan.version}: {'loaded' if changed else 'unchanged'}")
            if demo:
                for label, loader in loaders:
                    with transaction.atomic():
                        result = loader(year=year)
                    self.stdout.write(f"demo {label}: {result}")
        for line in rec.lines():
            self.stdout.write(line)
        if rec.kept and mode is Mode.ADD:
            self.stdout.write(
                f"{len(rec.kept)} stored row(s) differ from the shipped data and were kept; "
                "`qualityplan bootstrap --upgrade` applies the shipped values"
            )

    def _backup(self, backup_dir: str) -> None:
        if "backup" not in get_commands():
            raise CommandError("--force needs `qualityplan backup`, which this installation lacks; nothing was changed")
        target = Path(backup_dir) if backup_dir else Path(settings.VAR_DIR) / "backups" / f"pre-upgrade-{_stamp()}"
        self.stdout.write(f"backup before a forced upgrade: {target}")
        call_command("backup", str(target), stdout=self.stdout)


def _demo_loaders():
    """Every app's demo loader, in dependency order (each creates only what is missing). Explicit imports: this app
    is the top layer (ADR 0005) and may know every app; no app is found by a string."""
    from qualityplan.assessment import demo as assessment_demo
    from qualityplan.credit import demo as credit_demo
    from qualityplan.hotline import demo as hotline_demo
    from qualityplan.indicators import demo as indicators_demo
    from qualityplan.ledger import demo as ledger_demo
    from qualityplan.ledger.selectors import tasks_delayed
    from qualityplan.monitoring import demo as monitoring_demo
    from qualityplan.orgs import demo as orgs_demo
    from qualityplan.plans import demo as plans_demo
    from qualityplan.public import demo as public_demo
    from qualityplan.risk import demo as risk_demo
    from qualityplan.supervision import demo as supervision_demo

    def supervision(*, year: int):
        # the demo opens one 督办 item from an overdue ledger task; the task comes from the ledger (a higher layer)
        return supervision_demo.load_demo(year=year, overdue_tasks=tasks_delayed(year=year))

    return [
        ("orgs", orgs_demo.load_demo),
        ("plans", plans_demo.load_demo),
        ("monitoring", monitoring_demo.load_demo),
        ("indicators", indicators_demo.load_demo),
        ("ledger", ledger_demo.load_demo),
        ("supervision", supervision),
        ("credit", credit_demo.load_demo),
        ("hotline", hotline_demo.load_demo),
        ("risk", risk_demo.load_demo),  # the planted sampling cluster (docs/risk.md), after monitoring's catalogue
        ("assessment", assessment_demo.load_demo),
        ("public", public_demo.load_demo),
    ]


def _stamp() -> str:
    return clock.now().strftime("%Y%m%d-%H%M%S")
