"""Generic write helpers used by every app's services (HackSoft ``model_update``)."""

from __future__ import annotations

from django.db import models


def model_update(*, instance: models.Model, fields: list[str], data: dict) -> tuple[models.Model, bool]:
    """Set ``fields`` from ``data`` (only keys present), validate and save the changed fields only."""
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        instance.full_clean()
        update_fields = changed + (["updated_at"] if hasattr(instance, "updated_at") else [])
        instance.save(update_fields=update_fields)
    return instance, bool(changed)
