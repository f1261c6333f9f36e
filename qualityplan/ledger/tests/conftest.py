import datetime as dt

import pytest

from qualityplan.ledger import services


@pytest.fixture
def qts_measure(plan_2017):
    """A measure led by 省质监局 (QTS) directly."""
    from qualityplan.plans.models import Measure

    return Measure.objects.filter(plan=plan_2017, responsibilities__role="lead", responsibilities__unit__code="QTS")[0]


@pytest.fixture
def make_task(users, units, qts_measure):
    def _make(deadline=dt.date(2017, 6, 30), parts=(("ENV", "提供环境监测数据"),), title="制定质量提升方案", user=None):
        return services.task_create(
            user=user or users["dept"],
            measure=qts_measure,
            title=title,
            owner_name="李质监",
            deadline=deadline,
            expected_output="印发方案",
            milestones=[("起草", dt.date(2017, 3, 31)), ("印发", deadline)],
            parts=[(units[c], d, None) for c, d in parts],
        )

    return _make
