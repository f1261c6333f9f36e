"""``qualityplan bootstrap [--demo]``: load regions/units, the shipped plans and (optionally) demo data.

Idempotent: running it again changes nothing. Each installed app may ship ``<app>/demo.py`` with
``load_demo(*, year)``; they run in INSTALLED_APPS order, so apps can rely on the ones before them.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from qualityplan.core.files import files_relocate
from qualityplan.orgs.services import units_load_register
from qualityplan.plans import interchange
from qualityplan.plans.services import plan_load

PLANS_DIR = Path(__file__).resolve().parents[3] / "plans" / "data"


class Command(BaseCommand):
    help = "Load units, the shipped plans and demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also load the synthetic demo data")
        parser.add_argument("--year", type=int, default=2017)

    def handle(self, *args, demo: bool, year: int, **options):
        relocated = files_relocate()
        if relocated["moved"] or relocated["missing"]:
            self.stdout.write(f"private files: {relocated}")
        counts = units_load_register()
        self.stdout.write(f"units register: {counts}")
        for path in sorted(PLANS_DIR.glob("*.json")):
            plan, changed = plan_load(data=interchange.read_plan_file(path), source_name=path.name)
            self.stdout.write(f"plan {plan.year} v{plan.version}: {'loaded' if changed else 'unchanged'}")
        if not demo:
            return
        for config in apps.get_app_configs():
            if not config.name.startswith("qualityplan.") or find_spec(f"{config.name}.demo") is None:
                continue
            module = import_module(f"{config.name}.demo")
            with transaction.atomic():
                result = module.load_demo(year=year)
            self.stdout.write(f"demo {config.label}: {result}")
