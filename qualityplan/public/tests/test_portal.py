"""The whole portal and open data, crawled signed out over the demo: nothing private anywhere, page weights."""

import re
from urllib.parse import unquote, urljoin, urlparse

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

HREF = re.compile(r'(?:href|src|data-geo)="([^"#]+)"')
CHART_ASSETS = {"/static/vendor/echarts.min.js", "/static/vendor/hainan.json"}


@pytest.fixture
def demo(settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    settings.PUBLIC_RATE = (0, 60)
    settings.CREDIT_PUBLIC_RATE = (10_000, 60)
    call_command("bootstrap", "--demo", verbosity=0)


def _private_strings() -> list[str]:
    from qualityplan.hotline.models import WorkOrder
    from qualityplan.orgs.models import Unit, User

    for n, user in enumerate(User.objects.order_by("pk")):  # give every demo user a contact to look for
        user.email = user.email or f"{user.username}.private@example.org"
        user.phone = user.phone or f"1389876{n:04d}"
        user.save()
    out = set()
    for user in User.objects.all():
        out |= {user.email, user.phone, user.full_name}
        if user.username in ("qts", "haikou", "qionghai") or user.username.startswith("t_"):
            out.add(user.username)
    for unit in Unit.objects.all():
        out |= {unit.leader_name, unit.contact_email}
    for order in WorkOrder.objects.all():
        out |= {order.caller_name, order.caller_phone}
    return sorted(s for s in out if s and len(s) >= 2)


def _crawl(client) -> dict[str, bytes]:
    from qualityplan.public.models import Publication

    start = ["/public/", "/open-data/", "/open-data/catalog.json", "/public/credit/?q=海南", "/public/calendar.ics"]
    start += [f"/public/p/{p.slug}/" for p in Publication.objects.filter(withdrawn_at__isnull=True)]
    seen: dict[str, bytes] = {}
    todo = list(start)
    while todo:
        url = todo.pop()
        if url in seen or url.startswith("/public/manage/"):
            continue
        r = client.get(url)
        assert r.status_code == 200, url
        seen[url] = r.content
        if r["Content-Type"].startswith(("text/html", "application/json")):
            for link in HREF.findall(r.content.decode()) + re.findall(r'"downloadURL": "([^"]+)"', r.content.decode()):
                path = urlparse(urljoin("http://testserver" + url, link.replace("&amp;", "&")))
                full = unquote(path.path) + (f"?{unquote(path.query)}" if path.query else "")
                if path.netloc in ("", "testserver") and full.startswith(("/public/", "/open-data/")):
                    todo.append(full)
    return seen


def test_crawl_finds_no_private_data(demo, anon):
    private = _private_strings()
    assert "王办公" in private and "office.private@example.org" in private  # the demo's office user
    pages = _crawl(anon)
    assert len(pages) > 30
    kinds_seen = {u.split("/")[2] for u in pages if u.startswith("/open-data/") and u.endswith(".csv")}
    assert {"plan-2017.csv", "evaluation-2017.csv", "registry-brand_product.csv"} <= kinds_seen
    assert any("/targets/" in u for u in pages)
    leaks = [(url, s) for url, body in pages.items() for s in private if s in body.decode("utf-8", "replace")]
    assert leaks == []
    # one demo load for the page checks too (it is the slow part)
    _page_weight_under_300_kb_before_charts(anon)
    _target_page_has_status_explanation_map_and_table(anon)


def _asset_size(url: str) -> int:
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    with open(path, "rb") as f:
        return len(f.read())


def _page_weight_under_300_kb_before_charts(anon):
    from qualityplan.public.models import Publication

    urls = ["/public/", "/public/calendar/", "/public/credit/", "/open-data/", "/open-data/dictionary/"]
    urls += [f"/public/p/{p.slug}/" for p in Publication.objects.filter(withdrawn_at__isnull=True)]
    ev = Publication.objects.get(kind="evaluation", withdrawn_at__isnull=True)
    urls += [f"/public/p/{ev.slug}/targets/{t['code']}/" for t in ev.data["targets"] if t["regions"]][:2]
    for url in urls:
        html = anon.get(url).content
        assets = {a for a in HREF.findall(html.decode()) if a.startswith(settings.STATIC_URL)} - CHART_ASSETS
        weight = len(html) + sum(_asset_size(a) for a in assets)
        assert weight < 300 * 1024, (url, weight)


def _target_page_has_status_explanation_map_and_table(anon):
    from qualityplan.public.models import Publication

    ev = Publication.objects.get(kind="evaluation", withdrawn_at__isnull=True)
    t = next(t for t in ev.data["targets"] if len(t["regions"]) >= 18)
    body = anon.get(f"/public/p/{ev.slug}/targets/{t['code']}/").content.decode()
    assert 'id="target-map"' in body and 'id="map-table"' in body and 'id="map-data"' in body
    assert body.count('<th scope="row">') == len(t["regions"])
    assert "海口市" in body and "三沙市" in body
    assert t["plain"] in body
    assert "<script>" not in body  # CSP: no inline script (json_script is type=application/json)
