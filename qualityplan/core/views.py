from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from qualityplan.core.models import ChangeLog


@login_required
def object_history(request, app_label: str, model: str, pk: str):
    """Change history of one object (office only): who, when, before/after per field."""
    if not request.user.is_office:
        raise PermissionDenied
    try:
        model_cls = apps.get_model(app_label, model)
    except LookupError as exc:
        raise Http404 from exc
    obj = model_cls._default_manager.filter(pk=pk).first()
    entries = list(
        ChangeLog.objects.filter(
            content_type__app_label=app_label, content_type__model=model.lower(), object_id=str(pk)
        ).select_related("user")
    )
    for entry in entries:
        entry.rows = [
            (_field_label(model_cls, name), _field_value(model_cls, name, before), _field_value(model_cls, name, after))
            for name, before, after in entry.changed_fields
        ]
    return render(
        request, "core/history.html", {"object": obj, "entries": entries, "model_name": model_cls._meta.verbose_name}
    )


def _field(model_cls, attname: str):
    for field in model_cls._meta.concrete_fields:
        if field.attname == attname:
            return field
    return None


def _field_label(model_cls, attname: str) -> str:
    """The field as users know it (its verbose name, e.g. 状态), not its column name (status)."""
    field = _field(model_cls, attname)
    return str(field.verbose_name) if field is not None and field.verbose_name else attname


def _field_value(model_cls, attname: str, value):
    """A stored value as shown in the UI: choice labels, 是/否 for booleans."""
    if value is None:
        return None
    field = _field(model_cls, attname)
    if field is None:
        return value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field.choices and isinstance(value, str | int):
        return str(dict(field.flatchoices).get(value, value))
    return value
