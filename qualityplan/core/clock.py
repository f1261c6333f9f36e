"""The one clock: every "today" and "now" in qualityplan comes from here.

Production reads the real date. A deployment (the demo, a training system, a test) can pin the date with the
``QUALITYPLAN_TODAY`` setting (environment variable of the same name, ``YYYY-MM-DD``): ``today()`` then returns that
date and ``now()`` that date at the current local time of day, so that time still moves forward within the day.

Nothing else in the code base reads the system date (a test in core checks the sources).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def pinned_today() -> dt.date | None:
    """The pinned date, or None when the platform follows the real calendar."""
    value = getattr(settings, "QUALITYPLAN_TODAY", None)
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def now() -> dt.datetime:
    """The current moment (aware, in the project's time zone), on the pinned date when one is set."""
    real = timezone.localtime()
    pinned = pinned_today()
    if pinned is None:
        return real
    return real.replace(year=pinned.year, month=pinned.month, day=pinned.day)


def today() -> dt.date:
    """Today's date: the pinned date when one is set, else the real local date."""
    pinned = pinned_today()
    return pinned if pinned is not None else timezone.localdate()


def current_year() -> int:
    return today().year
