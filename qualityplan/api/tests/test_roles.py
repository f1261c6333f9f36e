"""Generated role × operation test: every API operation (from the OpenAPI schema) and every page × every role.

Expectations come from one table (``WRITERS``) and from the data scope itself: nothing here reads the view code.
* viewer, inspector, anonymous: every write through the API is refused (401/403/404/405) and changes nothing;
* reporters: a write aimed at an object outside their ``restrict(user, "change")`` scope never succeeds (no 2xx)
  and changes nothing; a detail read of an object outside their view scope is a 404;
* everyone: no operation or page answers 5xx.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from qualityplan.core.querysets import CHANGE, VIEW

pytestmark = pytest.mark.django_db

ROLES = ["office", "dept", "dept2", "city", "county", "inspector", "viewer", "anonymous"]
WRITERS = {"office": True, "dept": True, "dept2": True, "city": True, "county": True}  # the rest: never write
REFUSED = {401, 403, 404, 405}
UNSAFE = ("post", "put", "patch", "delete")
# signed-in users' own inbox: anyone may mark their own notifications read
OWN_DATA = {"/api/v1/notifications/read-all/", "/api/v1/notifications/{id}/read/"}
SKIP_COUNT = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


@pytest.fixture
def world(plan_2017, users):
    """A task, a summary and a submission per reporter unit, so that every scope has something to refuse."""
    from qualityplan.ledger import services as ledger
    from qualityplan.ledger.models import Task
    from qualityplan.plans.models import Measure

    measure = Measure.objects.filter(plan=plan_2017).first()
    for key in ("dept", "dept2", "city", "county"):
        Task.objects.create(
            plan=plan_2017, measure=measure, unit=users[key].unit, title=f"{key} 任务", owner_name="李",
            deadline=dt.date(2017, 9, 30),
        )  # fmt: skip
    ledger.summaries_create_expected(plan=plan_2017)
    _risks(users)
    return users


def _risks(users):
    """A risk with a disposal task per reporter unit (quality risk, issue 16)."""
    from qualityplan.risk.models import Disposal, Risk

    for n, key in enumerate(("dept", "dept2", "city", "county"), start=1):
        unit = users[key].unit
        risk = Risk.objects.create(
            number=f"FX-2017-{n:04d}", title=f"{key} 风险", source_type="complaint", product_category="蔬菜",
            unit=unit, description="x", received_on=dt.date(2017, 9, 1), stage="disposal", probability=2,
            severity=2, score=4, level="III",
        )  # fmt: skip
        Disposal.objects.create(
            risk=risk, kind="notice", owner=unit, assigned_on=dt.date(2017, 9, 1), due_on=dt.date(2017, 9, 15)
        )


def _client(role, users):
    if role == "anonymous":
        return Client()
    c = Client()
    c.force_login(users[role])
    return c


def _counts():
    return {
        m._meta.label_lower: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in SKIP_COUNT and not m._meta.proxy
    }


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, ops in schema["paths"].items():
        for method in ops:
            if method in ("get", *UNSAFE):
                yield path, method


def _model_of(path, user):
    """The model behind an operation, via the view's own queryset (as ``user``)."""
    concrete = re.sub(r"\{[^}]+\}", "1", path)
    match = resolve(concrete)
    cls = getattr(match.func, "cls", None)
    if cls is None:
        return None
    view = cls()
    view.action_map = getattr(match.func, "actions", {})
    view.action = next(iter(view.action_map.values()), None)
    view.kwargs, view.args, view.format_kwarg = match.kwargs, (), None
    view.request = Request(APIRequestFactory().get(concrete))
    view.request.user = user
    try:
        return view.get_queryset().model
    except Exception:  # noqa: BLE001 - a view whose queryset needs parameters: treated as having no object model
        return None


def _outside(model, user, action):
    """An object the user may not ``action`` (None when the scope covers everything)."""
    if model is None or not hasattr(model.objects, "restrict"):
        return None
    return model.objects.exclude(pk__in=model.objects.restrict(user, action).values("pk")).order_by("pk").first()


def _url(path, obj):
    return re.sub(r"\{[^}]+\}", str(obj.pk) if obj is not None else "0", path, count=1)


def test_every_api_write_is_refused_for_non_writers_and_out_of_scope(world):
    users = world
    office = users["office"]
    leaks = []
    for path, method in _operations():
        if method not in UNSAFE:
            continue
        model = _model_of(path, office)
        for role in ROLES:
            user = users.get(role)
            if WRITERS.get(role) and "{" not in path:
                continue  # list-level writes of writers: their own scope, covered by the app tests
            target = _outside(model, user, CHANGE)
            if "{" in path and target is None and model is not None:
                if WRITERS.get(role):
                    continue  # everything in reach is in scope
                target = model.objects.order_by("pk").first()
            url = _url(path, target)
            client = _client(role, users)  # signing in is logged: count after it
            before = _counts()
            response = getattr(client, method)(url, {}, content_type="application/json", HTTP_IF_MATCH="*")
            after = _counts()
            status = response.status_code
            if path in OWN_DATA and user is not None:
                continue  # one's own inbox (the rows it may touch are the user's own notifications)
            if status >= 500:
                leaks.append((role, method, url, status, "server error"))
            elif not WRITERS.get(role) and status not in REFUSED:
                leaks.append((role, method, url, status, "non-writer not refused"))
            elif 200 <= status < 300:
                leaks.append((role, method, url, status, "out-of-scope write succeeded"))
            if before != after:
                diff = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
                leaks.append((role, method, url, status, f"rows changed {diff}"))
    assert leaks == [], "\n".join(map(str, leaks))


def test_every_api_read_is_scoped(world):
    users = world
    leaks = []
    for path, method in _operations():
        if method != "get":
            continue
        model = _model_of(path, users["office"])
        for role in ROLES:
            user = users.get(role)
            client = _client(role, users)
            if "{" not in path:
                status = client.get(path).status_code
                if status >= 500:
                    leaks.append((role, path, status))
                continue
            target = _outside(model, user, VIEW)  # user None: anonymous, whose scope is the public rows
            if target is None:
                continue
            url = _url(path, target)
            status = client.get(url).status_code
            if status >= 500 or (200 <= status < 300 and url.count("/") == path.count("/")):
                leaks.append((role, url, status))
    assert leaks == [], "\n".join(map(str, leaks))


def _pages():
    """Every page URL without parameters (the API and the i18n switch aside)."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if "<" in route or "(?P" in route or route.startswith(("api/", "i18n/", "admin/", "^")):
                    continue
                yield "/" + route.lstrip("^").rstrip("$")

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_page_for_every_role_answers_without_server_error_and_posts_by_readers_change_nothing(world):
    users = world
    problems = []
    for url in _pages():
        for role in ROLES:
            client = _client(role, users)
            status = client.get(url).status_code
            if status >= 500:
                problems.append((role, "GET", url, status))
            if role in ("viewer", "inspector", "anonymous") and not url.startswith("/accounts/"):
                before = _counts()
                status = client.post(url, {}).status_code
                if status >= 500 or _counts() != before:
                    problems.append((role, "POST", url, status))
    assert problems == [], "\n".join(map(str, problems))
