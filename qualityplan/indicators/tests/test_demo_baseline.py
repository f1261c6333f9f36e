"""The 2017 demo keeps every status and value it had before the second-year work (methods bound by wording, runs
kept as records, the one clock pinned to 2017-11-30). The baseline was captured with ``qualityplan evaluate --year
2017 --format json`` on the untouched branch against the demo database."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from qualityplan.indicators.models import Evaluation

BASELINE = json.loads((Path(__file__).parent / "data" / "demo_2017_statuses.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_demo_2017_statuses_unchanged(settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    call_command("bootstrap", "--demo", verbosity=0)
    call_command("evaluate", "--year", "2017", "--format", "json", "--unit", "province", verbosity=0)
    rows = {
        f"{e.target.code}|{e.unit.code if e.unit else '460000'}|{e.period}": [
            e.status, None if e.value is None else round(e.value, 4)]
        for e in Evaluation.objects.filter(year=2017).select_related("target", "unit")
    }  # fmt: skip
    assert rows == BASELINE["rows"]
