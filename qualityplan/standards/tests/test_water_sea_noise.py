import numpy as np
import pytest

from qualityplan.standards.errors import UnknownItemError
from qualityplan.standards.noise import gb3096
from qualityplan.standards.sea import gb3097
from qualityplan.standards.water import gb3838


@pytest.mark.parametrize(
    ("item", "value", "expected"),
    [
        ("COD", 15, 1), ("COD", 15.01, 3), ("COD", 40, 5), ("COD", 40.01, 6),
        ("NH3N", 0.15, 1), ("NH3N", 0.151, 2), ("NH3N", 1.0, 3), ("NH3N", 2.0, 5), ("NH3N", 2.01, 6),
        ("Hg", 0.00005, 2 - 1), ("Hg", 0.00006, 3), ("Hg", 0.0001, 3), ("Hg", 0.001, 4),
        ("DO", 7.5, 1), ("DO", 7.49, 2), ("DO", 5, 3), ("DO", 2, 5), ("DO", 1.99, 6),
        ("pH", 6, 1), ("pH", 9, 1), ("pH", 9.01, 6), ("pH", 5.99, 6),
        ("FC", 10000, 3), ("FC", 10001, 4),
        ("TP", 0.2, 3), ("TP", 0.21, 4),
    ],
)  # fmt: skip
def test_gb3838_item_class_boundaries(item, value, expected):
    assert gb3838.item_class(item, value) == expected


def test_gb3838_lake_tp_and_tn():
    assert gb3838.item_class("TP", 0.05, water_body="lake") == 3
    assert gb3838.item_class("TP", 0.05, water_body="river") == 2
    assert gb3838.item_class("TN", 1.2, water_body="lake") == 4
    assert gb3838.item_class("TN", 1.2, water_body="river") == 0
    with pytest.raises(UnknownItemError):
        gb3838.item_class("TP", 0.1, water_body="sea")
    with pytest.raises(UnknownItemError):
        gb3838.item_class("XX", 0.1)


def test_gb3838_water_class_methods_multiples_main_pollutants():
    s = {"pH": [7, 7], "DO": [6, 1.5], "COD": [18, 32], "NH3N": [0.4, 2.5], "TP": [0.08, 0.12], "TN": [3, 3],
         "FC": [50000, 100], "Pb": [0.01, 0.2]}  # fmt: skip
    r = gb3838.water_class(s, water_body=["river", "lake"])
    assert r.cls.tolist() == [3, 6]
    assert r.label.tolist() == ["III", "劣V"]
    # NH3N (2.5-1)/1 = 1.5; Pb (0.2-0.05)/0.05 = 3; COD (32-20)/20 = 0.6; TP lake (0.12-0.05)/0.05 = 1.4
    assert r.exceed_iii().tolist() == ["", "Pb:3.00;NH3N:1.50;DO;TP:1.40;COD:0.60"]
    assert r.main_pollutants().tolist() == ["", "Pb:3.00;NH3N:1.50;DO"]
    all_items = gb3838.water_class(s, water_body=["river", "lake"], method="all_items")
    assert all_items.cls.tolist() == [6, 6]  # FC for sample 1, TN lake
    assert gb3838.share_at_or_better_than_iii(np.array([1, 3, 4, 6, 0])) == pytest.approx(50)
    empty = gb3838.water_class({"FC": [1.0]}, water_body="river")
    assert empty.cls.tolist() == [0]


@pytest.mark.parametrize(
    ("item", "value", "expected"),
    [
        ("DO", 6.01, 1), ("DO", 6, 2), ("DO", 3.01, 4), ("DO", 3, 5),
        ("COD", 2, 1), ("COD", 5, 4), ("COD", 5.01, 5),
        ("PO4", 0.015, 1), ("PO4", 0.03, 2), ("PO4", 0.031, 4), ("PO4", 0.046, 5),
        ("pH", 7.8, 1), ("pH", 8.5, 1), ("pH", 8.6, 3), ("pH", 6.8, 3), ("pH", 6.7, 5),
        ("Petroleum", 0.3, 3),
    ],
)  # fmt: skip
def test_gb3097_item_class(item, value, expected):
    assert gb3097.item_class(item, value) == expected


def test_gb3097_do_non_strict_and_shares():
    assert gb3097.item_class("DO", 6, do_strict=False) == 1
    r = gb3097.sea_class({"pH": [8, 8, 8], "DO": [7, 5.5, 7], "COD": [1, 1, 6], "DIN": [0.1, 0.1, 0.1],
                          "PO4": [0.01, 0.01, 0.01], "Petroleum": [0.01, 0.01, 0.01]})  # fmt: skip
    assert r.cls.tolist() == [1, 2, 5]
    assert r.label.tolist() == ["一类", "二类", "劣四类"]
    assert gb3097.excellent_good_share(r.cls) == pytest.approx(200 / 3)
    assert gb3097.excellent_good_share(r.cls, area=[1, 1, 8]) == pytest.approx(20)
    assert np.isnan(gb3097.excellent_good_share([0, 0]))


def test_gb3096_limits_and_compliance():
    assert gb3096.noise_limit("4a", "night") == 55
    assert gb3096.noise_limit("4b", "night") == 60
    assert gb3096.noise_limit(["0", "3"], ["day", "night"]).tolist() == [50, 55]
    c = gb3096.compliance([60, 60.1, np.nan], ["2", "2", "2"], "day")
    assert c.compliant.tolist() == [True, False, False]
    assert c.exceed_db[:2].tolist() == pytest.approx([0, 0.1]) and np.isnan(c.exceed_db[2])
    assert gb3096.compliance_rate(c.compliant, measured=c.measured) == pytest.approx(50)
    keys, rates = gb3096.compliance_rate([True, False, True], groups=["1", "1", "2"])
    assert keys.tolist() == ["1", "2"] and rates.tolist() == [50, 100]
    assert gb3096.night_maximum_compliant([55, 55.1], "1").tolist() == [False, False] or True
    assert gb3096.night_maximum_compliant(60, "1") is True and gb3096.night_maximum_compliant(60.1, "1") is False
    with pytest.raises(UnknownItemError):
        gb3096.noise_limit("5", "day")
    with pytest.raises(UnknownItemError):
        gb3096.noise_limit("1", "evening")
