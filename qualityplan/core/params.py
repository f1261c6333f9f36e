"""Query parameters of API list endpoints read by hand (no filterset): checked, never cut or guessed."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def query_text(params, name: str, *, max_length: int, choices: Iterable[str] | None = None) -> str:
    """``params[name]`` stripped, or ""; longer than ``max_length`` or not one of ``choices`` is a 400 naming it."""
    value = params.get(name, "").strip()
    if len(value) > max_length:
        raise ValidationError({name: [_("不能超过 %(n)s 个字符。") % {"n": max_length}]})
    if value and choices is not None and value not in set(choices):
        raise ValidationError({name: [_("无效的取值：%(v)s") % {"v": value}]})
    return value
