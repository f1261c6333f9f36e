import datetime as dt

import pytest

from qualityplan.supervision import services
from qualityplan.supervision.choices import ItemSource


@pytest.fixture
def make_item(users, units):
    """``make_item(lead="QTS", coop=("ENV",), workdays=15, assign_on=None)``: an item, assigned if a date is given."""

    def _make(lead="QTS", coop=("ENV",), workdays=15, assign_on: dt.date | None = None, title="规范质量提升工作"):
        item = services.item_create(
            user=users["office"],
            title=title,
            source=ItemSource.LEADER_INSTRUCTION,
            requirement="按领导批示要求抓好落实并书面报告。",
            lead_unit=units[lead],
            cooperating_units=[units[c] for c in coop],
            deadline_workdays=workdays,
            year=2017,
        )
        if assign_on is not None:
            item = services.item_transition(user=users["office"], item=item, action="assign", today=assign_on)
        return item

    return _make
