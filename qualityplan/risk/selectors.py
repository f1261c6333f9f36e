"""Reads of the risk module; every list goes through ``restrict(user, "view")``."""

from __future__ import annotations

from django.db.models import Count, F, Q

from qualityplan.core import clock
from qualityplan.core.querysets import VIEW
from qualityplan.risk.choices import DisposalStatus, Stage
from qualityplan.risk.models import AutoOpenRule, Disposal, Risk


def risk_list(*, user, stage: str = "", level: str = "", q: str = ""):
    qs = Risk.objects.restrict(user, VIEW).select_related("unit", "region")
    if stage:
        qs = qs.filter(stage=stage)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(number__icontains=q) | Q(enterprise_name__icontains=q) | Q(uscc=q.upper())
        )
    return qs


def auto_open_rule(*, user) -> AutoOpenRule:
    """The office's automatic-opening threshold (reference data, read by every signed-in user); an unsaved row with
    the defaults — automatic opening off — when the seeded row is missing (a flushed database)."""
    return AutoOpenRule.objects.restrict(user, VIEW).filter(pk=1).first() or AutoOpenRule(pk=1)


def risk_detail(*, user, pk: int) -> Risk | None:
    return Risk.objects.restrict(user, VIEW).select_related("unit", "region", "enterprise").filter(pk=pk).first()


def disposal_list(*, user, overdue: bool = False):
    qs = Disposal.objects.restrict(user, VIEW).select_related("risk", "owner")
    if overdue:
        qs = qs.filter(status=DisposalStatus.OPEN, due_on__lt=clock.today())
    return qs


def open_by_level(*, user) -> dict:
    rows = (
        Risk.objects.restrict(user, VIEW)
        .exclude(stage=Stage.CLOSED)
        .values("level")
        .annotate(n=Count("id"))
        .order_by("level")
    )
    return {r["level"] or "-": r["n"] for r in rows}


def open_by_region(*, user) -> list[dict]:
    """Open risks per city/county (the risk's region, else its handling unit) for the map: every local-government
    unit, with the count by level (``"-"``: not yet graded)."""
    from qualityplan.orgs.selectors import local_government_units

    by = {
        u.id: {"name": u.name, "code": u.code, "value": 0, "levels": {}}
        for u in local_government_units().order_by("sort_order", "code")
    }
    rows = (
        Risk.objects.restrict(user, VIEW)
        .exclude(stage=Stage.CLOSED)
        .values("region_id", "unit_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        cell = by.get(row["region_id"]) or by.get(row["unit_id"])
        if cell is None:
            continue  # a province department's risk without a region
        level = row["level"] or "-"
        cell["value"] += row["n"]
        cell["levels"][level] = cell["levels"].get(level, 0) + row["n"]
    return list(by.values())


def risk_loop(*, user, risk: Risk) -> dict:
    """One case end to end: source → 研判 → disposal → targeted sampling results → credit events."""
    from qualityplan.credit.models import CreditEvent

    links = list(risk.sample_links.select_related("sampling_record", "sampling_record__unit", "disposal"))
    sample_ids = [link.sampling_record_id for link in links]
    events = CreditEvent.objects.restrict(user, VIEW).select_related("enterprise")
    events = events.filter(Q(sampling_record_id__in=sample_ids) | Q(enterprise_id=risk.enterprise_id)).distinct()
    return {
        "reviews": list(risk.reviews.order_by("reviewed_on", "id")),
        "disposals": list(risk.disposals.select_related("owner", "supervision_item")),
        "samples": links,
        "credit_events": list(events.order_by("date", "id")) if sample_ids or risk.enterprise_id else [],
    }


def bulletin_data(*, user, year: int, month: int):
    """The monthly risk bulletin's data (``reports.risk_bulletin``): risks in the user's scope, signals of the month."""
    import calendar
    import datetime as dt

    from qualityplan.reports.gbt9704 import Imprint
    from qualityplan.reports.risk_bulletin import BulletinRisk, BulletinSignal, RiskBulletin
    from qualityplan.risk.detection import scan

    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    risks = Risk.objects.restrict(user, VIEW).select_related("region")
    new = risks.filter(received_on__range=(first, last)).order_by("received_on", "number")
    open_at_end = risks.filter(received_on__lte=last).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=last))
    by_level: dict[str, int] = {}
    for row in open_at_end.values("level").annotate(n=Count("id")).order_by():
        by_level[row["level"] or "-"] = row["n"]
    overdue = (
        Disposal.objects.restrict(user, VIEW)
        .select_related("risk", "owner")
        .filter(due_on__lt=last, assigned_on__lte=last)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=F("due_on")))
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=first))
        .order_by("due_on", "id")
    )
    signals = [s for s in scan(year=year, period=f"{year}-{month:02d}") if s.rule in ("above_3sigma", "exact_binomial")]
    return RiskBulletin(
        year=year,
        month=month,
        doc_number=f"琼质险〔{year}〕{month}号",
        date_text=f"{year}年{month + 1}月" if month < 12 else f"{year + 1}年1月",
        open_by_level=by_level,
        new_risks=[
            BulletinRisk(r.number, r.title, r.region.name if r.region else "", r.level, r.get_stage_display())
            for r in new
        ],
        closed=risks.filter(closed_on__range=(first, last)).count(),
        signals=[
            BulletinSignal(s.category, s.unit, s.failed, s.total, s.rate, s.province_rate, s.rule) for s in signals
        ],
        overdue=[(d.risk.number, d.get_kind_display(), d.owner.name, d.due_on.isoformat()) for d in overdue],
        imprint=Imprint(
            cc="省质量强省建设协调推进工作领导小组各成员单位",
            printer="省质量强省工作领导小组办公室",
            printed_on=f"{clock.today():%Y年%m月%d日}",
        ),  # fmt: skip
    )
