"""The portal (no sign-in), open data and the office's publish page. Views are HTTP only."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.public import calendar, catalog, kinds, policies, selectors, services
from qualityplan.public.cache import public_page, too_many
from qualityplan.public.models import Publication

PAGE_SIZE = 50


def _year_param(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError as exc:
        raise Http404 from exc
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@require_safe
@public_page
def home(request):
    pubs = list(selectors.live_list())
    groups = []
    for code, k in kinds.KINDS.items():
        items = [p for p in pubs if p.kind == code]
        if items:
            groups.append({"kind": k, "items": items})
    today = clock.today()
    upcoming = [e for e in calendar.events(year=today.year) if e.ends_on >= today][:5]
    return render(request, "public/home.html", {"groups": groups, "upcoming": upcoming, "today": today})


@require_safe
@public_page
def item(request, kind: str, key: str):
    """Stable address of an item (``/public/plan/2017/``): the page of its live publication."""
    return publication(request, "", _pub=selectors.by_item(kind, key))


def publication(request, slug: str, _pub: Publication | None = None):
    pub = _pub or selectors.by_slug(slug)
    k = kinds.KINDS.get(pub.kind)
    if k is None:
        raise Http404
    ctx = {"pub": pub, "data": pub.data, "kind": k, "dataset": selectors.dataset_id(pub)}
    items = pub.data.get("items")
    if items is not None:
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        ctx["page"] = page
    return render(request, k.template, ctx)


publication_view = require_safe(public_page(publication))


@require_safe
@public_page
def target(request, slug: str, code: str):
    pub = selectors.by_slug(slug)
    if pub.kind != "evaluation":
        raise Http404
    t = next((t for t in pub.data.get("targets", []) if t["code"] == code), None)
    if t is None:
        raise Http404
    return render(
        request, "public/target.html", {"pub": pub, "data": pub.data, "t": t, "map": {"regions": t["regions"]}}
    )


@require_safe
def credit(request):
    """The credit query (the credit app's public selectors: what is in publicity today), not cached."""
    from qualityplan.credit.forms import PublicQueryForm
    from qualityplan.credit.ratelimit import public_rate_limited
    from qualityplan.credit.selectors import public_search

    if public_rate_limited(request):
        return too_many(request)
    as_of = clock.today()
    form = PublicQueryForm(request.GET or None)
    results, status = None, 200
    if request.GET.get("q") is not None:
        if form.is_valid():
            results = public_search(q=form.cleaned_data["q"], as_of=as_of)
        else:
            status = 400
    blacklist = selectors.live(kind="blacklist").defer("data").first()
    return render(
        request,
        "public/credit.html",
        {"form": form, "results": results, "as_of": as_of, "blacklist": blacklist},
        status=status,
    )


@require_safe
@public_page
def calendar_page(request):
    first, last = calendar.year_range()
    year = _year_param(request, clock.today().year)
    if not first <= year <= last:
        raise Http404
    return render(
        request,
        "public/calendar.html",
        {
            "year": year,
            "events": calendar.events(year=year),
            "measure": calendar.PUBLICITY_MEASURE,
            "previous": year - 1 if year > first else None,
            "next": year + 1 if year < last else None,
        },
    )


@require_safe
@public_page
def calendar_ics(request):
    year = clock.today().year
    body = calendar.ics(years=[year, year + 1], host=request.get_host().split(":")[0] or "qualityplan")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="qualityplan-publicity.ics"'
    return response


# Open data ---------------------------------------------------------------------------------------------------------


@require_safe
@public_page
def open_data(request):
    return render(request, "public/open_data.html", {"catalog": catalog.build(request)})


@require_safe
@public_page
def open_data_catalog(request):
    return JsonResponse(catalog.build(request), json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_safe
@public_page
def open_data_dictionary(request):
    return render(request, "public/dictionary.html", {"kinds": [k for k in kinds.KINDS.values() if k.rows]})


def _csv_safe(value):
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_safe
@public_page
def open_data_file(request, dataset: str, fmt: str):
    pub = selectors.dataset(dataset)
    k = kinds.KINDS[pub.kind]
    names = [f.name for f in k.fields]
    rows = [{n: row.get(n) for n in names} for row in k.rows(pub.data)]  # field order (JSONB keeps no key order)
    filename = quote(f"{dataset}.{fmt}")
    if fmt == "json":
        body = json.dumps(
            {"dataset": dataset, "title": pub.title, "published": pub.published_at.isoformat(), "rows": rows},
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        out = io.StringIO()
        out.write("\ufeff")  # UTF-8 with BOM: Excel opens it as UTF-8
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(names)
        for row in rows:
            w.writerow([_csv_safe(row.get(n)) for n in names])
        response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# The office ---------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    if not policies.can_publish(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _manage_post(request)
    return render(
        request,
        "public/manage.html",
        {"items": selectors.office_items(user=request.user), "withdrawn": _recently_withdrawn()},
    )


def _recently_withdrawn():
    return Publication.objects.filter(withdrawn_at__isnull=False).defer("data").order_by("-withdrawn_at")[:20]


def _manage_post(request):
    action = request.POST.get("action", "")
    try:
        if action == "publish":
            pub = services.publication_publish(
                user=request.user, kind=request.POST.get("kind", ""), key=request.POST.get("key", "")
            )
            messages.success(request, _("已发布：%(title)s") % {"title": pub.title})
        elif action == "withdraw":
            try:
                pk = int(request.POST.get("publication", ""))
            except ValueError as exc:
                raise ApplicationError(_("条目无效"), {"field": "publication"}) from exc
            pub = Publication.objects.restrict(request.user, "change").filter(pk=pk).first()
            if pub is None:
                raise ApplicationError(_("条目无效"), {"field": "publication"})
            services.publication_withdraw(user=request.user, publication=pub)
            messages.success(request, _("已撤回：%(title)s") % {"title": pub.title})
        else:
            raise ApplicationError(_("未知的操作"), {"field": "action"})
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return render(
            request,
            "public/manage.html",
            {"items": selectors.office_items(user=request.user), "withdrawn": _recently_withdrawn()},
            status=400,
        )
    return redirect(reverse("public-manage"))
