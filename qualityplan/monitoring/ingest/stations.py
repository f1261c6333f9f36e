"""Station codes of a file: known stations checked against unit and kind, unknown ones created on first sight."""

from __future__ import annotations

import numpy as np

from qualityplan.monitoring.ingest.parser import Parser, factorize
from qualityplan.monitoring.models import Station


def stations_prepare(p: Parser, kind, units: np.ndarray, extra: dict[str, np.ndarray] | None = None):
    """Station code per row; stations unknown so far are prepared for creation (first sight).

    ``kind`` is one station kind or an array with a kind per row.  A known station of another unit or
    kind is a row error.
    """
    codes = p.text("station", max_length=40)
    names = p.text("station_name", required=False)
    return station_check(p, codes, names, kind, units, extra)


def station_check(p: Parser, codes, names, kind, units, extra=None, unit_index=None, code_index=None):
    """The checks of :func:`_stations`, once per distinct (code, unit, kind) instead of once per row.

    ``units`` is a unit per row, or (with ``unit_index``) the distinct units and each row's index into them;
    likewise ``codes`` or (with ``code_index``, see :meth:`Parser.text_codes`) the distinct codes and indexes.
    """
    code_list, code_idx = factorize(codes.tolist()) if code_index is None else code_index
    n = code_idx.size
    kinds = np.full(n, kind, dtype=object) if isinstance(kind, str) else kind
    existing = {s.code: s for s in Station.objects.filter(code__in=code_list)}
    new: dict[str, Station] = {}
    if unit_index is None:
        unit_list, unit_index = factorize(units.tolist())
    else:
        unit_list = units
    kind_list, kind_idx = factorize(kinds.tolist()) if not isinstance(kind, str) else ([kind], np.zeros(n, np.int64))
    # one integer per (code, unit, kind): distinct keys by NumPy, in order of first appearance
    combined = (code_idx * len(unit_list) + unit_index) * len(kind_list) + kind_idx
    ukeys, first, key_index = np.unique(combined, return_index=True, return_inverse=True)
    by_appearance = np.argsort(first, kind="stable")
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(by_appearance.size)
    first, key_index = first[by_appearance], rank[key_index]
    ukeys = ukeys[by_appearance]
    keys = [
        (
            code_list[k // (len(unit_list) * len(kind_list))],
            (k // len(kind_list)) % len(unit_list),
            kind_list[k % len(kind_list)],
        )
        for k in ukeys.tolist()
    ]
    bad: dict[int, tuple[str, str]] = {}  # key → (field, message)
    for k, (code, ui, knd) in enumerate(keys):
        unit = unit_list[ui]
        if not code or unit is None or knd is None:
            continue
        st = existing.get(code) or new.get(code)
        if st is None:
            i = int(first[k])
            fields = {f: v[i] for f, v in (extra or {}).items() if v[i] is not None}
            new[code] = Station(code=code, name=names[i] or code, kind=knd, unit=unit, **fields)
        elif st.unit_id != unit.pk:
            bad[k] = ("city", f"station {code} belongs to {st.unit}, not {unit}")
        elif st.kind != knd:
            bad[k] = ("station", f"station {code} is a {st.get_kind_display()} station, not {knd}")
    if bad:
        is_bad = np.zeros(len(keys), dtype=bool)
        is_bad[list(bad)] = True
        for i in np.flatnonzero(is_bad[key_index]):
            p._err(i, *bad[int(key_index[i])])
    p.code_index = (code_list, code_idx)
    return codes, existing, new


def station_pks(codes: np.ndarray, existing: dict, new: dict, code_index=None) -> np.ndarray:
    if new:
        Station.objects.bulk_create(list(new.values()), ignore_conflicts=True)
        for s in Station.objects.filter(code__in=list(new)):
            existing[s.code] = s
    ids = {code: s.pk for code, s in existing.items()}
    uniq, inv = factorize(codes.tolist()) if code_index is None else code_index
    return np.array([ids[c] for c in uniq], dtype=np.int64)[inv] if inv.size else np.array([], dtype=np.int64)
