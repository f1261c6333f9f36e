"""Reads for 12345 work orders, scoped: a unit sees the orders it handles (主办) or helps with (协办); the hotline
agents and the office see all (``WorkOrder.objects.restrict``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet

from qualityplan.hotline.choices import Status
from qualityplan.hotline.models import DispatchRule, OrderNotice, WorkOrder

DUPLICATE_WINDOW_DAYS = 30


def order_list(*, user, filters: dict | None = None) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.restrict(user)
    if not (user.is_authenticated and (user.is_office or getattr(user, "role", None) == "hotline")):
        qs = WorkOrder.objects.filter(id__in=qs.values("id"))  # restrict() adds DISTINCT for the M2M path
    qs = qs.select_related("lead_unit", "region")
    filters = filters or {}
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("subject"):
        qs = qs.filter(subject=filters["subject"])
    if filters.get("unit"):
        qs = qs.filter(lead_unit_id=filters["unit"])
    if filters.get("open"):
        qs = qs.filter(status__in=Status.open())
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(enterprise_name__icontains=q))
    return qs.order_by("-received_at", "-id")


def order_get(*, user, pk: int) -> WorkOrder | None:
    return order_list(user=user).filter(pk=pk).first()


def order_duplicates(*, user, order: WorkOrder, days: int | None = None) -> QuerySet[WorkOrder]:
    """Proposals for 并单: the same caller (phone) and subject, or the same enterprise (USCC) and subject, received
    within ``days`` (setting ``HOTLINE_DUPLICATE_DAYS``, default 30) before or after this order."""
    days = days or getattr(settings, "HOTLINE_DUPLICATE_DAYS", DUPLICATE_WINDOW_DAYS)
    window = dt.timedelta(days=days)
    same = Q()
    if order.caller_phone:
        same |= Q(caller_phone=order.caller_phone)
    if order.enterprise_uscc:
        same |= Q(enterprise_uscc=order.enterprise_uscc)
    if not same:
        return WorkOrder.objects.none()
    return (
        order_list(user=user)
        .filter(same, subject=order.subject)
        .filter(received_at__gte=order.received_at - window, received_at__lte=order.received_at + window)
        .exclude(pk=order.pk)
        .exclude(status=Status.MERGED)
    )


def notice_list(*, user, filters: dict | None = None) -> QuerySet[OrderNotice]:
    qs = OrderNotice.objects.filter(order_id__in=order_list(user=user).values("id")).select_related("order", "unit")
    if (filters or {}).get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.order_by("-issued_on", "-id")


def catalogue_list(*, user) -> QuerySet[DispatchRule]:
    return (
        DispatchRule.objects.restrict(user).select_related("region", "lead_unit").prefetch_related("cooperating_units")
    )
