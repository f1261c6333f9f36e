"""Yearly partitions of the air tables on PostgreSQL (issue 19): imports land in their year's partition, queries on a
year read only that partition (EXPLAIN), the coming years are created ahead; SQLite keeps plain tables."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection

from qualityplan.core import clock
from qualityplan.monitoring import partitions
from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.ingest.runner import import_file
from qualityplan.monitoring.models import AirDaily, AirHourly, Station

from .test_importers import air_csv

pytestmark = pytest.mark.django_db


def _rows_by_partition(table: str) -> dict[str, int]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT tableoid::regclass::text, COUNT(*) FROM {table} GROUP BY 1")
        return dict(cur.fetchall())


def _scanned(queryset, table: str) -> set[str]:
    """The partitions of ``table`` PostgreSQL's plan reads (``Relation Name`` of every plan node)."""
    plan = json.loads(queryset.explain(format="json"))

    def walk(node):
        yield node.get("Relation Name", "")
        for child in node.get("Plans", []):
            yield from walk(child)

    return {name for name in walk(plan[0]["Plan"]) if name.startswith(f"{table}_")}


@pytest.mark.postgres
def test_air_tables_are_partitioned_by_year_with_years_ahead():
    this_year = clock.today().year
    for table in partitions.TABLES:
        assert partitions.is_partitioned(table)
        names = partitions.partitions(table)
        assert f"{table}_default" in names and names[f"{table}_default"] == "DEFAULT"
        assert names[f"{table}_y2017"] == "FOR VALUES FROM ('2017-01-01') TO ('2018-01-01')"
        years = sorted(int(n.rsplit("_y", 1)[1]) for n in names if "_y" in n)
        assert years == list(range(2000, this_year + 3))  # from IMPORT_DATE_EARLIEST's 2000 to two years ahead
    with connection.cursor() as cur:  # the primary key carries the partition key
        cur.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'monitoring_airhourly'::regclass "
                    "AND contype = 'p'")  # fmt: skip
        assert cur.fetchone()[0] == "PRIMARY KEY (id, date)"


@pytest.mark.postgres
def test_an_import_lands_in_its_years_partition_and_year_queries_are_pruned(units):
    batch = import_file(kind="air", name="air.csv", data=air_csv())  # 2 stations × 2 days (2017-01-01/02) × 24 h
    assert batch.status == ImportStatus.DONE, batch.errors
    assert _rows_by_partition("monitoring_airhourly") == {"monitoring_airhourly_y2017": 96}
    # 2 station-days per day + 2 city-days per day, both in 2017
    assert _rows_by_partition("monitoring_airdaily") == {"monitoring_airdaily_y2017": 8}
    assert AirHourly.objects.count() == 96 and AirDaily.objects.filter(date__year=2017).count() == 8

    # the evaluation's query (city days of a year) and an import's range query read one partition each
    city_days = AirDaily.objects.filter(station__isnull=True, date__year=2017)
    assert _scanned(city_days, "monitoring_airdaily") == {"monitoring_airdaily_y2017"}
    two_days = AirHourly.objects.filter(date__gte=dt.date(2017, 1, 1), date__lte=dt.date(2017, 1, 2))
    assert _scanned(two_days, "monitoring_airhourly") == {"monitoring_airhourly_y2017"}
    new_year = AirHourly.objects.filter(date__gte=dt.date(2016, 12, 31), date__lte=dt.date(2017, 1, 2))
    assert _scanned(new_year, "monitoring_airhourly") == {"monitoring_airhourly_y2016", "monitoring_airhourly_y2017"}
    # without a date condition every partition is read (so the condition is what prunes)
    everything = _scanned(AirHourly.objects.filter(hour=3), "monitoring_airhourly")
    assert len(everything) == len(partitions.partitions("monitoring_airhourly"))

    # a second import of the same file adds nothing (the natural key still holds across the partitioned table)
    again = import_file(kind="air", name="air-again.csv", data=air_csv())
    assert again.status in (ImportStatus.DONE, ImportStatus.DUPLICATE)
    assert AirHourly.objects.count() == 96


@pytest.mark.postgres
def test_partitions_ahead_moves_rows_out_of_the_default_partition(units):
    station = Station.objects.create(code="FAR01", name="远期站", kind="air", unit=units["460100"])
    far = clock.today().year + 10  # beyond the partitions created ahead: the default partition takes it
    row = AirHourly.objects.create(station=station, date=dt.date(far, 3, 1), hour=5, pm10=12.5)
    assert _rows_by_partition("monitoring_airhourly") == {"monitoring_airhourly_default": 1}
    created = partitions.partitions_ensure()
    assert f"monitoring_airhourly_y{far}" in created and f"monitoring_airhourly_y{far + 2}" in created
    assert _rows_by_partition("monitoring_airhourly") == {f"monitoring_airhourly_y{far}": 1}
    assert AirHourly.objects.get(pk=row.pk).pm10 == 12.5
    assert partitions.partitions_ensure() == []  # idempotent
    call_command("partitions", ahead=1)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite default")
def test_sqlite_keeps_plain_tables(capsys):
    assert not partitions.is_partitioned("monitoring_airhourly")
    assert partitions.partitions_ensure() == []
    call_command("partitions")
    assert "plain tables" in capsys.readouterr().out
