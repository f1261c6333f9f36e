"""``qualityplan plan load FILE [--add-only|--force]`` (reconciles a stored plan row by row),
``qualityplan plan export --year 2017 --format json|yaml`` and
``qualityplan plan export-import-cases DIR [--all]`` (reviewed plan-document imports as regression cases for
the reader: ``DIR/<name>.txt`` + ``DIR/<name>.expected.json``, scored by ``qualityplan plandoc score DIR``)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.reconcile import Mode, Reconciliation
from qualityplan.plans import interchange
from qualityplan.plans.imports import plan_import_regression_case
from qualityplan.plans.models import Plan, PlanImport
from qualityplan.plans.services import plan_export, plan_load


class Command(BaseCommand):
    help = "Load a plan from the interchange format (JSON/YAML) or export one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load or update a plan from FILE")
        load.add_argument("file")
        load.add_argument("--add-only", action="store_true", help="only create what is missing; keep stored rows")
        load.add_argument("--force", action="store_true", help="also remove rows the file no longer has (if unused)")
        export = sub.add_parser("export", help="print a plan in the interchange format")
        export.add_argument("--year", type=int, required=True)
        export.add_argument("--version", dest="plan_version", type=int, default=None, help="default: latest")
        export.add_argument("--format", choices=["json", "yaml"], default="json")
        export.add_argument("--with-text", action="store_true", help="include the full source text")
        cases = sub.add_parser("export-import-cases", help="write reviewed imports as reader regression cases")
        cases.add_argument("dir")
        cases.add_argument("--all", action="store_true", help="also imports without corrections")

    def handle(self, *args, action, **options):
        if action == "export-import-cases":
            out = Path(options["dir"])
            out.mkdir(parents=True, exist_ok=True)
            written = 0
            for draft in PlanImport.objects.order_by("created_at"):
                case = plan_import_regression_case(draft)
                if not case["corrections"] and not options["all"]:
                    continue
                name = re.sub(r"[^\w.-]+", "_", case["name"]) + f"-{draft.pk}"
                (out / f"{name}.txt").write_text(case["text"], encoding="utf-8")
                expected = {**case["expected"], "source_file": f"{name}.txt", "corrections": case["corrections"]}
                (out / f"{name}.expected.json").write_text(
                    json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
                )
                written += 1
            self.stdout.write(f"{written} case(s) written to {out}")
            return
        if action == "load":
            try:
                data = interchange.read_plan_file(options["file"])
                mode = Mode.ADD if options["add_only"] else (Mode.FORCE if options["force"] else Mode.UPGRADE)
                rec = Reconciliation(mode=mode)
                plan, changed = plan_load(data=data, source_name=str(options["file"]), rec=rec)
            except ApplicationError as exc:
                message = (
                    exc.message if exc.message.startswith(str(options["file"])) else f"{options['file']}: {exc.message}"
                )
                raise CommandError(message) from exc
            for line in rec.lines():
                self.stdout.write(line)
            state = "loaded" if changed else "unchanged"
            self.stdout.write(
                f"{state}: {plan.year} v{plan.version} {plan.title} — {plan.targets.count()} targets, "
                f"{plan.measures.count()} measures, {plan.deadlines.count()} deadlines"
            )
            return
        plans = Plan.objects.filter(year=options["year"])
        if options["plan_version"]:
            plans = plans.filter(version=options["plan_version"])
        plan = plans.order_by("-version").first()
        if plan is None:
            raise CommandError(f"no plan for year {options['year']}")
        sys.stdout.write(interchange.dump(plan_export(plan=plan, include_text=options["with_text"]), options["format"]))
