import datetime as dt

import pytest
from django.utils import timezone

from qualityplan.hotline import services
from qualityplan.hotline.models import DispatchRule
from qualityplan.orgs.roles import Role

USCC = "91460100MA5RC0001Y"
PHONE = "13876543210"


def at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def hotline_user(make_user):
    return make_user("t_hotline", Role.HOTLINE, None)


@pytest.fixture
def catalogue(units):
    """food → 省食品药品监管局 (department matter); product in Haikou → 海口市 with 省质监局 cooperating;
    product elsewhere → 省质监局."""
    food = DispatchRule.objects.create(subject="food", lead_unit=units["FDA"], department_matter=True)
    local = DispatchRule.objects.create(subject="product", region=units["460100"], lead_unit=units["460100"])
    local.cooperating_units.set([units["QTS"]])
    province = DispatchRule.objects.create(subject="product", lead_unit=units["QTS"])
    return {"food": food, "local": local, "province": province}


@pytest.fixture
def make_order(hotline_user, units):
    def _make(received=None, category="complaint", subject="product", region="460100", **extra):
        data = {
            "received_at": received or at(2017, 9, 29),
            "category": category,
            "subject": subject,
            "region": region,
            "caller_name": "张三丰",
            "caller_phone": PHONE,
            "enterprise_uscc": USCC,
            "enterprise_name": "海口某电器有限公司",
            "title": "购买的电热水壶漏电",
            "content": "9月在某商场购买的电热水壶使用时漏电，要求退货并查处。",
            **extra,
        }
        return services.order_create(user=hotline_user, data=data)

    return _make


def step(order, user, action, now, **data):
    return services.order_transition(user=user, order=order, action=action, version=order.version, data=data, now=now)
