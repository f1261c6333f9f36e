from decimal import Decimal as D

import pytest

from qualityplan.assessment.grades import grade_for, lower_band_margin, next_band, rank


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "A"),
        ("90", "A"),
        ("89.99", "B"),
        ("89", "B"),
        ("80", "B"),
        ("79.99", "C"),
        ("79", "C"),
        ("60", "C"),
        ("59.99", "D"),
        ("59", "D"),
        ("0", "D"),
    ],
)
def test_grade_for_band_edges(score, grade):
    assert grade_for(D(score)) == grade


@pytest.mark.parametrize("score", ["100", "95.5", "60"])
def test_grade_for_veto_is_d_whatever_the_score(score):
    assert grade_for(D(score), vetoed=True) == "D"


def test_grade_for_scheme_floors():
    floors = {"A": D("85"), "B": D("75"), "C": D("50")}
    assert grade_for(D("85"), floors=floors) == "A"
    assert grade_for(D("49.99"), floors=floors) == "D"


def test_next_band_and_margin():
    assert next_band(D("88.5")) == ("A", D("1.5"))
    assert next_band(D("59")) == ("C", D("1"))
    assert next_band(D("91")) is None
    assert lower_band_margin(D("91")) == ("B", D("1"))
    assert lower_band_margin(D("50")) is None


def test_rank_competition_and_veto_last():
    rows = [
        ("a", D("90"), False),
        ("b", D("95"), False),
        ("c", D("90"), False),
        ("d", D("99"), True),
        ("e", D("70"), False),
    ]
    out = {r.key: r.rank for r in rank(rows)}
    assert out == {"b": 1, "a": 2, "c": 2, "e": 4, "d": 5}
