import datetime as dt

import pytest

from qualityplan.risk import services


@pytest.fixture
def today(settings):
    """``today(date)``: pin the one clock."""

    def _pin(day: dt.date):
        settings.QUALITYPLAN_TODAY = day.isoformat()

    return _pin


@pytest.fixture
def complaint(users, units, today):
    today(dt.date(2017, 9, 4))  # a Monday
    return services.risk_create(
        user=users["office"],
        source_type="complaint",
        source_ref="12345-20170901-0042",
        product_category="蔬菜",
        product_name="豇豆",
        region=units["469002"],
        enterprise_name="琼海某蔬菜合作社",
        description="市民反映在琼海市场购买的豇豆食用后头晕，怀疑农药残留超标。",
        reporter="12345 热线",
        received_on=dt.date(2017, 9, 1),
    )
