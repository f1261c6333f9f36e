"""Feed a 12345 KPI into an indicator as computed values (``indicators.ComputedValue``): one per city/county or unit
and one for the province, for a year — e.g. a "12345 质量类工单满意率" indicator the office defines."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from qualityplan.core.audit import log_bulk
from qualityplan.hotline.kpi import kpi_rows, rate

# metric -> (numerator field, denominator field) of ``KpiRow``
FRACTIONS = {
    "sign_rate": ("signed_in_time", "dispatched"),
    "on_time_rate": ("closed_in_time", "due"),
    "close_rate": ("closed", "dispatched"),
    "first_time_rate": ("closed_first_time", "closed"),
    "satisfaction_rate": ("satisfied", "rated"),
    "resolution_rate": ("resolved", "rated"),
}


@transaction.atomic
def hotline_indicator_refresh(*, indicator, year: int, metric: str = "satisfaction_rate", by: str = "region",
                              as_of: dt.date | None = None) -> int:  # fmt: skip
    """Replace ``indicator``'s values for ``year`` with the hotline KPI ``metric``; returns the number written."""
    from qualityplan.indicators.models import ComputedValue

    if metric not in FRACTIONS:
        raise ValueError(f"unknown metric {metric!r}")
    num_f, den_f = FRACTIONS[metric]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = [r for r in kpi_rows(date_from=start, date_to=end, by=by, as_of=as_of) if r.key is not None]
    total_num = sum(getattr(r, num_f) for r in rows)
    total_den = sum(getattr(r, den_f) for r in rows)
    basis = f"12345热线工单 {metric}（{start}–{end}，按{'市县' if by == 'region' else '承办单位'}）"
    values = [(r.key, getattr(r, num_f), getattr(r, den_f)) for r in rows] + [(None, total_num, total_den)]
    ComputedValue.objects.filter(indicator=indicator, period=str(year)).delete()
    ComputedValue.objects.bulk_create(
        [
            ComputedValue(
                indicator=indicator,
                unit_id=unit_id,
                period=str(year),
                period_start=start,
                period_end=end,
                value=None if rate(num, den) is None else float(rate(num, den)),
                numerator=num,
                denominator=den,
                basis=basis[:300],
                provenance={"source": "hotline", "metric": metric, "by": by},
            )
            for unit_id, num, den in values
        ]
    )
    log_bulk(ComputedValue, action="update", summary={"title": f"{indicator} ← {basis}", "rows": len(values)})
    return len(values)
