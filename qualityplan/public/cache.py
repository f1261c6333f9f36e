"""Caching, conditional requests and the rate limit of the public pages.

Every cached response is keyed by :func:`~qualityplan.public.selectors.portal_stamp` (which changes with every publish
and withdrawal), the full path and the language. The stamp itself is kept in the cache for ``PUBLIC_STAMP_SECONDS``
(default 10) so that a cache hit touches no database at all; the services drop it on every publish, withdrawal and
activity change, so a withdrawn item is gone from the next request of this process (and of every process when the
cache is shared, ``CACHE_URL``), and from other processes' own memory caches within ``PUBLIC_STAMP_SECONDS``.
Responses carry a strong ``ETag`` (hash of the body) and ``Last-Modified``; ``If-None-Match`` gets a 304.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import get_language

from qualityplan.core import clock
from qualityplan.public import selectors

TIMEOUT = 600
STAMP_KEY = "public-stamp"


def current_stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = selectors.portal_stamp()
        seconds = float(getattr(settings, "PUBLIC_STAMP_SECONDS", 10))
        if seconds > 0:
            cache.set(STAMP_KEY, stamp, seconds)
    return stamp


def stamp_reset() -> None:
    """Called by the services after every change of what the portal shows."""
    cache.delete(STAMP_KEY)


def rate() -> tuple[int, int]:
    """``PUBLIC_RATE`` = (requests, seconds) per client address; default 300 per minute."""
    return tuple(getattr(settings, "PUBLIC_RATE", (300, 60)))


def rate_limited(request) -> bool:
    limit, window = rate()
    if not limit:
        return False
    slot = int(clock.now().timestamp()) // window
    key = f"public-rate:{request.META.get('REMOTE_ADDR', '') or 'unknown'}:{slot}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:
        return False


def too_many(request):
    response = render(request, "public/limited.html", status=429)
    response["Retry-After"] = str(rate()[1])
    return response


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    return any(t.strip().removeprefix("W/") in (etag, "*") for t in header.split(","))


def public_page(view):
    """Rate-limit, then serve ``view`` from the cache (keyed by the portal stamp) with ETag and Last-Modified."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if rate_limited(request):
            return too_many(request)
        stamp = current_stamp()
        raw = f"{stamp}:{get_language()}:{request.get_full_path()}"
        key = "public-page:" + hashlib.sha256(raw.encode()).hexdigest()
        hit = cache.get(key)
        if hit is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            response.render() if hasattr(response, "render") and not response.is_rendered else None
            modified = selectors.last_modified()
            hit = {
                "body": response.content,
                "headers": {
                    k: v
                    for k, v in response.items()
                    if k.lower() in ("content-type", "content-disposition", "content-language")
                },
                "etag": _etag(response.content),
                "last_modified": http_date(modified.timestamp()) if modified else None,
            }
            cache.set(key, hit, TIMEOUT)
        if _matches(request.headers.get("If-None-Match", ""), hit["etag"]):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(hit["body"])
            for k, v in hit["headers"].items():
                response[k] = v
        response["ETag"] = hit["etag"]
        if hit["last_modified"]:
            response["Last-Modified"] = hit["last_modified"]
        response["Cache-Control"] = "public, max-age=60"
        response["Vary"] = "Accept-Language, Cookie"
        return response

    return wrapper
