"""Writes for units: loading the register, demo users."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from qualityplan.core import reconcile
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.reconcile import Reconciliation
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.models import Unit, UnitGroup, UnitName

DEFAULT_REGISTER = Path(__file__).resolve().parent / "data" / "hainan-units.yaml"


def _expand_selectors(selectors: list[str], by_code: dict[str, Unit]) -> list[Unit]:
    members: list[Unit] = []
    for selector in selectors:
        if selector.startswith("kind:"):
            kind = selector.removeprefix("kind:")
            members.extend(u for u in by_code.values() if u.kind == kind)
        elif selector in by_code:
            members.append(by_code[selector])
        else:
            raise ApplicationError(f"Unknown group member {selector!r}", {"selector": selector})
    return members


def _read_register(path: Path) -> dict:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ApplicationError(f"{path}: cannot read units register: {exc}") from exc


@transaction.atomic
def units_load_register(*, path: Path = DEFAULT_REGISTER, rec: Reconciliation | None = None) -> dict[str, int]:
    """Reconcile units, groups and spellings with a register YAML (see :mod:`qualityplan.core.reconcile`).

    By default additive: missing units, groups, members and spellings are created; stored rows that differ from the
    register are kept as they are (the office may have corrected a name) and reported in ``rec``. Idempotent.
    """
    rec = reconcile.current(rec)
    data = _read_register(path)
    stored_units = {u.code: u for u in Unit.objects.all()}
    by_code: dict[str, Unit] = {}
    names: dict[str, tuple[str, str]] = {}
    for order, row in enumerate(data.get("units", []), start=1):
        for key in ("code", "kind", "name"):
            if not row.get(key):
                raise ApplicationError(
                    f"{path}: unit #{order}: field {key!r} is required", {"row": order, "field": key}
                )
        code = str(row["code"])
        shipped = {
            "kind": row["kind"],
            "name": row["name"],
            "short_name": row.get("short", ""),
            "name_en": row.get("name_en", ""),
            "gb_code": code if code.isdigit() else "",
            "legacy_codes": [str(c) for c in row.get("legacy_codes", [])],
            "sort_order": order,
        }
        unit = stored_units.get(code)
        if unit is None:
            unit = Unit.objects.create(code=code, **shipped)
            rec.add("units")
        else:
            rec.update(unit, shipped, f"unit {code}")
        by_code[code] = unit
        spellings = [row["name"], *row.get("aliases", [])]
        if row["kind"] in UnitKind.local_governments() and row.get("short"):
            spellings.append(row["short"])  # 保亭, 琼中: cities/counties are written by their short names too
        for spelling in dict.fromkeys(spellings):
            if spelling in names and names[spelling] != ("unit", code):
                raise ApplicationError(f"{path}: spelling {spelling!r} is used twice", {"name": spelling})
            names[spelling] = ("unit", code)
    stored_groups = {g.code: g for g in UnitGroup.objects.prefetch_related("members")}
    groups: dict[str, UnitGroup] = {}
    for row in data.get("groups", []):
        shipped = {"name": row["name"], "name_en": row.get("name_en", ""), "selectors": row.get("members", [])}
        want = {u.pk for u in _expand_selectors(row.get("members", []), by_code)}
        group = stored_groups.get(row["code"])
        label = f"group {row['code']}"
        if group is None:
            group = UnitGroup.objects.create(code=row["code"], **shipped)
            group.members.set(want)
            rec.add("groups")
        else:
            rec.update(group, shipped, label)
            have = {u.pk for u in group.members.all()}
            missing, extra = want - have, have - want
            if missing and rec.applies_changes:
                group.members.add(*missing)
                rec.changed.append(f"{label}: {len(missing)} member(s) added")
            elif missing:
                rec.kept.append(f"{label}: {len(missing)} shipped member(s) not in the stored group; stored kept")
            for pk in extra:
                rec.remove(f"{label}: member unit #{pk}", lambda pk=pk, group=group: group.members.remove(pk))
        groups[row["code"]] = group
        for spelling in [row["name"], *row.get("aliases", [])]:
            if spelling in names and names[spelling] != ("group", row["code"]):
                raise ApplicationError(f"{path}: spelling {spelling!r} is used twice", {"name": spelling})
            names[spelling] = ("group", row["code"])
    existing = {n.name: n for n in UnitName.objects.all()}
    for spelling, (kind, code) in names.items():
        target = {"unit": by_code[code], "group": None} if kind == "unit" else {"unit": None, "group": groups[code]}
        current = existing.get(spelling)
        if current is None:
            UnitName.objects.create(name=spelling, **target)
            rec.add("unit spellings")
        else:
            rec.update(current, target, f"spelling {spelling!r}")
    return {"units": len(by_code), "groups": len(groups), "names": len(names)}
