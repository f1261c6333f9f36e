"""Evidence of work on a measure that higher apps keep (e.g. the public app's publicity activities).

Plans is a low layer and never imports them: each provider registers itself in its ``AppConfig.ready()`` with
:func:`register`; the measure page lists what :func:`for_measure` returns. A provider takes ``(measure, user)`` and
returns dicts ``{"date", "title", "detail", "url", "source"}`` visible to that user.
"""

from __future__ import annotations

from collections.abc import Callable

_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def for_measure(measure, user) -> list[dict]:
    rows = [row for provider in _PROVIDERS for row in provider(measure, user)]
    return sorted(rows, key=lambda r: (r["date"], r["title"]))
