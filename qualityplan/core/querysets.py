"""The one place data scope is decided (NetBox ``RestrictedQuerySet.restrict`` pattern)."""

from __future__ import annotations

from django.db import models

VIEW = "view"
CHANGE = "change"


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        """Rows ``user`` may see (``action="view"``) or write (``action="change"``).

        * anonymous: only rows matching the model's ``scope_public`` on view; nothing on change;
        * office admin / superuser: everything;
        * viewer and inspector: read everything; inspectors write only inspection records
          (models that set ``scope_inspector_writes = True``); viewers write nothing;
        * 12345 hotline agents: all rows of models that set ``scope_hotline_all = True``; reference data read-only;
        * reporters: reference data (``scope_unit_field is None``) read-only; unit-owned rows of their unit.
        """
        from qualityplan.core.roles import Role

        model = self.model
        if user is None or not user.is_authenticated:
            public = getattr(model, "scope_public", None)
            if action == VIEW and public is not None:
                return self.filter(public)
            return self.none()
        if user.is_superuser or getattr(user, "role", None) == Role.OFFICE:
            return self
        unit_field = getattr(model, "scope_unit_field", None)
        role = getattr(user, "role", None)
        if role == Role.HOTLINE:  # the 12345 agents: every row of the hotline's own models, reference data read-only
            if getattr(model, "scope_hotline_all", False):
                return self
            return self if (action == VIEW and unit_field is None) else self.none()
        if action == VIEW:
            if unit_field is None or role in (Role.VIEWER, Role.INSPECTOR):
                return self
            if getattr(model, "scope_read_all", False):
                return self
            if not user.unit_id:
                return self.none()
            return (
                self.filter(**{unit_field: user.unit_id}).distinct()
                if "__" in unit_field
                else self.filter(**{unit_field: user.unit_id})
            )
        # change
        if unit_field is None or role == Role.VIEWER:
            return self.none()
        if role == Role.INSPECTOR:
            return self if getattr(model, "scope_inspector_writes", False) else self.none()
        if not user.unit_id:
            return self.none()
        return self.filter(**{unit_field: user.unit_id})
