"""Reads of the public app. The portal and open data read only live publications and public activities."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, Q, Sum
from django.http import Http404

from qualityplan.public import kinds
from qualityplan.public.models import Activity, Publication


def live(*, kind: str | None = None):
    qs = Publication.objects.restrict(None, "view")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def live_list(*, kind: str | None = None):
    """Live publications without their (possibly large) snapshots."""
    return live(kind=kind).defer("data").order_by("kind", "-key")


def by_slug(slug: str) -> Publication:
    pub = live().filter(slug=slug).first()
    if pub is None:
        raise Http404
    return pub


def by_item(kind: str, key: str) -> Publication:
    pub = live(kind=kind).filter(key=key).first()
    if pub is None:
        raise Http404
    return pub


def portal_stamp() -> str:
    """A version of everything the portal shows: it changes with every publish, withdrawal and activity change, so
    cached pages keyed by it are never served after an item is withdrawn (two small aggregate queries)."""
    p = Publication.objects.aggregate(
        n=Count("id"),
        live=Count("id", filter=Q(withdrawn_at__isnull=True)),
        last=Max("updated_at"),
        gone=Max("withdrawn_at"),
    )
    a = Activity.objects.aggregate(n=Count("id"), last=Max("updated_at"), v=Sum("version"))
    raw = f"{p['n']}:{p['live']}:{p['last']}:{p['gone']}:{a['n']}:{a['last']}:{a['v']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def last_modified():
    p = Publication.objects.aggregate(last=Max("updated_at"))["last"]
    a = Activity.objects.aggregate(last=Max("updated_at"))["last"]
    values = [v for v in (p, a) if v is not None]
    return max(values) if values else None


def dataset_id(pub: Publication) -> str:
    return f"{pub.kind}-{pub.key}"


def dataset(dataset_id_: str) -> Publication:
    kind, _, key = dataset_id_.partition("-")
    k = kinds.KINDS.get(kind)
    if k is None or k.rows is None or not key:
        raise Http404
    return by_item(kind, key)


def datasets() -> list[Publication]:
    return [p for p in live_list() if kinds.KINDS.get(p.kind) and kinds.KINDS[p.kind].rows is not None]


def office_items(*, user) -> list[dict]:
    """For the office page: every publishable item of every kind, with its live publication (if any)."""
    pubs = {(p.kind, p.key): p for p in live_list()}
    out = []
    for code, k in kinds.KINDS.items():
        for key, label in k.items(user):
            out.append({"kind": code, "kind_label": k.label, "key": key, "label": label, "live": pubs.get((code, key))})
    return out
