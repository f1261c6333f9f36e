"""Roles live in :mod:`qualityplan.core.roles` (the data scope in core needs them); kept here for imports."""

from qualityplan.core.roles import Role

__all__ = ["Role"]
