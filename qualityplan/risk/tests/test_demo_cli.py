"""The planted demo cluster (docs/risk.md) is raised; the in-limit units of the same round are not; the CLI."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from qualityplan.monitoring.demo import _units
from qualityplan.monitoring.models import SamplingRecord
from qualityplan.risk import demo
from qualityplan.risk.detection import scan


@pytest.fixture
def planted(units):
    assert demo.load_demo(year=2017)["cluster_samples"] == 14 + 10 * (len(_units()) - 1)
    assert demo.load_demo(year=2017)["cluster_samples"] == 0  # idempotent


def test_planted_cluster_detected_and_in_limit_units_not_raised(planted):
    signals = scan(year=2017, period="2017-09")
    raised = {(s.unit_code, s.rule, s.subject) for s in signals}
    assert raised == {
        ("469002", "exact_binomial", ""),
        ("469002", "enterprise_cluster", demo.CLUSTER_USCC),
        ("469002", "item_cluster", "毒死蜱"),
    }
    # the two units with one failing batch in ten (克百威) are within their limits
    one_failing = set(
        SamplingRecord.objects.filter(sample_no__startswith="R-2017-", result="不合格")
        .exclude(unit__code="469002")
        .values_list("unit__code", flat=True)
    )
    assert len(one_failing) == 2 and not one_failing & {code for code, _r, _s in raised}
    # 7 failing of 14 + 10 × 19 batches: province rate 9 / 204
    s = next(s for s in signals if s.rule == "exact_binomial")
    assert (s.failed, s.total) == (7, 14)
    assert s.province_rate == pytest.approx(9 / 204)


def test_cli_json_and_table(planted):
    out = StringIO()
    call_command("risk", "scan", "--year", "2017", "--period", "2017-09", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["rule"] for r in rows] == ["enterprise_cluster", "exact_binomial", "item_cluster"]
    assert set(rows[0]) >= {"category", "unit", "period", "failed", "total", "rate", "province_rate", "limit", "z",
                            "rule"}  # fmt: skip
    out = StringIO()
    call_command("risk", "scan", "--year", "2017", "--period", "2017Q3", "--format", "table", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split("\t")[:10] == ["category", "unit", "period", "failed", "total", "rate", "province_rate",
                                         "limit", "z", "rule"]  # fmt: skip
    assert lines[-1] == "# 3 signal(s)"


def test_cli_rejects_bad_period(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("risk", "scan", "--year", "2017", "--period", "2016Q3")


def test_escalate_cli_checks_the_policy_of_its_user(users):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="may not do this"):
        call_command("risk", "escalate", "--user", users["county"].username)
    out = StringIO()
    call_command("risk", "escalate", "--user", users["office"].username, stdout=out)
    assert out.getvalue().strip() == "escalated: 0"
