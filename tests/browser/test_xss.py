"""Stored XSS: script payloads in every free-text field a reporter writes (and in upload names) execute nothing
when the office opens the pages that show them; the Content-Security-Policy reports no violation from our code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.browser.conftest import login, screenshot

SCHEME_FILE = Path(__file__).resolve().parents[2] / "qualityplan" / "assessment" / "data" / "hainan-2017-scheme.yaml"

# each sets a window flag and opens a dialog if it ever runs
PAYLOADS = [
    "<script>window.__xss=1;alert('xss-script')</script>",
    "<img src=x onerror=\"window.__xss=2;alert('xss-img')\">",
    '"><svg onload="window.__xss=3;alert(\'xss-svg\')">',
    "javascript:window.__xss=4;alert('xss-link')",
]
TEXT = " ".join(PAYLOADS)
FILE_NAME = "<img src=x onerror=\"window.__xss=5;alert('xss-file')\">.txt"  # no "/" (a path separator)


@pytest.fixture
def written(plan_2017, users, units):
    """Everything a reporter can type, filled with the payloads, through the services the pages use."""
    from qualityplan.assessment import services as assessment
    from qualityplan.assessment.choices import RoundStatus
    from qualityplan.assessment.models import ItemScore
    from qualityplan.indicators import services as indicators
    from qualityplan.ledger import services as ledger
    from qualityplan.ledger.models import Summary
    from qualityplan.plans.models import Measure
    from qualityplan.supervision import services as supervision
    from qualityplan.supervision.choices import ItemSource

    pages = {}
    # ledger: task title, progress note, evidence file name (department reporter, QTS)
    measure = Measure.objects.filter(plan=plan_2017, responsibilities__role="lead", responsibilities__unit__code="QTS")[
        0
    ]
    task = ledger.task_create(
        user=users["dept"], measure=measure, title=TEXT[:200], owner_name="李", deadline=dt.date(2017, 6, 30)
    )
    ledger.progress_report(
        user=users["dept"], task=task, status="on_track", narrative=TEXT,
        files=[SimpleUploadedFile(FILE_NAME, "进展材料\n".encode())],
    )  # fmt: skip
    pages["task"] = f"/ledger/tasks/{task.pk}/"
    pages["ledger"] = "/ledger/"
    # summary text (city reporter)
    ledger.summaries_create_expected(plan=plan_2017)
    summary = Summary.objects.filter(unit=users["city"].unit).first()
    ledger.summary_submit(user=users["city"], summary=summary, text=TEXT, next_year_plan=TEXT,
                          file=SimpleUploadedFile(FILE_NAME, "总结\n".encode()))  # fmt: skip
    pages["summary"] = f"/ledger/summaries/{summary.pk}/"
    pages["board"] = "/ledger/board/"
    # indicator report comment (county reporter)
    indicators.indicators_sync(plan=plan_2017)
    sub = indicators.submission_get_or_create(unit=users["county"].unit, period="2017Q1")
    indicators.submission_save(submission=sub, user=users["county"], values={}, comment=TEXT)
    pages["report"] = f"/indicators/reports/{sub.pk}/"
    # self-assessment note and evidence name (city reporter)
    scheme, _ = assessment.scheme_load_file(path=SCHEME_FILE)
    rnd = assessment.round_open(user=users["office"], year=2017, scheme=scheme, self_deadline=dt.date(2018, 1, 15))
    rnd = assessment.round_transition(user=users["office"], rnd=rnd, to=RoundStatus.SELF_ASSESSMENT)
    item = ItemScore.objects.filter(assessment__round=rnd, assessment__unit=users["city"].unit, rule_type="manual")[0]
    assessment.item_self_score(user=users["city"], item=item, points=0, note=TEXT)
    assessment.evidence_add(user=users["city"], item=item, uploaded=SimpleUploadedFile(FILE_NAME, "佐证\n".encode()))
    pages["assessment"] = f"/assessment/rounds/{rnd.pk}/units/{users['city'].unit_id}/"
    # supervision report text (lead unit's reporter)
    sv = supervision.item_create(
        user=users["office"], title="督办", source=ItemSource.LEADER_INSTRUCTION, requirement="落实",
        lead_unit=units["QTS"], cooperating_units=[], deadline_workdays=15, year=2017,
    )  # fmt: skip
    sv = supervision.item_transition(user=users["office"], item=sv, action="assign", today=dt.date(2017, 3, 1))
    sv = supervision.item_transition(user=users["dept"], item=sv, action="accept", today=dt.date(2017, 3, 2))
    supervision.item_transition(
        user=users["dept"], item=sv, action="submit_report", today=dt.date(2017, 3, 2),
        data={"text": TEXT, "file": SimpleUploadedFile(FILE_NAME, "报告\n".encode())},
    )  # fmt: skip
    pages["supervision"] = f"/supervision/items/{sv.pk}/"
    pages["history"] = f"/history/ledger/task/{task.pk}/"
    return pages


def test_payloads_do_not_execute_for_the_office(page, users, written):
    dialogs, violations, errors = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, users["office"].username)
    for name, url in written.items():
        response = page.goto(url)
        assert response.status == 200, (name, url, response.status)
        assert "script-src 'self'" in response.headers.get("content-security-policy", ""), name
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # onerror/onload handlers would have fired by now
        assert page.evaluate("window.__xss") is None, (name, url)
        shown = "<script>window.__xss=1" in page.inner_text("body") or "&lt;script&gt;window.__xss=1" in page.content()
        assert shown or name in ("ledger", "board"), (name, "the payload is not on the page as text")
        assert page.locator("a[href^='javascript:']").count() == 0, name
        screenshot(page, f"xss-{name}")
    assert dialogs == []
    assert violations == [], violations  # an inline script of our own would show up here
    assert errors == [], errors


def test_reflected_payload_in_query_string(page, users):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, users["office"].username)
    response = page.goto("/monitoring/records/sampling/?from=<script>alert(1)</script>")
    assert response.status == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert dialogs == []


def test_api_docs_render_under_the_policy(page, users):
    """Swagger UI comes from our static files (npm) and runs without inline script."""
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, users["viewer"].username)
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "qualityplan API" in page.inner_text(".swagger-ui .info .title")
    assert violations == [], violations
