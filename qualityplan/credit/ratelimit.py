"""Rate limit of the public credit query (web page, CSV and API alike)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from qualityplan.core import clock


def public_rate() -> tuple[int, int]:
    """``CREDIT_PUBLIC_RATE`` = (requests, seconds) per client address; default 30 per minute."""
    return tuple(getattr(settings, "CREDIT_PUBLIC_RATE", (30, 60)))


def public_rate_limited(request) -> bool:
    """Count this request in the client's fixed window; True when over the limit."""
    limit, window = public_rate()
    slot = int(clock.now().timestamp()) // window
    key = f"credit-public:{request.META.get('REMOTE_ADDR', '') or 'unknown'}:{slot}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    return count > limit
