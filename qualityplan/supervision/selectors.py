"""Reads for 督查督办, scoped: a unit sees the items where it is 主办 or 协办; the office sees all."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from qualityplan.supervision.models import Notice, SupervisionItem


def item_list(*, user, filters: dict | None = None) -> QuerySet[SupervisionItem]:
    qs = SupervisionItem.objects.restrict(user)
    if "__" in SupervisionItem.scope_unit_field and not (user.is_authenticated and user.is_office):
        # restrict() adds DISTINCT for the multi-valued path; re-select by id to keep ordering/annotations simple
        qs = SupervisionItem.objects.filter(id__in=qs.values("id"))
    qs = qs.select_related("lead_unit")
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("unit"):
        qs = qs.filter(assignments__unit_id=filters["unit"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(number__icontains=filters["q"]))
    return qs.order_by("-year", "-seq")


def item_get(*, user, pk: int) -> SupervisionItem | None:
    return item_list(user=user).filter(pk=pk).first()


def notice_list(*, user, filters: dict | None = None) -> QuerySet[Notice]:
    qs = Notice.objects.filter(item_id__in=item_list(user=user).values("id")).select_related("item", "unit")
    filters = filters or {}
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.order_by("-issued_on", "-id")
