"""Automatic intake above the office's threshold; every expected number worked by hand from the rows below.

豇豆, July 2017, 100 batches in each of ten cities/counties (nothing else in the year):

* 琼海市 (469002) 25 failing, 海口市 (460100) 16 failing, eight others 4 failing each (8 × 4 = 32);
* province rate p = (25 + 16 + 32) / 1000 = 0.073; n·p = 7.3 ≥ 5, so the 3σ rule (not the exact tail) applies;
* σ = sqrt(0.073 × 0.927 / 100) = sqrt(0.00067671) = 0.0260136; limit = 0.073 + 3 × 0.0260136 = 0.1510409;
* 琼海 0.25 > limit, z = (0.25 − 0.073) / 0.0260136 = 6.8041; 海口 0.16 > limit, z = 0.087 / 0.0260136 = 3.3444;
  the others 0.04 < limit.

Failing items and enterprises are all different (no clusters), and one month gives no rising run. July is the
only month of Q3, so 2017Q3 repeats the July numbers: a whole-year scan has four p-chart signals.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.credit.policies import SYSTEM
from qualityplan.monitoring.models import SamplingRecord
from qualityplan.risk import autoopen
from qualityplan.risk.detection import scan
from qualityplan.risk.models import AutoOpenRule, Risk

D = dt.date
QIONGHAI, HAIKOU = "469002", "460100"
OTHERS = ["460200", "460300", "460400", "469001", "469005", "469006", "469007", "469021"]
SIGMA = 0.0260136
LIMIT = 0.1510409
Z_QIONGHAI, Z_HAIKOU = 6.8041, 3.3444


@pytest.fixture
def july(units, today):
    today(D(2017, 9, 4))
    rows, n = [], 0
    for code, failing in [(QIONGHAI, 25), (HAIKOU, 16)] + [(c, 4) for c in OTHERS]:
        for k in range(100):
            n += 1
            bad = k < failing
            rows.append(SamplingRecord(
                sample_no=f"A-{n:05d}", enterprise=f"企业{n}", unit=units[code], product_category="豇豆",
                product_group="agri", sampling_date=D(2017, 7, 1 + k % 28), result="不合格" if bad else "合格",
                failing_items=f"项目{n}" if bad else "", sample_type="监督抽检",
            ))  # fmt: skip
    SamplingRecord.objects.bulk_create(rows)


def _set(user, **kw):
    values = {"enabled": True, "open_pchart": True, "open_run": False, "open_cluster": False, "min_z": "3.00",
              "min_failed": 3, **kw}  # fmt: skip
    return autoopen.auto_open_rule_update(user=user, **values)


def test_the_hand_worked_chart(july):
    signals = scan(year=2017, period="2017-07")
    assert [(s.unit_code, s.rule, s.failed, s.total) for s in signals] == [
        (HAIKOU, "above_3sigma", 16, 100), (QIONGHAI, "above_3sigma", 25, 100)
    ]  # fmt: skip
    for s, z in zip(signals, (Z_HAIKOU, Z_QIONGHAI), strict=True):
        assert s.province_rate == pytest.approx(0.073)
        assert s.limit == pytest.approx(LIMIT, abs=1e-7)
        assert s.z == pytest.approx(z, abs=1e-4)


def test_off_by_default_opens_nothing(july):
    rule = AutoOpenRule.objects.get()  # seeded by migration 0003
    assert (rule.enabled, rule.open_pchart, rule.open_run, rule.open_cluster, rule.min_z, rule.min_failed) == (
        False, True, False, False, 3, 3
    )  # fmt: skip
    result = autoopen.risk_auto_open(user=SYSTEM, year=2017)
    assert (result.enabled, result.opened, Risk.objects.count()) == (False, [], 0)
    dry = autoopen.risk_auto_open(user=SYSTEM, year=2017, period="2017-07", dry_run=True)  # preview while off
    assert [(s.unit_code, r) for s, r in dry.opened] == [(HAIKOU, None), (QIONGHAI, None)]
    assert Risk.objects.count() == 0


@pytest.mark.parametrize(
    ("min_z", "min_failed", "opened"),
    [("4.00", 3, [QIONGHAI]), ("3.00", 3, [HAIKOU, QIONGHAI]), ("3.34", 3, [HAIKOU, QIONGHAI]),
     ("3.35", 3, [QIONGHAI]), ("3.00", 17, [QIONGHAI]), ("3.00", 16, [HAIKOU, QIONGHAI]), ("6.81", 3, [])],
)  # fmt: skip
def test_threshold_decides_which_units_open(users, july, min_z, min_failed, opened):
    _set(users["office"], min_z=min_z, min_failed=min_failed)
    result = autoopen.risk_auto_open(user=SYSTEM, year=2017, period="2017-07")
    assert [s.unit_code for s, _r in result.opened] == opened
    assert sorted(Risk.objects.values_list("region__code", flat=True)) == opened


def test_opens_once_with_the_signals_numbers_and_the_system_actor(users, july):
    _set(users["office"], min_z="4.00")
    first = autoopen.risk_auto_open(user=SYSTEM, year=2017, period="2017-07")
    [(signal, risk)] = first.opened
    risk.refresh_from_db()
    assert risk.number == "FX-2017-0001" and risk.source_type == "monitoring" and risk.source_ref == signal.key
    assert signal.key == "signal|above_3sigma|豇豆|469002|2017-07|"
    assert (risk.region.code, risk.unit.code, risk.stage, risk.level, risk.score) == (QIONGHAI, QIONGHAI, "intake",
                                                                                      "", None)  # fmt: skip
    assert risk.received_on == D(2017, 9, 4) and risk.reporter == "system" and risk.created_by is None
    assert risk.title == "琼海市豇豆2017-07抽检不合格率异常"
    assert risk.description == (
        "2017-07 琼海市 豇豆：不合格 25/100（25.0%），全省同类 7.3%，上控制限 15.1%，判据 above_3sigma。"
    )
    assert risk.signal["z"] == pytest.approx(Z_QIONGHAI, abs=1e-4)
    log = ChangeLog.objects.get(content_type__model="risk", object_id=str(risk.pk), action="create")
    assert (log.user_id, log.user_name) == (None, "system")
    # idempotent: a second run opens nothing; the whole year then adds only the quarter
    second = autoopen.risk_auto_open(user=SYSTEM, year=2017, period="2017-07")
    assert (second.opened, second.linked, Risk.objects.count()) == ([], 1, 1)
    year = autoopen.risk_auto_open(user=SYSTEM, year=2017)
    assert [(s.period, r.number) for s, r in year.opened] == [("2017Q3", "FX-2017-0002")] and year.linked == 1
    assert autoopen.risk_auto_open(user=SYSTEM, year=2017).opened == []


def test_a_signal_opened_by_hand_is_not_opened_again(users, july, client_for):
    office = client_for(users["office"])
    key = "signal|above_3sigma|豇豆|469002|2017-07|"
    assert office.post("/risk/signals/open/", {"key": key, "year": "2017"}).status_code == 302
    by_hand = Risk.objects.get()
    _set(users["office"])
    result = autoopen.risk_auto_open(user=users["office"], year=2017, period="2017-07")
    assert [s.unit_code for s, _r in result.opened] == [HAIKOU] and result.linked == 1
    auto = Risk.objects.exclude(pk=by_hand.pk).get()
    log = ChangeLog.objects.get(content_type__model="risk", object_id=str(auto.pk), action="create")
    assert log.user_name == "t_office"
    # the same intake service: the same record, but for the signal's own numbers
    same = ("source_type", "product_category", "stage", "level", "received_on", "reporter", "created_by_id")
    assert [getattr(auto, f) for f in same] == [getattr(by_hand, f) for f in same]
    assert auto.description.startswith("2017-07 海口市 豇豆：不合格 16/100（16.0%），全省同类 7.3%")


def test_only_the_office_or_system_runs_and_edits(users, july):
    for who in ("county", "viewer", "dept"):
        with pytest.raises(ApplicationError) as exc:
            autoopen.risk_auto_open(user=users[who], year=2017)
        assert exc.value.extra["code"] == "forbidden"
        with pytest.raises(ApplicationError):
            _set(users[who])
    assert AutoOpenRule.objects.get().version == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"min_z": "-1"}, "min_z"), ({"min_z": "50.01"}, "min_z"), ({"min_z": "3.005"}, "min_z"),
     ({"min_z": "x"}, "min_z"), ({"min_failed": 0}, "min_failed"), ({"min_failed": True}, "min_failed"),
     ({"open_pchart": False}, "open_pchart"), ({"enabled": "yes"}, "enabled")],
)  # fmt: skip
def test_threshold_validation_names_the_field(users, db, kw, field):
    with pytest.raises(ApplicationError) as exc:
        _set(users["office"], **kw)
    assert exc.value.extra["field"] == field


def test_bad_period_and_year(users, july):
    for kw, field in (({"year": 2017, "period": "2016Q1"}, "period"), ({"year": 2017, "period": "2017-13"}, "period"),
                      ({"year": 1999}, "year")):  # fmt: skip
        with pytest.raises(ApplicationError) as exc:
            autoopen.risk_auto_open(user=SYSTEM, **kw)
        assert exc.value.extra["field"] == field


def test_command_and_huey_job(users, july, today):
    out = StringIO()
    call_command("risk", "auto-open", "--year", "2017", stdout=out)
    assert out.getvalue() == "# 2017: automatic opening off\n"
    out = StringIO()
    call_command("risk", "auto-open", "--year", "2017", "--period", "2017-07", "--dry-run", stdout=out)
    assert "would open\t豇豆\t琼海市\t2017-07\t25\t100\t6.80\tabove_3sigma" in out.getvalue()
    assert "would open: 2, already linked: 0, failed: 0" in out.getvalue() and not Risk.objects.exists()
    _set(users["office"], min_z="4")
    out = StringIO()
    call_command("risk", "auto-open", "--year", "2017", "--period", "2017-07", "--user", "t_office", stdout=out)
    assert out.getvalue().splitlines() == [
        "# 2017 2017-07: automatic opening on",
        "opened FX-2017-0001\t豇豆\t琼海市\t2017-07\t25\t100\t6.80\tabove_3sigma",
        "opened: 1, already linked: 0, failed: 0",
    ]
    risk = Risk.objects.get()
    assert ChangeLog.objects.get(content_type__model="risk", object_id=str(risk.pk)).user_name == "t_office"
    with pytest.raises(CommandError, match="--user"):
        call_command("risk", "auto-open", "--user", "t_qionghai", stdout=StringIO())
    with pytest.raises(CommandError, match="--period"):
        call_command("risk", "auto-open", "--year", "2017", "--period", "2017-7", stdout=StringIO())
    from qualityplan.risk.tasks import risk_auto_open_daily

    [result] = risk_auto_open_daily.call_local()  # 4 September 2017: this year only
    assert result["opened"] == [{"key": "signal|above_3sigma|豇豆|469002|2017Q3|", "risk": "FX-2017-0002"}]
    assert ChangeLog.objects.get(content_type__model="risk", object_id=str(Risk.objects.get(
        number="FX-2017-0002").pk)).user_name == "system"  # fmt: skip
    assert autoopen.auto_open_years(D(2018, 1, 10)) == [2017, 2018]
    assert autoopen.auto_open_years(D(2018, 2, 15)) == [2018]
    today(D(2018, 1, 10))
    assert [r["year"] for r in risk_auto_open_daily.call_local()] == [2017, 2018]
    assert Risk.objects.count() == 2
