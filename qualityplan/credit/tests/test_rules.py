"""Every rule of ``credit.rules`` at its edges. Expected dates are worked by hand from the rule text
(总局令第45号/第44号, 信用修复管理办法, 食品安全法 Art.88, 农产品质量安全法 Art.51, 产品质量法 Art.15, 民法典 Art.203) and
the State Council holiday notice for 2025 (国庆/中秋 10-01…10-08 off; 09-28 Sun and 10-11 Sat are working days)."""

import datetime as dt

import pytest

from qualityplan.credit import rules

D = dt.date
JAN15 = D(2024, 1, 15)


def pub(kinds, start=JAN15, published=None, lower=None, years=None, domain="其他"):
    return rules.penalty_publicity(
        decision_date=start,
        published_on=published,
        kinds=kinds,
        lower_amount=lower,
        restrict_years=years,
        domain=domain,
    )


def test_warning_only_is_not_published():
    assert pub(["警告"]) is None


def test_warning_with_circulation_is_published_three_months():
    p = pub(["警告", "通报批评"])
    assert (p.start, p.last, p.months) == (D(2024, 1, 15), D(2024, 4, 14), 3)


@pytest.mark.parametrize(
    ("day", "shown"), [(D(2024, 1, 14), False), (D(2024, 1, 15), True), (D(2024, 4, 14), True), (D(2024, 4, 15), False)]
)
def test_three_month_publicity_edges(day, shown):
    assert pub(["通报批评"]).shows_on(day) is shown


def test_lower_amount_fine_three_months_other_fine_three_years():
    assert pub(["罚款"], lower=True).last == D(2024, 4, 14)
    p = pub(["罚款"], lower=False)
    assert (p.last, p.months) == (D(2027, 1, 14), 36)


def test_fine_needs_the_lower_amount_flag():
    with pytest.raises(rules.RuleError):
        pub(["罚款"], lower=None)


def test_confiscation_is_three_years():
    assert pub(["没收违法所得"]).last == D(2027, 1, 14)


def test_publication_date_starts_the_period():
    p = pub(["通报批评"], published=D(2024, 2, 1))
    assert (p.start, p.last) == (D(2024, 2, 1), D(2024, 4, 30))


def test_end_of_month_start_is_clamped():
    # 2024-01-31 + 3 months = 2024-04-30 (clamped); last day 2024-04-29
    assert pub(["通报批评"], start=D(2024, 1, 31)).last == D(2024, 4, 29)
    # 2023-11-30 + 3 months = 2024-02-29 (leap year); last day 2024-02-28
    assert pub(["通报批评"], start=D(2023, 11, 30)).last == D(2024, 2, 28)


def test_leap_day_start():
    # 2024-02-29 + 3 years = 2027-02-28; last day 2027-02-27; repair after 6 months: 2024-08-29
    p = pub(["罚款"], start=D(2024, 2, 29), lower=False)
    assert (p.last, p.repair_from) == (D(2027, 2, 27), D(2024, 8, 29))
    # food: after 1 year, 2025-02-28 (clamped)
    assert pub(["罚款"], start=D(2024, 2, 29), lower=False, domain="食品").repair_from == D(2025, 2, 28)


@pytest.mark.parametrize("domain", ["食品", "药品", "特种设备"])
def test_repair_waits_one_year_in_food_drugs_special_equipment(domain):
    assert pub(["罚款"], lower=False, domain=domain).repair_from == D(2025, 1, 15)


def test_repair_waits_six_months_elsewhere():
    assert pub(["罚款"], lower=False).repair_from == D(2024, 7, 15)


def test_three_month_publicity_cannot_be_repaired():
    assert pub(["通报批评"]).repair_from is None


@pytest.mark.parametrize("kind", ["责令停产停业", "限制生产经营", "降低资质等级", "吊销许可证件", "吊销营业执照"])
def test_never_repairable(kind):
    p = pub(["罚款", kind], lower=False)
    assert p.months == 36 and p.repair_from is None


def test_restrict_practice_longer_than_three_years_sets_the_period():
    p = pub(["罚款", "限制从业"], start=D(2020, 6, 1), lower=True, years=5)
    assert (p.months, p.last, p.repair_from) == (60, D(2025, 5, 31), None)


def test_restrict_practice_up_to_three_years_keeps_three_years():
    assert pub(["限制从业"], start=D(2020, 6, 1), years=3).last == D(2023, 5, 31)
    assert pub(["限制从业"], start=D(2020, 6, 1), years=2).last == D(2023, 5, 31)


def test_restrict_practice_needs_years():
    with pytest.raises(rules.RuleError):
        pub(["限制从业"])


def test_unknown_kind_and_domain_are_errors():
    with pytest.raises(rules.RuleError):
        pub(["拘留"])
    with pytest.raises(rules.RuleError):
        pub(["通报批评"], domain="化妆品")


def test_repair_ends_publicity_that_day():
    p = pub(["罚款"], lower=False)
    assert p.shows_on(D(2024, 9, 9), ended_on=D(2024, 9, 10))
    assert not p.shows_on(D(2024, 9, 10), ended_on=D(2024, 9, 10))


def test_blacklist_three_years_early_removal_after_one_year():
    p = rules.blacklist_period(D(2022, 9, 1))
    assert (p.last, p.repair_from) == (D(2025, 8, 31), D(2023, 9, 1))
    assert p.shows_on(D(2025, 8, 31)) and not p.shows_on(D(2025, 9, 1))
    leap = rules.blacklist_period(D(2024, 2, 29))
    assert (leap.last, leap.repair_from) == (D(2027, 2, 27), D(2025, 2, 28))


# Recheck windows -------------------------------------------------------------------------------------------------


def test_food_seven_working_days_plain_week():
    # received Fri 2025-06-06: 06-09..06-13 (5), 06-16 (6), 06-17 (7)
    assert rules.recheck_last_day(D(2025, 6, 6), "food") == D(2025, 6, 17)
    assert rules.failing_sample_effective(D(2025, 6, 6), "food") == D(2025, 6, 18)


def test_food_window_with_national_day_inside():
    # received Fri 2025-09-26: 09-28 Sun (make-up) 1, 09-29 2, 09-30 3, [10-01..10-08 off], 10-09 4, 10-10 5,
    # 10-11 Sat (make-up) 6, 10-13 7 -> last day 10-13, event on 10-14
    assert rules.recheck_last_day(D(2025, 9, 26), "food") == D(2025, 10, 13)
    assert rules.failing_sample_effective(D(2025, 9, 26), "food") == D(2025, 10, 14)


def test_agri_five_working_days_event_on_a_make_up_saturday():
    # received 2025-09-26: 5th working day 10-10 (Fri); the next working day is the make-up Saturday 10-11
    assert rules.recheck_last_day(D(2025, 9, 26), "agri") == D(2025, 10, 10)
    assert rules.failing_sample_effective(D(2025, 9, 26), "agri") == D(2025, 10, 11)


def test_other_fifteen_days_ending_on_a_working_day():
    assert rules.recheck_last_day(D(2025, 6, 4), "other") == D(2025, 6, 19)
    assert rules.failing_sample_effective(D(2025, 6, 4), "other") == D(2025, 6, 20)


def test_other_fifteen_days_ending_on_a_weekend_moves_to_monday():
    assert rules.recheck_last_day(D(2025, 6, 6), "other") == D(2025, 6, 23)


def test_other_fifteen_days_ending_on_a_holiday():
    # received 2025-09-17 + 15 days = 10-02 (National Day) -> last day 10-09 (first working day), event on 10-10
    assert rules.recheck_last_day(D(2025, 9, 17), "other") == D(2025, 10, 9)
    assert rules.failing_sample_effective(D(2025, 9, 17), "other") == D(2025, 10, 10)


def test_recheck_group_of_product_groups():
    assert rules.recheck_group("food") == "food"
    assert rules.recheck_group("agri") == "agri"
    assert rules.recheck_group("industrial") == "other"
