"""KPIs of 12345 handling per unit (主办) or per city/county (region) and period — one grouped query.

Population: orders received in ``[date_from, date_to]`` (local dates) that were dispatched to a unit (direct answers
and merged orders are not the units' work). ``as_of`` (default: the earlier of ``date_to`` and today) is the cut-off.

* 签收及时率 = signed by the 签收 deadline / dispatched
* 按时办结率 = closed by the deadline (incl. an approved extension) / due (deadline ≤ as_of, or closed by as_of)
* 办结率 = closed / dispatched
* 一次性办结率 = closed without 退单 or 重办 / closed
* 满意率 = (非常满意 + 满意 + 基本满意) / 参评 (only orders whose caller rated)
* 解决率 = rated "已解决" / 参评
* 平均办理时长 = mean working hours from dispatch to 办结 (closed orders)

Rates are percentages with two decimals (``None`` when the denominator is 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from qualityplan.core import clock
from qualityplan.hotline.choices import Satisfaction, Status
from qualityplan.hotline.models import WorkOrder

METRICS = [
    ("sign_rate", "签收及时率"),
    ("on_time_rate", "按时办结率"),
    ("close_rate", "办结率"),
    ("first_time_rate", "一次性办结率"),
    ("satisfaction_rate", "满意率"),
    ("resolution_rate", "解决率"),
    ("avg_hours", "平均办理时长（工作小时）"),
]


@dataclass
class KpiRow:
    key: int | None
    code: str
    name: str
    dispatched: int
    signed_in_time: int
    due: int
    closed_in_time: int
    closed: int
    closed_first_time: int
    rated: int
    satisfied: int
    resolved: int
    sign_rate: Decimal | None
    on_time_rate: Decimal | None
    close_rate: Decimal | None
    first_time_rate: Decimal | None
    satisfaction_rate: Decimal | None
    resolution_rate: Decimal | None
    avg_hours: Decimal | None

    def as_dict(self) -> dict:
        d = asdict(self)
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in d.items()}


def rate(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min), tz)
    hi = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), tz)
    return lo, hi


def population(date_from: dt.date, date_to: dt.date):
    lo, hi = _bounds(date_from, date_to)
    return WorkOrder.objects.filter(received_at__gte=lo, received_at__lt=hi, dispatched_on__isnull=False).exclude(
        status=Status.MERGED
    )


def kpi_rows(
    *,
    date_from: dt.date,
    date_to: dt.date,
    by: str = "unit",
    unit_ids: list[int] | None = None,
    as_of: dt.date | None = None,
    queryset=None,
) -> list[KpiRow]:
    """One row per unit (``by="unit"``: the 主办 unit; ``by="region"``: the city/county) plus nothing else."""
    as_of = as_of or min(date_to, clock.today())
    key = "lead_unit" if by == "unit" else "region"
    qs = queryset if queryset is not None else population(date_from, date_to)
    if unit_ids is not None:
        qs = qs.filter(**{f"{key}_id__in": unit_ids})
    closed = Q(closed_on__isnull=False, closed_on__lte=as_of)
    rated = Q(satisfaction__gt="")
    rows = (
        qs.order_by()
        .values(f"{key}_id", f"{key}__code", f"{key}__name")
        .annotate(
            dispatched=Count("id"),
            signed_in_time=Count("id", filter=Q(signed_on__isnull=False, signed_on__lte=F("sign_deadline"))),
            due=Count("id", filter=Q(deadline__lte=as_of) | closed),
            closed_in_time=Count("id", filter=closed & Q(closed_on__lte=F("deadline"))),
            closed=Count("id", filter=closed),
            closed_first_time=Count("id", filter=closed & Q(return_count=0, redo_count=0)),
            rated=Count("id", filter=rated),
            satisfied=Count("id", filter=Q(satisfaction__in=Satisfaction.satisfied())),
            resolved=Count("id", filter=rated & Q(resolved=True)),
            avg=Avg("handling_hours", filter=closed & Q(handling_hours__isnull=False)),
        )
        .order_by(f"{key}__code")
    )
    out = []
    for r in rows:
        avg = r["avg"]
        out.append(
            KpiRow(
                key=r[f"{key}_id"],
                code=r[f"{key}__code"] or "",
                name=r[f"{key}__name"] or "（未定）",
                dispatched=r["dispatched"],
                signed_in_time=r["signed_in_time"],
                due=r["due"],
                closed_in_time=r["closed_in_time"],
                closed=r["closed"],
                closed_first_time=r["closed_first_time"],
                rated=r["rated"],
                satisfied=r["satisfied"],
                resolved=r["resolved"],
                sign_rate=rate(r["signed_in_time"], r["dispatched"]),
                on_time_rate=rate(r["closed_in_time"], r["due"]),
                close_rate=rate(r["closed"], r["dispatched"]),
                first_time_rate=rate(r["closed_first_time"], r["closed"]),
                satisfaction_rate=rate(r["satisfied"], r["rated"]),
                resolution_rate=rate(r["resolved"], r["rated"]),
                avg_hours=None if avg is None else Decimal(str(avg)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            )
        )
    return out


def kpi_for_user(*, user, date_from: dt.date, date_to: dt.date, by: str = "unit", unit_ids=None) -> list[KpiRow]:
    """KPIs of the orders ``user`` may see (a unit: its own rows; the hotline and the office: all)."""
    from qualityplan.hotline.selectors import order_list

    lo, hi = _bounds(date_from, date_to)
    qs = order_list(user=user).filter(received_at__gte=lo, received_at__lt=hi, dispatched_on__isnull=False)
    qs = qs.exclude(status=Status.MERGED)
    if not (user.is_office or getattr(user, "role", None) == "hotline") and by == "unit":
        qs = qs.filter(lead_unit_id=user.unit_id)
    return kpi_rows(date_from=date_from, date_to=date_to, by=by, unit_ids=unit_ids, queryset=qs)
