"""Reads for units: name resolution and group expansion."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualityplan.orgs.models import Unit, UnitGroup, UnitName


@dataclass
class Resolved:
    written: str
    unit: Unit | None = None
    group: UnitGroup | None = None

    @property
    def known(self) -> bool:
        return self.unit is not None or self.group is not None


@dataclass
class NameResolver:
    """Resolve written unit names in one query; reuse across a whole plan load."""

    names: dict[str, UnitName] = field(default_factory=dict)
    by_code: dict[str, Unit] = field(default_factory=dict)

    @classmethod
    def load(cls) -> NameResolver:
        names = {n.name: n for n in UnitName.objects.select_related("unit", "group")}
        units = {u.code: u for u in Unit.objects.all()}
        for unit in list(units.values()):
            for legacy in unit.legacy_codes:
                units.setdefault(legacy, unit)
        return cls(names=names, by_code=units)

    def resolve(self, written: str) -> Resolved:
        written = written.strip()
        hit = self.names.get(written)
        if hit is not None:
            return Resolved(written, unit=hit.unit, group=hit.group)
        if written in self.by_code:
            return Resolved(written, unit=self.by_code[written])
        if not written.startswith("省") and f"省{written}" in self.names:  # 质监局 -> 省质监局 (provincial issuer)
            hit = self.names[f"省{written}"]
            return Resolved(written, unit=hit.unit, group=hit.group)
        return Resolved(written)


def unit_get_by_name_or_code(value: str) -> Unit | None:
    """A unit by code, GB/T 2260 code (legacy codes too), name or alias; ``None`` when unknown."""
    return NameResolver.load().resolve(value).unit


def local_government_units():
    from qualityplan.orgs.choices import UnitKind

    return Unit.objects.filter(kind__in=UnitKind.local_governments())
