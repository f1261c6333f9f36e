import datetime as dt

import pytest


@pytest.fixture
def indicators_2017(plan_2017):
    from qualityplan.indicators.services import indicators_sync

    indicators_sync(plan=plan_2017)
    return {i.code: i for i in plan_2017.indicators.all()}


@pytest.fixture
def sampling_rows(units):
    """Food samples: Haikou 99/100 official + 5 failing 风险监测; Sanya 90/100."""
    from qualityplan.monitoring.models import SamplingRecord

    rows = []
    for code, n_fail in (("460100", 1), ("460200", 10)):
        for i in range(100):
            rows.append(
                SamplingRecord(
                    sample_no=f"{code}-{i}",
                    enterprise="E",
                    unit=units[code],
                    product_category="糕点",
                    product_group="food",
                    sampling_date=dt.date(2017, 1 + i % 10, 1),
                    result="不合格" if i < n_fail else "合格",
                    failing_items="X" if i < n_fail else "",
                    sample_type="监督抽检",
                )  # fmt: skip
            )
    for i in range(5):
        rows.append(
            SamplingRecord(
                sample_no=f"R{i}",
                enterprise="E",
                unit=units["460100"],
                product_category="糕点",
                product_group="food",
                sampling_date=dt.date(2017, 2, 1),
                result="不合格",
                failing_items="X",
                sample_type="风险监测",
            )  # fmt: skip
        )
    SamplingRecord.objects.bulk_create(rows)
