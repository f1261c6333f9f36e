from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from qualityplan.core import selectors
from qualityplan.core.forms import ChangeLogFilterForm


def home(request):
    return redirect("plans:overview")


@login_required
def object_history(request, app_label: str, model: str, pk: str):
    """Change history of one object (office only): who, when, before/after per field."""
    entries = selectors.object_history(user=request.user, app_label=app_label, model=model, pk=pk)
    try:
        model_cls = apps.get_model(app_label, model)
    except LookupError as exc:
        raise Http404 from exc
    obj = model_cls._default_manager.filter(pk=pk).first()
    return render(
        request,
        "core/history.html",
        {"object": obj, "entries": entries.select_related("user"), "model_name": model_cls._meta.verbose_name},
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
