"""One policy function per action of the public app (web, API and CLI alike)."""

from __future__ import annotations


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_publish(user) -> bool:
    """Publish, refresh or withdraw an item of the portal: the office (it decides what the public sees and when)."""
    return _signed_in(user) and bool(getattr(user, "is_office", False))


def can_manage_activity(user) -> bool:
    """Enter or change a publicity activity of the calendar: the office."""
    return can_publish(user)
