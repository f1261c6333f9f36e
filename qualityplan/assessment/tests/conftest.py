import datetime as dt
from pathlib import Path

import pytest

SCHEME_FILE = Path(__file__).resolve().parents[1] / "data" / "hainan-2017-scheme.yaml"


@pytest.fixture
def scheme(plan_2017):
    from qualityplan.assessment.services import scheme_load_file

    scheme, _ = scheme_load_file(path=SCHEME_FILE)
    return scheme


@pytest.fixture
def round_2017(scheme, users):
    from qualityplan.assessment.services import round_open

    return round_open(user=users["office"], year=2017, scheme=scheme, self_deadline=dt.date(2018, 1, 15))


@pytest.fixture
def evaluation(plan_2017, units):
    """``evaluation(code, unit_code, status, value)`` → an annual indicators.Evaluation row."""
    from qualityplan.indicators.models import Evaluation

    def _make(code, unit_code, status, value=None):
        target = plan_2017.targets.get(code=code)
        return Evaluation.objects.create(
            target=target,
            unit=units[unit_code],
            year=2017,
            period="2017",
            as_of=dt.date(2017, 12, 31),
            value=value,
            target_value=float(target.value) if target.value is not None else None,
            comparator=target.comparator,
            reading=target.comparator,
            status=status,
            explanation=f"{code} {status}",
        )

    return _make
