"""Read replicas against a real streaming replica of the throwaway PostgreSQL cluster (issue 19).

`make test` starts the PostgreSQL pass with `QUALITYPLAN_PG_REPLICA=1`: scripts/with-postgres.sh adds a hot standby
(pg_basebackup -R) and exports DATABASE_REPLICA_URL. Django's test setup makes the `replica` alias a mirror of the
test database; here it is pointed at the standby itself (the test database replicates to it like any other), so the
queries really run on the replica.
"""

from __future__ import annotations

import os
import time

import dj_database_url
import pytest
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from qualityplan.core import db_routing
from qualityplan.core.db_routing import ReplicaRouter, reading_from_replica, replica_reads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture
def standby():
    url = os.environ.get("DATABASE_REPLICA_URL")
    if not url or "replica" not in connections.settings:
        if os.environ.get("CI") == "true":
            pytest.fail("DATABASE_REPLICA_URL is not set: make test starts a streaming replica for this pass")
        pytest.skip("no streaming replica (run through scripts/test.sh or QUALITYPLAN_PG_REPLICA=1)")
    conn = connections["replica"]
    original = conn.settings_dict
    parsed = dj_database_url.parse(url)
    conn.close()
    conn.settings_dict = {**original, "HOST": parsed["HOST"], "PORT": parsed["PORT"],
                          "NAME": connections["default"].settings_dict["NAME"]}  # fmt: skip
    try:
        yield conn
    finally:
        conn.close()
        conn.settings_dict = original


def _in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def _wait_until_replicated(code: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM orgs_unit WHERE code = %s", [code])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError(f"row {code} did not reach the replica within {timeout} s")


def test_reads_run_on_the_standby_and_writes_on_the_primary(standby, units):
    from qualityplan.orgs.models import Unit

    assert _in_recovery("replica") is True
    assert _in_recovery("default") is False
    Unit.objects.create(code="REPLICA-T1", kind="department", name="复制测试局")  # committed on the primary
    _wait_until_replicated("REPLICA-T1")

    with reading_from_replica(), CaptureQueriesContext(standby) as on_replica:
        assert ReplicaRouter().db_for_read(Unit) == "replica"
        assert Unit.objects.filter(code="REPLICA-T1").exists()
        created = Unit.objects.create(code="REPLICA-T2", kind="department", name="写入主库局")  # a write: primary
    sql = [q["sql"] for q in on_replica.captured_queries]
    assert any('"orgs_unit"."code" = \'REPLICA-T1\'' in q for q in sql), sql  # the read ran on the standby
    assert all(q.lstrip().upper().startswith("SELECT") for q in sql), sql  # and nothing but reads
    assert Unit.objects.using("default").filter(pk=created.pk).exists()


def test_a_replica_reads_view_follows_read_your_writes(standby, units, settings):
    from qualityplan.orgs.models import Unit

    settings.REPLICA_READ_YOUR_WRITES_SECONDS = 30
    seen = []

    @replica_reads
    def dashboard(request):
        seen.append(_in_recovery(ReplicaRouter().db_for_read(Unit)))

    request = RequestFactory().get("/indicators/")
    request.session = {}
    dashboard(request)  # nobody wrote: the standby serves it
    request.session[db_routing.SESSION_KEY] = time.time()  # this user just wrote
    dashboard(request)  # the primary serves it: the user sees their own change
    assert seen == [True, False]
