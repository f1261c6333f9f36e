"""The 2017 demo keeps every status and value it had before the second-year work (methods bound by wording, runs
kept as records, the one clock pinned to 2017-11-30). The baseline was captured with ``qualityplan evaluate --year
2017 --format json`` on the untouched branch against the demo database."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from qualityplan.indicators.models import Evaluation

BASELINE_FILE = Path(__file__).parent / "data" / "demo_2017_statuses.json"
BASELINE = json.loads(BASELINE_FILE.read_text(encoding="utf-8"))


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
    if os.environ.get("QP_WRITE_DEMO_BASELINE"):
        BASELINE["rows"] = rows
        BASELINE_FILE.write_text(
            json.dumps(BASELINE, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    assert rows == BASELINE["rows"]
    # the second demo year: a synthetic 2016 plan and round, so that comparison and carry-over views show something
    from qualityplan.assessment.models import Round
    from qualityplan.assessment.selectors import results
    from qualityplan.orgs.models import User
    from qualityplan.plans.models import Plan

    plan_2016 = Plan.objects.get(year=2016)
    assert plan_2016.status == "published" and "合成演示数据" in plan_2016.title
    assert Plan.objects.get(year=2017).status == "published"
    round_2016 = Round.objects.get(year=2016)
    assert round_2016.status == "closed" and "合成演示数据" in round_2016.title
    rows = results(user=User.objects.get(username="office"), rnd=Round.objects.get(year=2017))
    assert len(rows) == 20 and all(r.last is not None and r.last.round == round_2016 for r in rows)
    # bootstrap --demo again is additive: nothing new, nothing lost
    call_command("bootstrap", "--demo", verbosity=0)
    assert Plan.objects.filter(year=2016).count() == 1 and Round.objects.filter(year=2016).count() == 1
