"""Reconciling shipped reference data with what is stored: additive by default, explicit upgrades, forced removals.

``qualityplan bootstrap`` loads shipped data (the units register, the shipped plans, catalogues, demo data) into a
database that users may already have changed. The rules (ADR 0004):

- **add** (the default, what ``make run`` / ``make setup`` do): create what is missing; never change or delete a stored
  row. Where the stored row differs from the shipped one, the stored row wins and one line says so.
- **upgrade** (``bootstrap --upgrade``): also apply changes of shipped fields to stored rows, each reported; removals of
  rows the shipped data no longer has are refused and reported.
- **force** (``bootstrap --upgrade --force``, after a backup): removals are carried out too, when nothing refers to
  the row (a referenced row is kept and reported, never a crash).

Loaders take a :class:`Reconciliation` and report into it; the command prints :meth:`Reconciliation.lines`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector


class Mode(StrEnum):
    ADD = "add"
    UPGRADE = "upgrade"
    FORCE = "force"


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cascades_outside(obj, owned: set) -> bool:
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError):
        return True
    models = set(collector.data) | {qs.model for qs in collector.fast_deletes if qs.exists()}
    return any(model not in owned and not model._meta.auto_created for model in models)


@dataclass
class Reconciliation:
    mode: Mode = Mode.ADD
    created: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)  # stored differs from shipped; stored kept (add mode)
    changed: list[str] = field(default_factory=list)  # shipped change applied (upgrade)
    refused: list[str] = field(default_factory=list)  # removal refused (upgrade without force, or still referenced)
    removed: list[str] = field(default_factory=list)  # removal carried out (force)

    @property
    def applies_changes(self) -> bool:
        return self.mode in (Mode.UPGRADE, Mode.FORCE)

    def add(self, what: str, n: int = 1) -> None:
        if n:
            self.created[what] += n

    def differs(self, label: str, description: str) -> None:
        """A difference the loader cannot express as field updates (kept in add mode, refused otherwise)."""
        (self.kept if self.mode is Mode.ADD else self.refused).append(f"{label}: {description}")

    def update(self, obj, wanted: dict, label: str) -> bool:
        """Bring ``obj``'s fields to ``wanted`` (upgrade) or report the difference and keep the stored values (add)."""
        diffs = {k: (getattr(obj, k), v) for k, v in wanted.items() if getattr(obj, k) != v}
        if not diffs:
            return False
        if not self.applies_changes:
            desc = ", ".join(f"{k} stored {_short(old)} / shipped {_short(new)}" for k, (old, new) in diffs.items())
            self.kept.append(f"{label}: {desc}")
            return False
        for key, (_old, new) in diffs.items():
            setattr(obj, key, new)
        obj.save()
        desc = ", ".join(f"{k} {_short(old)} → {_short(new)}" for k, (old, new) in diffs.items())
        self.changed.append(f"{label}: {desc}")
        return True

    def remove(self, label: str, delete: Callable[[], object], *, obj=None, owned: tuple = ()) -> bool:
        """Remove a stored row the shipped data no longer has: only with force, and only if nothing refers to it.

        With ``obj``, the deletion is first collected: if it would cascade into any model outside ``owned`` (the
        shipped data's own models, e.g. a measure's responsibilities), users' records refer to it and it is kept.
        """
        if self.mode is not Mode.FORCE:
            self.refused.append(f"{label}: no longer shipped; kept (bootstrap --upgrade --force removes it)")
            return False
        if obj is not None and _cascades_outside(obj, {type(obj), *owned}):
            self.refused.append(f"{label}: no longer shipped, but users' records refer to it; kept")
            return False
        try:
            with transaction.atomic():
                delete()
        except (ProtectedError, RestrictedError):
            self.refused.append(f"{label}: no longer shipped, but users' records refer to it; kept")
            return False
        self.removed.append(label)
        return True

    def lines(self) -> list[str]:
        out = []
        if self.created:
            out.append("created: " + ", ".join(f"{n} {what}" for what, n in sorted(self.created.items())))
        out += [f"kept stored: {line}" for line in self.kept]
        out += [f"changed: {line}" for line in self.changed]
        out += [f"removed: {line}" for line in self.removed]
        out += [f"refused: {line}" for line in self.refused]
        return out


_ACTIVE: ContextVar[Reconciliation | None] = ContextVar("qualityplan_reconciliation", default=None)


@contextmanager
def reconciling(rec: Reconciliation) -> Iterator[Reconciliation]:
    """Make ``rec`` the reconciliation that loaders called without one report into (``bootstrap`` sets it)."""
    token = _ACTIVE.set(rec)
    try:
        yield rec
    finally:
        _ACTIVE.reset(token)


def current(rec: Reconciliation | None = None) -> Reconciliation:
    """``rec`` if given, else the active reconciliation, else a fresh additive one."""
    if rec is not None:
        return rec
    active = _ACTIVE.get()
    return active if active is not None else Reconciliation()
