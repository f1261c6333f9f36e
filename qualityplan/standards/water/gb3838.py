"""Surface water quality — GB 3838-2002 表 1 (basic items) with the 环办[2011]22号 evaluation method.

Public functions
----------------
``water_class(samples, *, water_body, method="national2011") -> WaterClass``
    single-factor class per sample (1–5, 6 = 劣V, 0 = no assessed item), per-item classes,
    exceedance multiples vs Class III, main pollutants.
``item_class(item, value, *, water_body="river") -> int8 array`` (0 = missing)
``share_at_or_better_than_iii(classes) -> percent``  (sections with class 1–3 / assessed sections)
``class_label(cls)`` → "I" … "V", "劣V"; ``quality_grade(cls)`` → 优 / 良好 / 轻度污染 / 中度污染 / 重度污染.

Items (mg/L; FC 个/L): ``pH DO CODMn COD BOD5 NH3N TP TN Cu Zn F Se As Hg Cd Cr6 Pb CN VPhenol
Petroleum LAS S2 FC``.  ``water_body``: ``"river"`` or ``"lake"`` (湖、库), scalar or per sample.

Rules
-----
* "≤" items: the best class whose limit ≥ C; a value on a shared limit (COD I = II = 15) takes the
  better class; above V → 劣V.  DO: class k when DO ≥ min_k (I = 7.5 mg/L; saturation not modelled).
  pH: 6–9 does not degrade the class; outside → 劣V.  Compared exactly on values scaled to 1e-8.
* TP uses the lake column for lakes; TN is defined for lakes/reservoirs only.
* ``method="national2011"``: the 21 items of 环办[2011]22号 (表 1 minus water temperature, TN and FC)
  set the class; TN (lakes) and FC are classified as reference items (in ``item_classes``) but do
  not count.  ``method="all_items"``: the 21 items + FC + TN for lakes.
* 超标倍数 = (C − L_III) / L_III for assessed items worse than III; none for pH and DO.
* Main pollutants: items worse than III, sorted by class then multiple (tie-break [U]), first three.
* Missing values (NaN) are skipped; a sample with no assessed item gets class 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import StandardsError, UnknownItemError
from ..rounding import MISSING, as_float_array, round_half_even, to_scaled

#: GB 3838-2002 表 1 limits, classes I..V ("≤" items; DO is "≥").
LIMITS: dict[str, tuple[float, ...]] = {
    "DO": (7.5, 6, 5, 3, 2),
    "CODMn": (2, 4, 6, 10, 15),
    "COD": (15, 15, 20, 30, 40),
    "BOD5": (3, 3, 4, 6, 10),
    "NH3N": (0.15, 0.5, 1.0, 1.5, 2.0),
    "TP": (0.02, 0.1, 0.2, 0.3, 0.4),
    "TP_lake": (0.01, 0.025, 0.05, 0.1, 0.2),
    "TN": (0.2, 0.5, 1.0, 1.5, 2.0),
    "Cu": (0.01, 1.0, 1.0, 1.0, 1.0),
    "Zn": (0.05, 1.0, 1.0, 2.0, 2.0),
    "F": (1.0, 1.0, 1.0, 1.5, 1.5),
    "Se": (0.01, 0.01, 0.01, 0.02, 0.02),
    "As": (0.05, 0.05, 0.05, 0.1, 0.1),
    "Hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "Cd": (0.001, 0.005, 0.005, 0.005, 0.01),
    "Cr6": (0.01, 0.05, 0.05, 0.05, 0.1),
    "Pb": (0.01, 0.01, 0.05, 0.05, 0.1),
    "CN": (0.005, 0.05, 0.2, 0.2, 0.2),
    "VPhenol": (0.002, 0.002, 0.005, 0.01, 0.1),
    "Petroleum": (0.05, 0.05, 0.05, 0.5, 1.0),
    "LAS": (0.2, 0.2, 0.2, 0.3, 0.3),
    "S2": (0.05, 0.1, 0.2, 0.5, 1.0),
    "FC": (200, 2000, 10000, 20000, 40000),
}
PH_RANGE = (6, 9)
ITEMS = ("pH", "DO", "CODMn", "COD", "BOD5", "NH3N", "TP", "TN", "Cu", "Zn", "F", "Se", "As", "Hg", "Cd", "Cr6", "Pb")
ITEMS = (*ITEMS, "CN", "VPhenol", "Petroleum", "LAS", "S2", "FC")
#: 环办[2011]22号: 表 1 minus water temperature, TN and faecal coliform.
NATIONAL_2011_ITEMS = tuple(i for i in ITEMS if i not in ("TN", "FC"))
NO_MULTIPLE = ("pH", "DO")
METHODS = ("national2011", "all_items")
WATER_BODIES = ("river", "lake")
CLASS_LABELS = ("", "I", "II", "III", "IV", "V", "劣V")
QUALITY_GRADES = ("", "优", "优", "良好", "轻度污染", "中度污染", "重度污染")
_DIGITS = 8


def _water_body_is_lake(water_body: Any, shape: tuple[int, ...]) -> np.ndarray:
    wb = np.asarray(water_body)
    bad = ~np.isin(wb, WATER_BODIES)
    if np.any(bad):
        raise UnknownItemError(
            f"water_body must be 'river' or 'lake', got {np.atleast_1d(wb)[np.atleast_1d(bad)][0]!r}"
        )
    return np.broadcast_to(wb == "lake", shape)


def _le_class(key: str, c: np.ndarray) -> np.ndarray:
    lim = to_scaled(np.asarray(LIMITS[key]), _DIGITS)
    return (np.searchsorted(lim, c, side="left") + 1).astype(np.int8)


def item_class(item: str, value: Any, *, water_body: Any = "river") -> Any:
    """Class 1–6 of one item (0 where the value is missing); TN for rivers is 0 (not defined)."""
    if item not in ITEMS:
        raise UnknownItemError(f"unknown GB 3838 item {item!r}; expected one of {ITEMS}")
    c = to_scaled(value, _DIGITS)
    missing = c == MISSING
    if item == "pH":
        lo, hi = to_scaled(PH_RANGE[0], _DIGITS), to_scaled(PH_RANGE[1], _DIGITS)
        cls = np.where((c >= lo) & (c <= hi), 1, 6).astype(np.int8)
    elif item == "DO":
        asc = to_scaled(np.asarray(LIMITS["DO"][::-1]), _DIGITS)
        cls = (6 - np.searchsorted(asc, c, side="right")).astype(np.int8)
    elif item == "TP":
        lake = _water_body_is_lake(water_body, c.shape)
        cls = np.where(lake, _le_class("TP_lake", c), _le_class("TP", c))
    else:
        cls = _le_class(item, c)
        if item == "TN":
            cls = np.where(_water_body_is_lake(water_body, c.shape), cls, 0)
    out = np.where(missing, 0, cls).astype(np.int8)
    return out[()] if out.ndim == 0 else out


def class_label(cls: Any) -> np.ndarray:
    """ "I" … "V", "劣V" ('' for 0)."""
    return np.asarray(CLASS_LABELS, dtype=object)[np.asarray(cls, dtype=np.int64)]


def quality_grade(cls: Any) -> np.ndarray:
    """Qualitative grade of a section class: I–II 优, III 良好, IV 轻度污染, V 中度污染, 劣V 重度污染."""
    return np.asarray(QUALITY_GRADES, dtype=object)[np.asarray(cls, dtype=np.int64)]


@dataclass(frozen=True)
class WaterClass:
    """Result of :func:`water_class`.  ``cls`` int8 (0 = not assessed, 6 = 劣V)."""

    method: str
    cls: np.ndarray
    item_classes: dict[str, np.ndarray]
    multiples: dict[str, np.ndarray]
    assessed_items: tuple[str, ...]

    @property
    def label(self) -> np.ndarray:
        return class_label(self.cls)

    def exceed_iii(self, decimals: int = 2, sep: str = ";") -> np.ndarray:
        """``item:multiple;…`` of the assessed items worse than III (pH/DO listed without multiple)."""
        return self._join(self.assessed_items, decimals, sep, limit=None)

    def main_pollutants(self, n: int = 3, decimals: int = 2, sep: str = ";") -> np.ndarray:
        """The ``n`` worst assessed items worse than III, by class then multiple."""
        return self._join(self.assessed_items, decimals, sep, limit=n)

    def _join(self, items: tuple[str, ...], decimals: int, sep: str, limit: int | None) -> np.ndarray:
        shape = self.cls.shape
        if not items:
            return np.full(shape, "", dtype=object)
        classes = np.stack([np.broadcast_to(self.item_classes[i], shape) for i in items])
        mult = np.stack([np.broadcast_to(self.multiples.get(i, np.full(shape, np.nan)), shape) for i in items])
        worse = classes >= 4
        key = np.where(worse, classes.astype(np.float64) * 1e12 + np.nan_to_num(np.minimum(mult, 1e11), nan=0), -1)
        order = np.argsort(-key, axis=0, kind="stable")
        names = np.asarray(items, dtype=object)
        text = []
        for i, name in enumerate(items):
            m = mult[i]
            fmt = np.char.mod(f"%.{decimals}f", round_half_even(np.nan_to_num(m, nan=0.0), decimals))
            text.append(np.where(np.isnan(m), name, name + ":" + fmt.astype(object)))
        text_arr = np.stack(text)
        out = np.full(shape, "", dtype=object)
        rows = min(len(items), limit) if limit else len(items)
        for r in range(rows):
            idx = order[r]
            sel = np.take_along_axis(worse, idx[None], axis=0)[0]
            piece = np.take_along_axis(text_arr, idx[None], axis=0)[0]
            out = np.where(sel, np.where(out == "", piece, out + sep + piece), out)
        del names
        return out


def water_class(samples: Mapping[str, Any], *, water_body: Any, method: str = "national2011") -> WaterClass:
    """Single-factor class of each sample (GB 3838-2002 5.1; 环办[2011]22号).

    Parameters
    ----------
    samples : mapping item → array_like
        Concentrations [mg/L; FC 个/L; pH dimensionless]; NaN / missing keys = not measured.
    water_body : {"river", "lake"} or array of them
    method : {"national2011", "all_items"}
    """
    if method not in METHODS:
        raise StandardsError(f"method must be one of {METHODS}, not {method!r}")
    unknown = set(samples) - set(ITEMS)
    if unknown:
        raise UnknownItemError(f"unknown GB 3838 item(s) {sorted(unknown)}")
    arrays = {k: as_float_array(v) for k, v in samples.items()}
    shape = np.broadcast_shapes(np.shape(water_body), *(a.shape for a in arrays.values()))
    lake = _water_body_is_lake(water_body, shape)
    item_classes = {k: np.broadcast_to(item_class(k, v, water_body=np.where(lake, "lake", "river")), shape)
                    for k, v in arrays.items()}  # fmt: skip
    assessed = NATIONAL_2011_ITEMS if method == "national2011" else ITEMS
    assessed = tuple(i for i in assessed if i in arrays)
    cls = np.zeros(shape, dtype=np.int8)
    for i in assessed:
        cls = np.maximum(cls, item_classes[i])
    multiples: dict[str, np.ndarray] = {}
    for i in assessed:
        if i in NO_MULTIPLE:
            continue
        l3 = np.where(lake, LIMITS["TP_lake"][2], LIMITS["TP"][2]) if i == "TP" else LIMITS[i][2]
        v = np.broadcast_to(arrays[i], shape)
        with np.errstate(invalid="ignore"):
            multiples[i] = np.where(item_classes[i] >= 4, (v - l3) / l3, np.nan)
    return WaterClass(method=method, cls=cls, item_classes=item_classes, multiples=multiples, assessed_items=assessed)


def share_at_or_better_than_iii(classes: Any) -> float:
    """Percent of assessed sections (class 1–6) with class I–III; NaN when none is assessed."""
    c = np.asarray(classes, dtype=np.int64)
    assessed = np.count_nonzero(c > 0)
    return float(np.count_nonzero((c >= 1) & (c <= 3)) * 100.0 / assessed) if assessed else float("nan")
