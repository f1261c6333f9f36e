"""Writes for units: loading the register, demo users."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from qualityplan.core.exceptions import ApplicationError
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


@transaction.atomic
def units_load_register(*, path: Path = DEFAULT_REGISTER) -> dict[str, int]:
    """Create or update units, groups and spellings from a register YAML; idempotent."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ApplicationError(f"{path}: cannot read units register: {exc}") from exc
    by_code: dict[str, Unit] = {}
    names: dict[str, tuple[str, str]] = {}
    for order, row in enumerate(data.get("units", []), start=1):
        for key in ("code", "kind", "name"):
            if not row.get(key):
                raise ApplicationError(
                    f"{path}: unit #{order}: field {key!r} is required", {"row": order, "field": key}
                )
        code = str(row["code"])
        unit, _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "kind": row["kind"],
                "name": row["name"],
                "short_name": row.get("short", ""),
                "name_en": row.get("name_en", ""),
                "gb_code": code if code.isdigit() else "",
                "legacy_codes": [str(c) for c in row.get("legacy_codes", [])],
                "sort_order": order,
            },
        )
        by_code[code] = unit
        spellings = [row["name"], *row.get("aliases", [])]
        if row["kind"] in UnitKind.local_governments() and row.get("short"):
            spellings.append(row["short"])  # 保亭, 琼中: cities/counties are written by their short names too
        for spelling in dict.fromkeys(spellings):
            if spelling in names and names[spelling] != ("unit", code):
                raise ApplicationError(f"{path}: spelling {spelling!r} is used twice", {"name": spelling})
            names[spelling] = ("unit", code)
    groups: dict[str, UnitGroup] = {}
    for row in data.get("groups", []):
        group, _ = UnitGroup.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row.get("name_en", ""), "selectors": row.get("members", [])},
        )
        group.members.set(_expand_selectors(row.get("members", []), by_code))
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
        elif current.unit_id != (target["unit"].pk if target["unit"] else None) or current.group_id != (
            target["group"].pk if target["group"] else None
        ):
            current.unit, current.group = target["unit"], target["group"]
            current.save()
    return {"units": len(by_code), "groups": len(groups), "names": len(names)}
