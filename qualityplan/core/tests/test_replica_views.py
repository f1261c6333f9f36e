"""The read-only pages of issue 19 — dashboards, open data, exports — read from the streaming replica; a user who
has just written reads from the primary (read-your-writes); pages that are not read-only never touch the replica."""

from __future__ import annotations

import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from qualityplan.core import db_routing
from qualityplan.core.tests.test_replica import standby  # noqa: F401 - the fixture (a real hot standby)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases="__all__")]

READ_ONLY = [
    "/indicators/?year=2017",  # dashboard
    "/indicators/dashboard.json?year=2017",
    "/indicators/completeness/?year=2017",
    "/credit/public/?q=海南",  # open data (no sign-in)
    "/credit/public/blacklist.csv",
    "/ledger/export.xlsx",  # exports
    "/supervision/export.xlsx",
    "/hotline/export.xlsx",
]


def _caught_up(timeout: float = 30.0) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        lsn = cur.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cur.fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError(f"the standby did not replay up to {lsn} within {timeout} s")


def _replica_queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(url)
    return response.status_code, len(on_replica.captured_queries)


def test_read_only_pages_read_from_the_replica_until_the_user_writes(standby, users, plan_2017, client_for):  # noqa: F811
    office = client_for(users["office"])
    _caught_up()
    for url in READ_ONLY:
        status, n = _replica_queries(office, url)
        assert status == 200, url
        assert n > 0, f"{url} did not read from the replica"

    session = office.session  # this user just wrote something: every page reads the primary for a while
    session[db_routing.SESSION_KEY] = time.time()
    session.save()
    for url in READ_ONLY:
        status, n = _replica_queries(office, url)
        assert (status, n) == (200, 0), url


def test_pages_that_are_not_declared_read_only_stay_on_the_primary(standby, users, plan_2017, client_for):  # noqa: F811
    office = client_for(users["office"])
    for url in ("/ledger/", "/plans/targets/", "/monitoring/imports/"):
        status, n = _replica_queries(office, url)
        assert (status, n) == (200, 0), url
