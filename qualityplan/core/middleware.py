"""Keeps the requesting user in a context variable so the audit log can say who changed what.

The middleware stores the *request*, not the user: DRF authenticates inside the view (token, session), after every
middleware has run, and then sets ``request.user`` on the underlying Django request. Reading the user lazily at
log time therefore names the token's user as well as the session's.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.http import HttpRequest

_current: contextvars.ContextVar = contextvars.ContextVar("qualityplan_current_actor", default=None)


def get_current_user():
    value = _current.get()
    user = getattr(value, "user", None) if isinstance(value, HttpRequest) else value
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def set_current_user(user) -> None:
    """Name ``user`` as the actor for the rest of the request (API token authentication happens after the
    middleware ran; :class:`CurrentUserMiddleware` restores the previous value when the request ends)."""
    value = _current.get()
    if isinstance(value, HttpRequest):
        value.user = user  # keep the request (its address is logged too)
    else:
        _current.set(user)


def get_current_request() -> HttpRequest | None:
    value = _current.get()
    return value if isinstance(value, HttpRequest) else None


@contextmanager
def acting_as(user):
    """Attribute changes made inside the block to ``user`` (CLI imports, jobs, tests)."""
    token = _current.set(user)
    try:
        yield
    finally:
        _current.reset(token)


class CurrentUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
