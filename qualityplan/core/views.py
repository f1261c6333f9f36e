from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

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
    entries = ChangeLog.objects.filter(
        content_type__app_label=app_label, content_type__model=model.lower(), object_id=str(pk)
    ).select_related("user")
    return render(
        request, "core/history.html", {"object": obj, "entries": entries, "model_name": model_cls._meta.verbose_name}
    )
