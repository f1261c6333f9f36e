"""Role primitives every app's ``policies`` module builds on (one function per question, no HTTP in here).

Data scope (which rows) stays with ``Model.objects.restrict(user, action)``; policies answer "may this user do
this action" and are used alike by web views, API permission classes and the CLI.
"""

from __future__ import annotations

READ_ALL_ROLES = ("viewer", "inspector")


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_office(user) -> bool:
    return is_signed_in(user) and bool(getattr(user, "is_office", False))


def is_reporter(user) -> bool:
    return is_signed_in(user) and bool(getattr(user, "is_reporter", False))


def reads_everything(user) -> bool:
    """Office, viewer and inspector read every unit's data; reporters only their own unit's."""
    return is_office(user) or (is_signed_in(user) and getattr(user, "role", None) in READ_ALL_ROLES)


def is_own_unit(user, unit_id) -> bool:
    return is_signed_in(user) and user.unit_id is not None and user.unit_id == unit_id


def can_write_api(user) -> bool:
    """Viewer and inspector never write (or import) through the API; everyone else subject to data scope."""
    return is_office(user) or is_reporter(user)


def cli_user(username: str | None, allowed) -> object | None:
    """The user a CLI command acts as (``--as USERNAME``), checked with the same policy as the web and the API.

    None without ``--as`` (the server operator, logged as ``system``); ``PermissionError`` when refused.
    """
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    if user is None:
        raise PermissionError(f"unknown or inactive user {username!r}")
    if not allowed(user):
        raise PermissionError(f"{username} may not do this ({allowed.__name__})")
    return user
