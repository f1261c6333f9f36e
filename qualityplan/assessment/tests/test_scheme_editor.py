"""The structured scoring-scheme editor (issue 13): rows instead of a YAML box, validation, score preview."""

import re

import pytest
import yaml

from qualityplan.assessment.services import assessed_units

pytestmark = pytest.mark.django_db


def _form(html: str) -> dict:
    """The editor form's fields as a browser would submit them (inputs and selected options)."""
    data = {}
    for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    import html as h

    return {k: h.unescape(v) for k, v in data.items()}


def test_editor_is_for_the_office(scheme, users, client_for):
    assert client_for(users["viewer"]).get(f"/assessment/schemes/{scheme.pk}/edit/").status_code == 403
    page = client_for(users["office"]).get(f"/assessment/schemes/{scheme.pk}/edit/")
    assert page.status_code == 200
    form = _form(page.content.decode())
    assert form["points-1.1.1"] == "4" and form["rule-1.1.1"] == "attainment"
    assert form["params-1.1.1"] == "target=T02; partial=proportional; floor=0.9"
    assert form["veto-code-0"] == "V1" and "points-1" not in form  # a parent's points are the sum of its children


def test_preview_gives_each_unit_its_scores_without_saving(scheme, users, client_for):
    c = client_for(users["office"])
    url = f"/assessment/schemes/{scheme.pk}/edit/"
    form = _form(c.get(url).content.decode())
    before = scheme.text
    r = c.post(url, {**form, "action": "preview"})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="scheme-errors"' not in html
    preview = html.split('id="scheme-preview"')[1].split("</table>")[0]
    assert preview.count("<tr>") == 1 + assessed_units().count()  # header + one row per city/county
    scheme.refresh_from_db()
    assert scheme.text == before


def test_points_that_no_longer_add_up_are_refused_and_the_typed_values_kept(scheme, users, client_for):
    c = client_for(users["office"])
    url = f"/assessment/schemes/{scheme.pk}/edit/"
    form = _form(c.get(url).content.decode())
    r = c.post(url, {**form, "points-1.1.1": "5", "action": "save"})  # 40 + 60 → 41 + 60 ≠ 100
    html = r.content.decode()
    assert 'id="scheme-errors"' in html and "100" in html.split('id="scheme-errors"')[1].split("</div>")[0]
    assert _form(html)["points-1.1.1"] == "5"
    scheme.refresh_from_db()
    assert "points: 5" not in scheme.text


def test_bad_rule_parameters_name_the_item(scheme, users, client_for):
    c = client_for(users["office"])
    url = f"/assessment/schemes/{scheme.pk}/edit/"
    form = _form(c.get(url).content.decode())
    r = c.post(url, {**form, "params-1.1.1": "target T02", "action": "preview"})
    errors = r.content.decode().split('id="scheme-errors"')[1].split("</div>")[0]
    assert "1.1.1" in errors and "名称=值" in errors


def test_save_moves_points_adds_a_veto_and_keeps_the_yaml_for_experts(scheme, users, client_for):
    c = client_for(users["office"])
    url = f"/assessment/schemes/{scheme.pk}/edit/"
    form = _form(c.get(url).content.decode())
    n_veto = sum(1 for k, v in form.items() if k.startswith("veto-code-") and v)
    changed = {
        **form,
        "points-1.1.1": "5",
        "points-1.1.2": "3",  # the same total: 1.1 stays 14
        "evidence-1.1.2": "年度监督抽查结果",
        f"veto-code-{n_veto}": "V9",
        f"veto-title-{n_veto}": "瞒报、谎报质量安全事故",
        "action": "save",
        "note": "调整产品质量分值",
    }
    r = c.post(url, changed)
    assert r.status_code == 302, r.content.decode()[:2000]
    scheme.refresh_from_db()
    data = yaml.safe_load(scheme.text)
    product = data["items"][0]["children"][0]
    assert [i["points"] for i in product["children"][:2]] == [5, 3] and product["points"] == 14
    assert product["children"][1]["evidence"] == "年度监督抽查结果"
    assert product["children"][0]["lead"] == "AGRI"  # fields the form does not show are kept
    assert data["veto"][-1] == {"code": "V9", "title": "瞒报、谎报质量安全事故"}
    assert scheme.parsed().item("1.1.1").points == 5
