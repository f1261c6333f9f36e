"""Exceptions raised by :mod:`qualityplan.standards`.

Every error is a :class:`ValueError` subclass, so callers that only know the standard Python
contract (``except ValueError``) keep working.
"""

from __future__ import annotations


class StandardsError(ValueError):
    """Base class: an unknown item, pollutant, zone, edition, or an invalid input value."""


class UnknownItemError(StandardsError):
    """An item / pollutant / zone / period key that the standard does not define."""


class UnknownEditionError(StandardsError):
    """A ``standard=`` / edition string that is not implemented."""


class InvalidValueError(StandardsError):
    """An input value the standard cannot evaluate (e.g. a negative concentration)."""


class UnknownCalendarYearError(StandardsError):
    """A date in a year for which no statutory holiday schedule is known (see ``workdays``)."""
