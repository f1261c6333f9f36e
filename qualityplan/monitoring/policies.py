"""Who may do what with monitoring imports — one function per action, used by the web views, the API and the CLI.

Import scoping (kept as data below, documented in docs/indicators.md "Who may import what"):

* the office (and superusers) import every kind for every unit;
* a city/county reporter imports every record kind, but only rows of its own unit (the ``city`` column, or the
  ``unit``/``region`` of a registry row); a row of another unit is a row error naming that unit;
* a department reporter imports only the kinds its department owns (:data:`KIND_OWNERS`), for every unit;
  for sampling results only the product groups its department owns (:data:`GROUP_OWNERS`); for registry items
  only rows whose ``unit`` is its own department;
* viewers and inspectors never import;
* the command line acts as the system (the office's rights, audited as "system") unless ``--as USER`` is given,
  in which case that user's rights apply and the batch is recorded under that user.

Corrections (withdraw, replace with a corrected file): the office, or a reporter of the unit that imported the
batch, while the batch is done (not already withdrawn or replaced).
"""

from __future__ import annotations

from dataclasses import dataclass

from qualityplan.monitoring.choices import ImportKind, ImportStatus, ProductGroup
from qualityplan.orgs.roles import Role

# Department (unit code) → what it owns.  Air, water, noise: the environment department (ENV, 生态环境保护厅);
# coastal water: ENV and the ocean department (OCEAN, 海洋与渔业厅); the station register: both of them;
# sampling: the departments that run the sampling plans (QTS industrial products, FDA food and drugs, AGRI
# agricultural products, CIQ export inspection, SAIC products in circulation); registry items: the departments
# that keep the registers (QTS brands and standards, SAIC trademarks, TOURISM scenic spots, HOUSING project
# awards, OCEAN fishery standards and aquatic-product certificates, SCI high-tech enterprises, CIQ HACCP).
KIND_OWNERS: dict[str, frozenset[str]] = {
    ImportKind.AIR: frozenset({"ENV"}),
    ImportKind.WATER: frozenset({"ENV"}),
    ImportKind.NOISE: frozenset({"ENV"}),
    ImportKind.SEA: frozenset({"ENV", "OCEAN"}),
    ImportKind.STATION: frozenset({"ENV", "OCEAN"}),
    ImportKind.SAMPLING: frozenset({"QTS", "FDA", "AGRI", "CIQ", "SAIC"}),
    ImportKind.REGISTRY: frozenset({"QTS", "SAIC", "TOURISM", "HOUSING", "OCEAN", "SCI", "CIQ"}),
}
GROUP_OWNERS: dict[str, frozenset[str]] = {
    "QTS": frozenset({ProductGroup.INDUSTRIAL}),
    "SAIC": frozenset({ProductGroup.INDUSTRIAL}),
    "FDA": frozenset({ProductGroup.FOOD, ProductGroup.DRUG}),
    "AGRI": frozenset({ProductGroup.AGRI}),
    "CIQ": frozenset({ProductGroup.EXPORT}),
}


@dataclass(frozen=True)
class RowScope:
    """Which rows of a file a user may import: ``None`` = no restriction."""

    unit_id: int | None = None  # only rows of this unit
    unit_name: str = ""
    groups: frozenset[str] | None = None  # sampling: only these product groups

    def unit_allowed(self, unit) -> bool:
        return self.unit_id is None or (unit is not None and unit.pk == self.unit_id)

    def group_allowed(self, group: str | None) -> bool:
        return self.groups is None or group in self.groups


UNRESTRICTED = RowScope()


def _is_office(user) -> bool:
    return user is None or bool(getattr(user, "is_superuser", False)) or getattr(user, "role", None) == Role.OFFICE


def _dept_code(user) -> str:
    unit = getattr(user, "unit", None)
    return unit.code if unit is not None else ""


def can_import(user, kind: str) -> bool:
    """May ``user`` import files of ``kind`` at all?  (``user=None``: the CLI acting as the system.)"""
    if kind not in ImportKind.values:
        return False
    if _is_office(user):
        return True
    if not getattr(user, "is_authenticated", False) or getattr(user, "unit_id", None) is None:
        return False
    role = getattr(user, "role", None)
    if role == Role.CITY_REPORTER:
        return True
    if role == Role.DEPT_REPORTER:
        return _dept_code(user) in KIND_OWNERS.get(kind, frozenset())
    return False


def importable_kinds(user) -> list[str]:
    return [k for k in ImportKind.values if can_import(user, k)]


def import_row_scope(user, kind: str) -> RowScope:
    """The rows of a ``kind`` file ``user`` may import (call :func:`can_import` first)."""
    if _is_office(user):
        return UNRESTRICTED
    role = getattr(user, "role", None)
    unit = user.unit
    if role == Role.CITY_REPORTER or (role == Role.DEPT_REPORTER and kind == ImportKind.REGISTRY):
        return RowScope(unit_id=unit.pk, unit_name=str(unit.name))
    if role == Role.DEPT_REPORTER and kind == ImportKind.SAMPLING:
        return RowScope(groups=GROUP_OWNERS.get(unit.code, frozenset()))
    return UNRESTRICTED


def can_correct_batch(user, batch) -> bool:
    """Withdraw or replace ``batch``: the office, or a reporter of the unit that imported it; done batches only."""
    if batch.status != ImportStatus.DONE:
        return False
    if _is_office(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        getattr(user, "role", None) in Role.reporters()
        and batch.unit_id is not None
        and batch.unit_id == getattr(user, "unit_id", None)
        and can_import(user, batch.kind)
    )


def can_manage_catalogue(user) -> bool:
    """Edit the product catalogue: the office only."""
    return user is not None and getattr(user, "is_authenticated", False) and _is_office(user)
