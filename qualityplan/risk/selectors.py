"""Reads of the risk module; every list goes through ``restrict(user, "view")``."""

from __future__ import annotations

from django.db.models import Count, Q

from qualityplan.core import clock
from qualityplan.core.querysets import VIEW
from qualityplan.risk.choices import DisposalStatus, Stage
from qualityplan.risk.models import Disposal, Risk


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
