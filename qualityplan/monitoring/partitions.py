"""Yearly range partitions of the air tables on PostgreSQL (issue 19); SQLite keeps plain tables.

``monitoring_airhourly`` and ``monitoring_airdaily`` are declaratively partitioned by ``RANGE ("date")``, one
partition per calendar year (``<table>_y2017`` holds 2017-01-01 … 2017-12-31) plus a ``<table>_default`` partition
that catches a date no year partition covers (so an import never fails for want of one). Queries that filter on
``date`` (every evaluation, dashboard and import query does: ``date__year``, date ranges) are pruned to the years
they touch; an import writes into its years' partitions; old years can be detached or moved to cheaper storage.

The primary key becomes ``(id, date)`` (PostgreSQL requires the partition key in every unique index); ``id`` stays
unique in practice (one identity sequence), and Django keeps addressing rows by ``id``. Nothing refers to these
rows by foreign key. Sampling records stay one table: their ``sample_no`` is unique across all years, which a
partitioned table cannot enforce (see docs/scaling.md).

:func:`partitions_ensure` creates the partitions of the coming years (``manage.py partitions`` / the monthly job);
rows that had landed in the default partition for such a year are moved into the new partition.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection as default_connection
from django.db import transaction

from qualityplan.core import clock

TABLES = ("monitoring_airhourly", "monitoring_airdaily")
KEY = "date"
FIRST_YEAR = 2000  # IMPORT_DATE_EARLIEST's default: no earlier date is accepted by an import
AHEAD = 2  # years created ahead of today (and of the newest data)


def supported(connection=None) -> bool:
    return (connection or default_connection).vendor == "postgresql"


def is_partitioned(table: str, connection=None) -> bool:
    connection = connection or default_connection
    if not supported(connection):
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(%s)", [table])
        row = cur.fetchone()
    return bool(row) and row[0] == "p"


def partitions(table: str, connection=None) -> dict[str, str]:
    """``{partition name: bound expression}`` of a partitioned table (empty if it is a plain table)."""
    connection = connection or default_connection
    if not is_partitioned(table, connection):
        return {}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
            "ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [table],
        )
        return dict(cur.fetchall())


def _years_with_data(cur, table: str) -> tuple[int | None, int | None]:
    cur.execute(f'SELECT EXTRACT(YEAR FROM MIN("{KEY}"))::int, EXTRACT(YEAR FROM MAX("{KEY}"))::int FROM {table}')
    return cur.fetchone()


def _create_year(cur, table: str, year: int) -> bool:
    """Create ``<table>_y<year>``; rows of that year waiting in the default partition move into it."""
    name = f"{table}_y{year}"
    cur.execute("SELECT to_regclass(%s)", [name])
    if cur.fetchone()[0] is not None:
        return False
    start, end = dt.date(year, 1, 1).isoformat(), dt.date(year + 1, 1, 1).isoformat()
    default = f"{table}_default"
    cur.execute("SELECT to_regclass(%s)", [default])
    has_default = cur.fetchone()[0] is not None
    moved = False
    if has_default:
        cur.execute(f'SELECT EXISTS (SELECT 1 FROM {default} WHERE "{KEY}" >= %s AND "{KEY}" < %s)', [start, end])
        moved = cur.fetchone()[0]
    if moved:  # a new partition may not overlap rows already in the default one: move them through it
        cur.execute(f"ALTER TABLE {table} DETACH PARTITION {default}")
    cur.execute(f"CREATE TABLE {name} PARTITION OF {table} FOR VALUES FROM ('{start}') TO ('{end}')")
    if moved:
        cur.execute(f'INSERT INTO {table} SELECT * FROM {default} WHERE "{KEY}" >= %s AND "{KEY}" < %s', [start, end])
        cur.execute(f'DELETE FROM {default} WHERE "{KEY}" >= %s AND "{KEY}" < %s', [start, end])
        cur.execute(f"ALTER TABLE {table} ATTACH PARTITION {default} DEFAULT")
    return True


def partitions_ensure(*, ahead: int = AHEAD, connection=None) -> list[str]:
    """Create the missing yearly partitions from the oldest data (or 2000) to ``ahead`` years after today and after
    the newest data. Returns the names created. No-op on SQLite and on plain tables."""
    connection = connection or default_connection
    created = []
    if not supported(connection):
        return created
    with transaction.atomic(using=connection.alias), connection.cursor() as cur:
        for table in TABLES:
            if not is_partitioned(table, connection):
                continue
            oldest, newest = _years_with_data(cur, table)
            last = max(clock.today().year, newest or 0) + ahead
            for year in range(min(FIRST_YEAR, oldest or FIRST_YEAR), last + 1):
                if _create_year(cur, table, year):
                    created.append(f"{table}_y{year}")
    return created


_ON_TABLE = re.compile(r" ON (?:ONLY )?(?:\w+\.)?(\w+) USING ")


def partition_table(table: str, connection) -> None:
    """Turn the plain ``table`` into a table partitioned by year on ``date``, keeping its rows, its identity sequence
    and the names of its constraints and indexes (later migrations address them by name). Inside a transaction."""
    with connection.cursor() as cur:
        old = f"{table}_unpartitioned"
        cur.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
            "ORDER BY contype, conname",
            [table],
        )
        constraints = cur.fetchall()
        cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS (SELECT 1 FROM "
            "pg_constraint c WHERE c.conrelid = to_regclass(%s) AND c.conname = i.indexname) ORDER BY i.indexname",
            [table, table],
        )
        indexes = cur.fetchall()
        cur.execute(f"ALTER TABLE {table} RENAME TO {old}")
        for name, _kind, _definition in constraints:
            cur.execute(f'ALTER TABLE {old} RENAME CONSTRAINT "{name}" TO "{name[:40]}_unpart"')
        for name, _definition in indexes:
            cur.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:40]}_unpart"')
        cur.execute(
            f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED "
            f'INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ("{KEY}")'
        )
        oldest, newest = _years_with_data(cur, old)
        last = max(clock.today().year, newest or 0) + AHEAD
        for year in range(min(FIRST_YEAR, oldest or FIRST_YEAR), last + 1):
            _create_year(cur, table, year)
        cur.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
        for name, kind, definition in constraints:
            if kind == "p":
                definition = f'PRIMARY KEY (id, "{KEY}")'
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cur.execute(_ON_TABLE.sub(f" ON {table} USING ", definition, count=1))
        cols = "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = "
        cur.execute(cols + "to_regclass(%s) AND attnum > 0 AND NOT attisdropped", [old])
        col_sql = cur.fetchone()[0]
        cur.execute(f"INSERT INTO {table} ({col_sql}) OVERRIDING SYSTEM VALUE SELECT {col_sql} FROM {old}")
        cur.execute(f"DROP TABLE {old}")
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
            [table],
        )
