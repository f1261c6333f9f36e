"""Sea water quality — GB 3097-1997 (classes I–IV, 劣四类 beyond IV).

Public functions
----------------
``sea_class(samples, *, items="core", do_strict=True) -> SeaClass``
    class per sample 1–4, 5 = 劣四类, 0 = no assessed item; per-item classes.
``item_class(item, value, *, do_strict=True) -> int8 array``
``excellent_good_share(classes, *, area=None) -> percent``
    水质优良比例: share of classes I + II among assessed stations (``area=None``) or weighted by area.
``class_label(cls)`` → "一类" … "四类", "劣四类".

Items (mg/L; pH dimensionless): core ``pH DO COD DIN PO4 Petroleum``; ``items="extended"`` adds
``BOD5`` and ``NH3_nonionic`` (their class-I / all-class values are unverified, see docs).
pH: 7.8–8.5 → I/II, 6.8–8.8 → III/IV, else 劣四类 (the "normal variation" condition needs baseline
data and is not checked).  DO: "> limit" as printed (``do_strict=False`` for "≥").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import StandardsError, UnknownItemError
from ..rounding import MISSING, as_float_array, to_scaled

#: GB 3097-1997 表 1 (main items), classes I..IV; "≤" items except DO (">").
LIMITS: dict[str, tuple[float, ...]] = {
    "DO": (6, 5, 4, 3),
    "COD": (2, 3, 4, 5),
    "BOD5": (1, 3, 4, 5),
    "DIN": (0.20, 0.30, 0.40, 0.50),
    "NH3_nonionic": (0.020, 0.020, 0.020, 0.020),
    "PO4": (0.015, 0.030, 0.030, 0.045),
    "Petroleum": (0.05, 0.05, 0.30, 0.50),
}
PH_RANGES = ((7.8, 8.5), (6.8, 8.8))  # classes I–II, III–IV
CORE_ITEMS = ("pH", "DO", "COD", "DIN", "PO4", "Petroleum")
EXTENDED_ITEMS = (*CORE_ITEMS, "BOD5", "NH3_nonionic")
ITEMS = EXTENDED_ITEMS
CLASS_LABELS = ("", "一类", "二类", "三类", "四类", "劣四类")
_DIGITS = 8


def item_class(item: str, value: Any, *, do_strict: bool = True) -> Any:
    """Class 1–5 (5 = 劣四类) of one item; 0 where missing."""
    if item not in ITEMS:
        raise UnknownItemError(f"unknown GB 3097 item {item!r}; expected one of {ITEMS}")
    c = to_scaled(value, _DIGITS)
    if item == "pH":
        (a, b), (c_, d) = ((to_scaled(x, _DIGITS), to_scaled(y, _DIGITS)) for x, y in PH_RANGES)
        cls = np.where((c >= a) & (c <= b), 1, np.where((c >= c_) & (c <= d), 3, 5))
    elif item == "DO":
        asc = to_scaled(np.asarray(LIMITS["DO"][::-1]), _DIGITS)  # 3,4,5,6
        met = np.searchsorted(asc, c, side="left" if do_strict else "right")  # thresholds strictly below c
        cls = 5 - met
    else:
        cls = np.searchsorted(to_scaled(np.asarray(LIMITS[item]), _DIGITS), c, side="left") + 1
    out = np.where(c == MISSING, 0, cls).astype(np.int8)
    return out[()] if out.ndim == 0 else out


def class_label(cls: Any) -> np.ndarray:
    return np.asarray(CLASS_LABELS, dtype=object)[np.asarray(cls, dtype=np.int64)]


@dataclass(frozen=True)
class SeaClass:
    cls: np.ndarray
    item_classes: dict[str, np.ndarray]

    @property
    def label(self) -> np.ndarray:
        return class_label(self.cls)


def sea_class(samples: Mapping[str, Any], *, items: str = "core", do_strict: bool = True) -> SeaClass:
    """Class of each sample = worst item class among the assessed items (single-factor)."""
    if items not in ("core", "extended"):
        raise StandardsError("items must be 'core' or 'extended'")
    unknown = set(samples) - set(ITEMS)
    if unknown:
        raise UnknownItemError(f"unknown GB 3097 item(s) {sorted(unknown)}")
    assessed = CORE_ITEMS if items == "core" else EXTENDED_ITEMS
    arrays = {k: as_float_array(v) for k, v in samples.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    ic = {k: np.broadcast_to(item_class(k, v, do_strict=do_strict), shape) for k, v in arrays.items()}
    cls = np.zeros(shape, dtype=np.int8)
    for k in assessed:
        if k in ic:
            cls = np.maximum(cls, ic[k])
    return SeaClass(cls=cls, item_classes=ic)


def excellent_good_share(classes: Any, *, area: Any = None) -> float:
    """Percent of classes I + II among assessed stations (class > 0), optionally area-weighted; NaN if none."""
    c = np.asarray(classes, dtype=np.int64).ravel()
    w = np.ones(c.shape) if area is None else as_float_array(area).ravel()
    assessed = c > 0
    total = w[assessed].sum()
    if total == 0:
        return float("nan")
    return float(w[assessed & (c <= 2)].sum() * 100.0 / total)
