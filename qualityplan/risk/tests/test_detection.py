"""Detection on a small generated set; expected numbers counted by hand from the rows below."""

import datetime as dt

import pytest

from qualityplan.monitoring.models import SamplingRecord
from qualityplan.risk.detection import period_parse, scan, signal_find

D = dt.date
OTHER = ["460100", "460200", "460300", "460400", "469001", "469005", "469006", "469007", "469021", "469022"]


def rec(n, unit, cat, day, ok, uscc="", enterprise="某企业", items=""):
    return SamplingRecord(
        sample_no=f"T-{n:05d}", enterprise=enterprise, uscc=uscc, unit=unit, product_category=cat,
        product_group="agri", sampling_date=day, result="合格" if ok else "不合格",
        failing_items="" if ok else items, sample_type="监督抽检",
    )  # fmt: skip


@pytest.fixture
def data(units):
    rows, n = [], 0
    # 豇豆, July 2017: ten units with 1 failing in 20; 琼海 (469002) with 8 failing in 20 — one enterprise, 毒死蜱.
    for code in OTHER:
        for k in range(20):
            n += 1
            rows.append(rec(n, units[code], "豇豆", D(2017, 7, 3 + k), k != 0, enterprise=f"企业{n}", items="克百威"))
    for k in range(20):
        n += 1
        bad = k < 8
        rows.append(rec(n, units["469002"], "豇豆", D(2017, 7, 3 + k), not bad,
                        uscc="91469002MA5T0000XX" if bad else "", enterprise="琼海某合作社" if bad else f"企业{n}",
                        items="毒死蜱"))  # fmt: skip
    # 芒果 in 海口: 1/20 in April, 2/20 in May, 3/20 in June (rising inside the limits), 6/20 elsewhere each month.
    for month, fails in ((4, 1), (5, 2), (6, 3)):
        for k in range(20):
            n += 1
            rows.append(rec(n, units["460100"], "芒果", D(2017, month, 5 + k), k >= fails, enterprise=f"企业{n}",
                            items=f"项目{k}"))  # fmt: skip
        for k in range(20):
            n += 1
            rows.append(rec(n, units["460200"], "芒果", D(2017, month, 5 + k), k >= 6, enterprise=f"企业{n}",
                            items=f"项目{k}"))  # fmt: skip
    SamplingRecord.objects.bulk_create(rows)


def by(signals, **kw):
    return [s for s in signals if all(getattr(s, k) == v for k, v in kw.items())]


def test_planted_cluster_is_raised_and_in_limit_units_are_not(data):
    signals = scan(year=2017, period="2017-07")
    # province rate of 豇豆 in July: (10 × 1 + 8) / (11 × 20) = 18 / 220
    hit = by(signals, category="豇豆", unit_code="469002", rule="exact_binomial")
    assert len(hit) == 1
    s = hit[0]
    assert (s.failed, s.total, s.period) == (8, 20, "2017-07")
    assert s.province_rate == pytest.approx(18 / 220)
    assert s.rate == pytest.approx(0.4)
    # limit p̄ + 3·sqrt(p̄(1 − p̄)/20) with p̄ = 0.0818182: sqrt(0.0818182 × 0.9181818 / 20) = 0.0612875 → 0.2656807
    assert s.limit == pytest.approx(0.2656807, abs=1e-6)
    assert s.z == pytest.approx((0.4 - 18 / 220) / 0.0612875, rel=1e-5)
    assert by(signals, category="豇豆", unit_code="469002", rule="enterprise_cluster", subject="91469002MA5T0000XX")
    assert by(signals, category="豇豆", unit_code="469002", rule="item_cluster", subject="毒死蜱")
    # 1 failing in 20 at a province rate of 8.2 %: within limits, nothing raised for the other ten units
    assert not [s for s in signals if s.category == "豇豆" and s.unit_code != "469002"]


def test_quarter_folds_the_months(data):
    s = by(scan(year=2017, period="2017Q3"), category="豇豆", unit_code="469002", rule="exact_binomial")[0]
    assert (s.failed, s.total, s.period) == (8, 20, "2017Q3")


def test_rising_run_inside_the_limits(data):
    signals = scan(year=2017)
    # 海口 芒果 1/20 → 2/20 → 3/20 in April–June: three rising months; 三亚 6/20 each month is flat.
    run = by(signals, category="芒果", rule="rising_run")
    assert [(s.unit_code, s.period) for s in run] == [("460100", "2017-06")]
    # and 3/20 in June is below the province rate (9/40), so no p-chart signal there
    assert not by(signals, category="芒果", unit_code="460100", rule="above_3sigma")
    assert not by(signals, category="芒果", unit_code="460100", rule="exact_binomial")


def test_signal_key_is_recomputed(data):
    s = by(scan(year=2017, period="2017-07"), rule="exact_binomial")[0]
    assert signal_find(key=s.key, year=2017) == s
    assert signal_find(key=s.key.replace("469002", "460100"), year=2017) is None
    assert signal_find(key="junk", year=2017) is None


@pytest.mark.parametrize("bad", ["2017-13", "2017Q5", "17Q1", ""])
def test_period_validated(bad):
    with pytest.raises(ValueError):
        period_parse(bad)


# --- bounded clusters (the flood at 5,000,000 records: an item cluster in nearly every cell) ---------------------


@pytest.fixture
def crowd(units):
    """荔枝, July 2017: 海口 and 三亚 40 batches each, 12 failing each — 4 each on 项目A/B/C; in 海口 one enterprise
    is behind 3 of the 12. 椰子, August 2017: 海口 10 batches, 3 failing, 三亚 10 batches, 4 failing, all seven from
    one enterprise (one USCC), failing item 甲."""
    rows, n = [], 0
    for code in ("460100", "460200"):
        for k in range(40):
            n += 1
            bad = k < 12
            ent = "多批企业" if code == "460100" and k < 3 else f"企业{n}"
            rows.append(rec(n, units[code], "荔枝", D(2017, 7, 3 + k % 20), not bad, enterprise=ent,
                            items="项目" + "ABC"[k % 3]))  # fmt: skip
    for code, fails in (("460100", 3), ("460200", 4)):
        for k in range(10):
            n += 1
            bad = k < fails
            rows.append(rec(n, units[code], "椰子", D(2017, 8, 7 + k), not bad, uscc="91460000MA5T0000YY" if bad else "",
                            enterprise="两地企业" if bad else f"企业{n}", items="甲"))  # fmt: skip
    SamplingRecord.objects.bulk_create(rows)


def test_crowded_cells_raise_no_cluster(crowd):
    # 4 failing on one item of 40 batches at a province rate of 8/80 = 0.1 for that item: P(X ≥ 4 | 40, 0.1) =
    # 1 − (0.9^40 + 40·0.1·0.9^39 + 780·0.01·0.9^38 + 9880·0.001·0.9^37) = 1 − 0.42314 = 0.57686 ≫ 0.00135;
    # the enterprise with 3 failing is 3/12 = 25 % of the cell's failures (< 50 %). The old absolute counts (≥ 4,
    # ≥ 3) raised 6 item clusters and 1 enterprise cluster here.
    assert by(scan(year=2017), category="荔枝") == []


def test_cluster_thresholds_are_settings(crowd, settings):
    settings.RISK_SIGNAL_RULES = {"item_cluster_alpha": 0.577, "enterprise_cluster_share": 0.25}
    signals = by(scan(year=2017), category="荔枝")
    items = sorted((s.unit_code, s.subject, s.period, s.failed, s.total) for s in signals if s.rule == "item_cluster")
    assert items == [(u, f"项目{x}", "2017-07", 4, 40) for u in ("460100", "460200") for x in "ABC"]
    ent = [(s.unit_code, s.subject, s.failed) for s in signals if s.rule == "enterprise_cluster"]
    assert ent == [("460100", "多批企业", 3)]
    settings.RISK_SIGNAL_RULES = {"item_cluster_alpha": 0.5767}
    assert by(scan(year=2017), category="荔枝", rule="item_cluster") == []
    with pytest.raises(ValueError, match="unknown keys"):
        settings.RISK_SIGNAL_RULES = {"no_such_rule": 1}
        scan(year=2017)


def test_one_enterprise_signal_per_period(crowd):
    # the same USCC fails 3/3 of 海口's failing 椰子 batches and 4/4 of 三亚's in August: one signal, the larger cell;
    # the quarter repeats August exactly, so a whole-year scan lists the month only
    got = [(s.rule, s.unit_code, s.period, s.failed, s.total) for s in by(scan(year=2017), category="椰子")]
    assert got == [("enterprise_cluster", "460200", "2017-08", 4, 10)]
    quarter = by(scan(year=2017, period="2017Q3"), category="椰子")
    assert [(s.rule, s.unit_code, s.period, s.failed) for s in quarter] == [
        ("enterprise_cluster", "460200", "2017Q3", 4)
    ]


def test_tail_at_most_against_hand_values():
    from qualityplan.risk.detection import tail_at_most
    from qualityplan.standards.spc import ALPHA_3SIGMA

    # P(X ≥ 4 | 20, 0.05) = 1 − (0.358486 + 0.377354 + 0.188677 + 0.059582) = 0.015901
    assert tail_at_most(4, 20, 0.05, 0.0160) and not tail_at_most(4, 20, 0.05, 0.0158)
    # x ≤ n·p: at least 1/2
    assert tail_at_most(4, 40, 0.1, 0.5770) and not tail_at_most(4, 40, 0.1, 0.5767)
    # 20 of 40 at p = 0.1: far beyond 3σ (Chernoff bound alone); 0 of anything: the tail is 1
    assert tail_at_most(20, 40, 0.1, ALPHA_3SIGMA) and not tail_at_most(0, 40, 0.1, ALPHA_3SIGMA)
    # all failing: p^n exactly — 0.5^10 = 0.0009765625
    assert tail_at_most(10, 10, 0.5, 0.00098) and not tail_at_most(10, 10, 0.5, 0.00097)


def test_signal_ref_keeps_short_keys_and_separates_long_keys_with_the_same_beginning():
    from qualityplan.risk.detection import signal_ref

    short = "signal|above_3sigma|豇豆|469002|2017-07|"
    assert signal_ref(short) == short
    common = "signal|above_3sigma|" + "某" * 90  # 110 characters in common
    a, b = common + "|469002|2017-07|甲", common + "|469002|2017-07|乙"
    ra, rb = signal_ref(a), signal_ref(b)
    assert ra != rb  # cut at 100 characters, both were the same string
    assert len(ra) == len(rb) == 100
    assert ra[:83] == a[:83] and ra[83] == "~" and len(ra[84:]) == 16
    assert signal_ref(a) == ra  # stable
