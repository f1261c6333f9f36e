"""The replica router: reads go to the replica only where asked, never inside a write transaction, never right after
the user's own write (read-your-writes)."""

import time

import pytest
from django.db import transaction
from django.test import RequestFactory

from qualityplan.core import db_routing
from qualityplan.core.db_routing import ReplicaRouter, reading_from_replica, replica_reads


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(db_routing, "replica_configured", lambda: True)


def test_default_everywhere_without_a_replica():
    router = ReplicaRouter()
    with reading_from_replica():
        assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "plans") is False
    assert router.allow_migrate("default", "plans") is True


@pytest.mark.django_db(transaction=True)
def test_reads_go_to_the_replica_only_inside_the_block(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"
    with reading_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
        with transaction.atomic():  # a read inside a write transaction must see the transaction's rows
            assert router.db_for_read(None) == "default"
    assert router.db_for_read(None) == "default"


class _Session(dict):
    pass


@pytest.mark.django_db(transaction=True)
def test_replica_reads_decorator_honours_read_your_writes(with_replica, settings):
    settings.REPLICA_READ_YOUR_WRITES_SECONDS = 30
    seen = []

    @replica_reads
    def view(request):
        seen.append(ReplicaRouter().db_for_read(None))

    request = RequestFactory().get("/indicators/")
    request.session = _Session()
    view(request)
    request.session[db_routing.SESSION_KEY] = time.time()  # this user just wrote
    view(request)
    request.session[db_routing.SESSION_KEY] = time.time() - 31  # long enough ago
    view(request)
    post = RequestFactory().post("/indicators/")
    post.session = _Session()
    view(post)
    assert seen == ["replica", "default", "replica", "default"]
