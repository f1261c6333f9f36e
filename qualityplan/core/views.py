from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from qualityplan.core import selectors
from qualityplan.core.forms import ChangeLogFilterForm


@login_required
def object_history(request, app_label: str, model: str, pk: str):
    """Change history of one object (office only): who, when, before/after per field."""
    entries = selectors.object_history(user=request.user, app_label=app_label, model=model, pk=pk)
    try:
        model_cls = apps.get_model(app_label, model)
    except LookupError as exc:
        raise Http404 from exc
    obj = model_cls._default_manager.filter(pk=pk).first()
    entries = list(entries.select_related("user"))
    for entry in entries:
        entry.rows = [
            (_field_label(model_cls, name), _field_value(model_cls, name, before), _field_value(model_cls, name, after))
            for name, before, after in entry.changed_fields
        ]
    return render(
        request,
        "core/history.html",
        {"object": obj, "entries": entries, "model_name": model_cls._meta.verbose_name},
    )


@login_required
def changelog(request):
    """The whole change log (office only), filtered by user, unit, object type, action and date."""
    form = ChangeLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.changelog_list(user=request.user, filters=filters)
    if form.is_bound and not form.is_valid():
        entries = entries.none()
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/changelog.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
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
