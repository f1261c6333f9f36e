"""Reads of the credit archive. Selectors take the requesting ``user`` (data scope through ``restrict``); the
public selectors (``public_*``) take no user and no request: they show only what is in publicity on ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, F, FilteredRelation, Max, Min, Q, Value, When

from qualityplan.core.querysets import VIEW
from qualityplan.credit.choices import EventKind, RepairStatus
from qualityplan.credit.classes import class_rules
from qualityplan.credit.models import PUBLIC_KINDS, CreditEvent, Enterprise, RepairApplication, in_publicity_q

PUBLIC_RESULTS = 20
LONG_MONTHS = 36


def enterprise_list(*, user, q: str = "", region=None):
    qs = Enterprise.objects.restrict(user, VIEW).select_related("region")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(uscc=q.upper()) | Q(name__contains=q) | Q(names__name__contains=q)).distinct()
    if region is not None:
        qs = qs.filter(region=region)
    return qs


def enterprise_timeline(*, user, enterprise: Enterprise):
    return (
        CreditEvent.objects.restrict(user, VIEW)
        .filter(enterprise=enterprise)
        .select_related("unit", "sampling_record", "registry_item", "supervision_item")
        .order_by("-date", "-id")
    )


def enterprise_sampling_records(*, user, enterprise: Enterprise):
    """The enterprise's sampling-inspection records (by USCC; by exact name when it has no code)."""
    from qualityplan.monitoring.models import SamplingRecord

    qs = SamplingRecord.objects.restrict(user, VIEW).select_related("unit")
    if enterprise.uscc:
        return qs.filter(uscc=enterprise.uscc)
    return qs.filter(enterprise__in=list(enterprise.names.values_list("name", flat=True)) or [enterprise.name])


def repair_list(*, user, status: str | None = None):
    qs = RepairApplication.objects.restrict(user, VIEW).select_related("event__enterprise", "unit")
    if status:
        qs = qs.filter(status=status)
    return qs


# Status (set-based) ---------------------------------------------------------------------------------------------


def _failing_since(as_of: dt.date, months: int) -> dt.date:
    return as_of - relativedelta(months=months) + dt.timedelta(days=1)


def status_queryset(*, user, as_of: dt.date, uscc: str | None = None):
    """Every enterprise (in scope) with its facts, class, blacklist and abnormal state as of ``as_of``: one SQL
    query (a LEFT JOIN on the events relevant that day, grouped by enterprise), no per-firm Python."""
    rules = class_rules()
    since = _failing_since(as_of, rules.failing_sample_months)
    live = in_publicity_q(as_of, "act__")
    relevant = in_publicity_q(as_of, "events__") | Q(
        events__kind=EventKind.SAMPLE_FAIL, events__starts_on__gte=since, events__starts_on__lte=as_of
    )
    qs = Enterprise.objects.restrict(user, VIEW)
    if uscc:
        qs = qs.filter(uscc=uscc.strip().upper())
    penalty = Q(act__kind=EventKind.PENALTY) & live
    blacklist = Q(act__kind=EventKind.BLACKLIST_IN) & live
    # values("id") first: GROUP BY the primary key only (SQLite then walks it in order, no temporary sort)
    qs = (
        qs.annotate(act=FilteredRelation("events", condition=relevant))
        .values("id")
        .annotate(
            ent_uscc=Min("uscc"),
            ent_name=Min("name"),
            blacklisted=Count("act", filter=blacklist),
            severe_penalties=Count("act", filter=penalty & Q(act__severe=True)),
            long_penalties=Count("act", filter=penalty & Q(act__months__gte=LONG_MONTHS)),
            penalties=Count("act", filter=penalty),
            abnormal=Count("act", filter=Q(act__kind=EventKind.ABNORMAL_IN) & live),
            failing_samples=Count(
                "act", filter=Q(act__kind=EventKind.SAMPLE_FAIL, act__starts_on__gte=since, act__starts_on__lte=as_of)
            ),
            blacklist_until=Max("act__last_day", filter=blacklist),
            early_removal_from=Max("act__repair_from", filter=blacklist),
        )
    )
    whens = [When(**{f"{r.fact}__gte": r.min}, then=Value(r.klass)) for r in rules.rules]
    return qs.annotate(
        credit_class=Case(*whens, default=Value(rules.default_class), output_field=CharField())
    ).order_by("id")


STATUS_FIELDS = (
    "id",
    "ent_uscc",
    "ent_name",
    "credit_class",
    "blacklisted",
    "blacklist_until",
    "early_removal_from",
    "abnormal",
    "severe_penalties",
    "long_penalties",
    "penalties",
    "failing_samples",
)


def published_penalties(*, user, as_of: dt.date, uscc: str | None = None):
    """Penalties in publicity on ``as_of``: decision number, last day of publicity, first day a repair may be
    applied for (``None`` when not repairable)."""
    qs = CreditEvent.objects.restrict(user, VIEW).filter(in_publicity_q(as_of), kind=EventKind.PENALTY)
    if uscc:
        qs = qs.filter(enterprise__uscc=uscc.strip().upper())
    return qs.order_by("enterprise_id", "starts_on", "id")


def status_rows(*, user, as_of: dt.date, uscc: str | None = None, chunk: int = 20000) -> Iterator[dict]:
    """Rows of ``credit status`` (streamed): per enterprise its class with reasons, list states and published
    penalties. Two queries in all (status and penalties), merged in enterprise order."""
    rules = class_rules()
    pens = published_penalties(user=user, as_of=as_of, uscc=uscc).values_list(
        "enterprise_id", "decision_no", "last_day", "repair_from"
    )
    pen_iter = iter(pens.iterator(chunk_size=chunk))
    pending = next(pen_iter, None)
    for row in status_queryset(user=user, as_of=as_of, uscc=uscc).values(*STATUS_FIELDS).iterator(chunk_size=chunk):
        own = []
        while pending is not None and pending[0] <= row["id"]:
            if pending[0] == row["id"]:
                own.append(
                    {
                        "decision_no": pending[1],
                        "publicity_until": pending[2],
                        "repair_from": pending[3],
                    }
                )
            pending = next(pen_iter, None)
        klass, reasons = rules.classify(row)
        yield {
            "uscc": row["ent_uscc"],
            "name": row["ent_name"],
            "class": row["credit_class"],
            "blacklisted": row["blacklisted"] > 0,
            "blacklist_until": row["blacklist_until"],
            "early_removal_from": row["early_removal_from"],
            "abnormal": row["abnormal"] > 0,
            "reasons": reasons,
            "sampling": rules.sampling_suggestion(row["credit_class"])["text"],
            "penalties": own,
        }


def enterprise_status(*, user, enterprise: Enterprise, as_of: dt.date) -> dict:
    row = status_queryset(user=user, as_of=as_of).filter(pk=enterprise.pk).values(*STATUS_FIELDS).first() or {}
    rules = class_rules()
    klass, reasons = rules.classify(row)
    return {
        "class": klass,
        "reasons": reasons,
        "blacklisted": bool(row.get("blacklisted")),
        "blacklist_until": row.get("blacklist_until"),
        "early_removal_from": row.get("early_removal_from"),
        "abnormal": bool(row.get("abnormal")),
        "sampling": rules.sampling_suggestion(klass),
    }


# Public (no sign-in; no request objects: the portal reuses these) --------------------------------------------


def public_events(*, as_of: dt.date):
    """What the public may see on ``as_of``: penalties in their publicity, current list memberships."""
    return (
        CreditEvent.objects.restrict(None, VIEW)
        .filter(in_publicity_q(as_of), kind__in=PUBLIC_KINDS)
        .select_related("enterprise", "enterprise__region")
    )


def public_search(*, q: str, as_of: dt.date) -> list[dict]:
    """Search by USCC (exact) or name (contains, current or former); at most ``PUBLIC_RESULTS`` enterprises, each
    with only what is in publicity on ``as_of``."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    ents = list(
        Enterprise.objects.restrict(None, VIEW)
        .filter(Q(uscc=q.upper()) | Q(name__contains=q) | Q(names__name__contains=q))
        .distinct()
        .select_related("region")
        .order_by("name", "id")[:PUBLIC_RESULTS]
    )
    events = public_events(as_of=as_of).filter(enterprise__in=ents).order_by("kind", "-starts_on")
    by_ent: dict[int, list] = {e.id: [] for e in ents}
    for ev in events:
        by_ent[ev.enterprise_id].append(ev)
    return [{"enterprise": e, "items": by_ent[e.id]} for e in ents]


def public_blacklist(*, as_of: dt.date):
    """The 严重违法失信名单 as published on ``as_of`` (open data)."""
    return (
        public_events(as_of=as_of)
        .filter(kind=EventKind.BLACKLIST_IN)
        .order_by("enterprise__name", "starts_on")
        .annotate(ent_name=F("enterprise__name"), ent_uscc=F("enterprise__uscc"))
    )


__all__ = [
    "RepairStatus",
    "enterprise_list",
    "enterprise_sampling_records",
    "enterprise_status",
    "enterprise_timeline",
    "public_blacklist",
    "public_events",
    "public_search",
    "published_penalties",
    "repair_list",
    "status_queryset",
    "status_rows",
]
