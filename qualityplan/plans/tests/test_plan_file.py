"""The shipped Hainan 2017 plan reproduces the checked seed reading; load → export is lossless."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.ops.management.commands.bootstrap import PLANS_DIR
from qualityplan.plans import interchange
from qualityplan.plans.models import MeasureUnit, Plan
from qualityplan.plans.services import plan_export, plan_load

SEED = Path(__file__).parent / "data" / "hainan-2017-action-plan.expected.json"
PLAN_FILE = PLANS_DIR / "hainan-2017.json"


def _seed():
    return json.loads(SEED.read_text(encoding="utf-8"))


TARGET_FIELDS = ("text", "indicator", "comparator", "value", "unit", "where")


def compare_with_seed(exported: dict, *, target_fields: tuple[str, ...] = TARGET_FIELDS) -> list[str]:
    """Field-by-field differences between an exported plan and the seed reading (empty = equal)."""
    seed = _seed()
    diffs = []
    for key in ("title", "issuer", "date"):
        if exported.get(key) != seed[key]:
            diffs.append(f"{key}: {exported.get(key)!r} != {seed[key]!r}")
    if len(exported["targets"]) != len(seed["targets"]):
        diffs.append(f"targets: {len(exported['targets'])} != {len(seed['targets'])}")
    # Targets are paired by clause text and location (a parser emits them in document order; the reading lists the
    # 三.(二).18 river target last), falling back to position.
    by_text = {(t.get("text"), t.get("where")): t for t in exported["targets"]}
    for i, want in enumerate(seed["targets"]):
        got = by_text.get((want["text"], want["where"])) or (
            exported["targets"][i] if i < len(exported["targets"]) else {}
        )
        for key in target_fields:
            if got.get(key) != want.get(key):
                diffs.append(f"targets[{i}].{key}: {got.get(key)!r} != {want.get(key)!r}")
    if len(exported["measures"]) != len(seed["measures"]):
        diffs.append(f"measures: {len(exported['measures'])} != {len(seed['measures'])}")
    for i, (got, want) in enumerate(zip(exported["measures"], seed["measures"], strict=False)):
        for key in ("number", "title", "lead_units", "cooperating_units"):
            if got.get(key) != want.get(key):
                diffs.append(f"measures[{i}].{key}: {got.get(key)!r} != {want.get(key)!r}")
    got_deadlines = sorted((d["date"], d["where"], d["what"]) for d in exported["deadlines"])
    want_deadlines = sorted((d["date"], d["where"], d["what"]) for d in seed["deadlines"])
    if got_deadlines != want_deadlines:
        diffs.append(f"deadlines: {got_deadlines} != {want_deadlines}")
    return diffs


def test_shipped_plan_file_matches_seed_reading():
    assert compare_with_seed(json.loads(PLAN_FILE.read_text(encoding="utf-8"))) == []


def test_compare_with_seed_detects_a_difference():
    data = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
    data["measures"][3]["lead_units"] = ["省质监局"]
    data["targets"][0]["value"] = 51
    assert compare_with_seed(data) == [
        "targets[0].value: 51 != 50",
        "measures[3].lead_units: ['省质监局'] != ['省政府新闻办']",
    ]


@pytest.mark.django_db
def test_export_after_load_equals_seed_and_file(plan_2017):
    exported = plan_export(plan=plan_2017)
    assert compare_with_seed(exported) == []
    assert exported == json.loads(PLAN_FILE.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_round_trip_is_lossless_and_idempotent(plan_2017):
    first = plan_export(plan=plan_2017)
    plan, changed = plan_load(data=json.loads(json.dumps(first)))
    assert (plan.pk, changed) == (plan_2017.pk, False)
    first["measures"][0]["cooperating_units"].append("省科技厅")
    plan, changed = plan_load(data=first, published_in_place=True)  # the shipped plan is published
    assert changed
    assert plan_export(plan=plan) == first
    yaml_text = interchange.dump(first, "yaml")
    assert interchange.normalise(__import__("yaml").safe_load(yaml_text)) == interchange.normalise(first)


@pytest.mark.django_db
def test_every_written_unit_resolves(plan_2017):
    unresolved = MeasureUnit.objects.filter(measure__plan=plan_2017, unit__isnull=True, group__isnull=True)
    assert list(unresolved.values_list("written", flat=True)) == []
    # aliases map to the same office
    office = MeasureUnit.objects.filter(written="省质量强省领导小组办公室").first()
    assert office.unit.code == "OFFICE"
    assert MeasureUnit.objects.filter(written="各市县政府").first().group.members.count() == 19


@pytest.mark.django_db
def test_second_year_loads_beside_the_first(plan_2017):
    data = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
    data.update(year=2018, title="海南省贯彻落实质量发展纲要2018年行动计划", date="2018-03-01")
    plan_load(data=data)
    assert sorted(Plan.objects.values_list("year", flat=True)) == [2017, 2018]
    assert Plan.objects.get(year=2017).targets.count() == 46


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["targets"][2].update(comparator="about"), "targets[2].comparator"),
        (lambda d: d["targets"][0].update(value="fifty"), "targets[0].value"),
        (lambda d: d["measures"][1].pop("number"), "measures[1].number"),
        (lambda d: d["measures"][1].update(number=d["measures"][0]["number"]), "measures[1].number: duplicate"),
        (lambda d: d["deadlines"][0].update(date="2017-06-31"), "deadlines[0].date"),
        (lambda d: d["measures"][0].update(lead_units="省质监局"), "measures[0].lead_units"),
    ],
)
@pytest.mark.django_db
def test_invalid_plan_is_refused_naming_the_field_and_nothing_is_written(units, mutate, message):
    data = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(ApplicationError) as exc:
        plan_load(data=data)
    assert message in exc.value.message
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_cli_load_and_export_match_seed(units, tmp_path, capsys):
    """``qualityplan plan load`` / ``plan export`` (the management command behind the console script)."""
    from django.core.management import CommandError, call_command

    call_command("plan", "load", str(PLAN_FILE))
    capsys.readouterr()
    call_command("plan", "export", "--year", "2017", "--format", "json")
    assert compare_with_seed(json.loads(capsys.readouterr().out)) == []
    call_command("plan", "export", "--year", "2017", "--format", "yaml")
    assert compare_with_seed(__import__("yaml").safe_load(capsys.readouterr().out)) == []
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "year": 2019, "targets": [{"text": "a"}]}', encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("plan", "load", str(bad))
    assert str(exc.value) == f"{bad}: targets[0].indicator: is required"
    with pytest.raises(CommandError, match="no plan for year 2016"):
        call_command("plan", "export", "--year", "2016")


def test_console_script_runs_the_plan_command():
    """The ``qualityplan`` console script reaches the Django command (no database needed for --help)."""
    result = subprocess.run(
        [Path(sys.executable).parent / "qualityplan", "plan", "export", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "--format {json,yaml}" in result.stdout
