"""Kept for imports of ``PASSWORD``; the shared fixtures live in :mod:`qualityplan.testing` (loaded by ./conftest.py)."""

from qualityplan.testing import PASSWORD

__all__ = ["PASSWORD"]
