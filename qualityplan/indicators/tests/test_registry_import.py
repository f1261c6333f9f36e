"""Registry import: named items with the unit that registered them and, optionally, where they are located."""

import datetime as dt

import pytest

from qualityplan.indicators.models import RegistryItem
from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.ingest.runner import import_file

GOOD = """类别,名称,企业/单位,所属单位,所在市县,认定日期,证书编号
brand_product,椰子汁,海南椰树集团,省质监局,海口市,2017-05-10,MP-2017-01
scenic_2a,呀诺达雨林,呀诺达公司,省旅游委,保亭,2017-07-01,A-2017-03
trademark,东方红茶,东方某公司,东方市,,2017-08-01,TM-2017-09
"""


@pytest.mark.django_db
def test_registry_import_with_region(units):
    batch = import_file(kind="registry", name="registry.csv", data=GOOD.encode())
    assert batch.status == ImportStatus.DONE, batch.errors
    items = {i.name: i for i in RegistryItem.objects.select_related("unit", "region")}
    assert items["椰子汁"].unit.code == "QTS" and items["椰子汁"].region.code == "460100"
    assert items["呀诺达雨林"].region.code == "469029" and items["呀诺达雨林"].date == dt.date(2017, 7, 1)
    assert items["东方红茶"].unit.code == "469007" and items["东方红茶"].region is None
    again = import_file(kind="registry", name="registry.csv", data=GOOD.encode())
    assert RegistryItem.objects.count() == 3 and again.status in (ImportStatus.DONE, ImportStatus.DUPLICATE)


@pytest.mark.django_db
def test_registry_region_must_be_a_city_or_county(units):
    bad = GOOD.replace("保亭", "省农业厅")
    batch = import_file(kind="registry", name="bad.csv", data=bad.encode())
    assert batch.status == ImportStatus.FAILED
    assert any(e["row"] == 3 and e["field"] == "region" for e in batch.errors), batch.errors
    assert RegistryItem.objects.count() == 0
