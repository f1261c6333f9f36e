"""Read replicas: read-only pages read from ``DATABASE_REPLICA_URL`` when it is set (issue 19).

Only code that asks for it reads from the replica: views decorated with :func:`replica_reads` (dashboards, open data,
exports) and blocks inside :func:`reading_from_replica`. Everything else, every write and every read inside a
transaction that writes, goes to the primary. Read-your-writes: a user whose session wrote within the last
``REPLICA_READ_YOUR_WRITES_SECONDS`` (default 30, longer than the replication lag we allow) reads from the primary, so
nobody sees a page without the change they just made. :class:`WriteStampMiddleware` stamps the session on every
unsafe request.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and everything reads from ``default``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
SESSION_KEY = "qp_last_write"
_USE_REPLICA: ContextVar[bool] = ContextVar("qualityplan_use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica(enabled: bool = True) -> Iterator[None]:
    token = _USE_REPLICA.set(bool(enabled) and replica_configured())
    try:
        yield
    finally:
        _USE_REPLICA.reset(token)


def wrote_recently(request) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    stamp = session.get(SESSION_KEY)
    window = float(getattr(settings, "REPLICA_READ_YOUR_WRITES_SECONDS", 30))
    return stamp is not None and time.time() - float(stamp) < window


def replica_reads(view):
    """Decorator for read-only views: their queries go to the replica, unless this user just wrote."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        use_replica = safe and not wrote_recently(request)  # reads the session on the primary
        user = getattr(request, "user", None)
        if use_replica and user is not None:
            bool(user.is_authenticated)  # the signed-in user (and the session) resolved on the primary, first
        with reading_from_replica(use_replica):
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Reads go to the replica only inside :func:`reading_from_replica` and outside an open write transaction."""

    def db_for_read(self, model, **hints):
        if _USE_REPLICA.get() and replica_configured() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class WriteStampMiddleware:
    """Stamp the session after every unsafe request, for read-your-writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        user = getattr(request, "user", None)
        if unsafe and hasattr(request, "session") and user is not None and user.is_authenticated:
            request.session[SESSION_KEY] = time.time()
        return response
