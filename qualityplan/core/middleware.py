"""Keeps the requesting user in a context variable so the audit log can say who changed what."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

_current_user: contextvars.ContextVar = contextvars.ContextVar("qualityplan_current_user", default=None)


def get_current_user():
    user = _current_user.get()
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def set_current_user(user) -> None:
    """Name ``user`` as the actor for the rest of the request (API token authentication happens after the
    middleware ran; :class:`CurrentUserMiddleware` restores the previous value when the request ends)."""
    _current_user.set(user)


@contextmanager
def acting_as(user):
    """Attribute changes made inside the block to ``user`` (CLI imports, jobs, tests)."""
    token = _current_user.set(user)
    try:
        yield
    finally:
        _current_user.reset(token)


class CurrentUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _current_user.reset(token)
