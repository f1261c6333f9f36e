from decimal import Decimal

import numpy as np
import pytest

from qualityplan.standards.codes.gb32100 import uscc_check_character, validate_org_code, validate_uscc
from qualityplan.standards.errors import InvalidValueError
from qualityplan.standards.rounding import gbt8170_round, round_half_even
from qualityplan.standards.sampling import pass_rate, wilson_interval


def test_gb32100_worked_example():
    # GB 32100-2015 example: sum 1640, 1640 mod 31 = 28, 31 - 28 = 3
    assert uscc_check_character("91350100M000100Y4") == "3"
    assert validate_uscc("91350100M000100Y43") == (True, "")
    ok, reason = validate_uscc("91350100M000100Y4Z")
    assert not ok and reason == "check character mismatch: expected '3', got 'Z'"


def test_uscc_reasons_vectorised():
    valid, reason = validate_uscc(
        ["91350100M000100Y43", "91350100m000100Y43", "9135010", "91350100M00O100Y43", "9135A100M000100Y43", ""]
    )
    assert valid.tolist() == [True, False, False, False, False, False]
    assert reason.tolist() == [
        "",
        "lower-case letters (the standard uses upper case)",
        "wrong length 7 (expected 18)",
        "invalid character 'O' at position 12",
        "positions 3-8 (region code) must be digits",
        "empty",
    ]
    assert validate_uscc("91350100m000100y43", lowercase="upper") == (True, "")


def test_uscc_org_code_check_and_gb11714():
    assert validate_org_code("M000100Y4") == (True, "")
    assert validate_org_code("M000100Y-4") == (True, "")
    assert validate_org_code("M000100Y5")[0] is False
    assert validate_org_code("PDY00001")[0] is False
    assert validate_uscc("91350100M000100Y43", check_org_code=True) == (True, "")
    # build a code whose USCC check is right but GB 11714 check is wrong
    body = "91350100M000100Y5"
    code = body + uscc_check_character(body)
    assert validate_uscc(code)[0] is True
    assert validate_uscc(code, check_org_code=True)[0] is False


def test_pass_rate_and_wilson():
    assert pass_rate(497, 555) == pytest.approx(89.5495, abs=1e-4)
    assert np.isnan(pass_rate(0, 0))
    lo, hi = wilson_interval(497, 555)
    assert lo == pytest.approx(0.86727, abs=1e-5) and hi == pytest.approx(0.91829, abs=1e-5)
    lo, hi = wilson_interval([0, 10], [10, 10])
    assert lo.tolist()[0] == 0 and hi.tolist()[1] == 1
    with pytest.raises(InvalidValueError):
        pass_rate(6, 5)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(12.5, 0, 12), (13.5, 0, 14), (75.5, 0, 76), (0.85, 1, 0.8), (0.75, 1, 0.8), (2.25, 1, 2.2), (-2.5, 0, -2)],
)
def test_gbt8170_half_even(value, decimals, expected):
    assert round_half_even(value, decimals) == expected
    assert gbt8170_round(Decimal(str(value)), Decimal(1).scaleb(-decimals)) == Decimal(str(expected))


def test_round_half_even_array_and_nan():
    out = round_half_even(np.array([0.85, np.nan, 1.35]), 1)
    assert out[0] == 0.8 and np.isnan(out[1]) and out[2] == 1.4
