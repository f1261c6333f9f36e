"""Audit log edges: a replaced link in the chain, user deletions, fixture loads, saves of rows not loaded first,
sign-outs without a user, failed sign-ins outside a request, a writer that loses the race for a sequence number; and
the current-actor context outside a request."""

from __future__ import annotations

import contextvars
import json
import uuid

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client

from qualityplan.core import audit
from qualityplan.core.audit import verify_chain
from qualityplan.core.middleware import acting_as, get_current_request, get_current_user, set_current_user
from qualityplan.core.models import ChangeLog
from qualityplan.core.tests.test_audit import _allow_tampering, _entries_for
from qualityplan.orgs.models import Unit, User

pytestmark = pytest.mark.django_db


def test_verify_detects_a_replaced_link(users):
    rows = list(ChangeLog.objects.order_by("seq"))
    assert len(rows) >= 3  # the users fixture created seven users
    _allow_tampering()
    ChangeLog.objects.filter(pk=rows[2].pk).update(prev_hash=rows[0].hash)  # linked to the wrong predecessor
    checked, broken = verify_chain()
    assert checked == 2 and broken.pk == rows[2].pk and broken.seq == rows[2].seq
    assert broken.reason == "previous-hash link does not match: entry inserted or replaced"


def test_a_deleted_user_is_logged_without_secrets(users):
    viewer = users["viewer"]
    pk = viewer.pk
    with acting_as(users["office"]):
        viewer.delete()
    entry = ChangeLog.objects.filter(content_type__model="user", object_id=str(pk), action="delete").get()
    assert entry.user_name == "t_office" and entry.after is None
    assert entry.before["username"] == "t_viewer" and entry.before["role"] == "viewer"
    assert not {"password", "last_login", "date_joined"} & set(entry.before)


def test_fixture_loads_are_not_audited(units, tmp_path):
    fixture = tmp_path / "user.json"
    fixture.write_text(
        json.dumps([{"model": "orgs.user", "pk": 990001, "fields": {"username": "loaded", "password": "!"}}])
    )
    before = ChangeLog.objects.count()
    call_command("loaddata", str(fixture), verbosity=0)
    assert User.objects.get(pk=990001).username == "loaded"
    assert ChangeLog.objects.count() == before


def test_a_row_saved_without_being_loaded_has_no_before_state(units):
    stored = units["QTS"]
    fresh = Unit(pk=stored.pk, code=stored.code, kind=stored.kind, name="省市场监管局", sort_order=stored.sort_order,
                 created_at=stored.created_at)  # fmt: skip
    fresh.save()  # an UPDATE of a row this object never read
    entry = _entries_for(stored).filter(action="update").latest("seq")
    assert entry.before is None and entry.after["name"] == "省市场监管局" and entry.after["code"] == "QTS"


def test_sign_out_without_a_user_writes_nothing(db):
    before = ChangeLog.objects.count()
    Client().logout()  # an anonymous session: user_logged_out carries no user
    assert ChangeLog.objects.count() == before


def test_failed_sign_in_outside_a_request_has_no_address(db):
    user_login_failed.send(sender=__name__, credentials={"username": "某用户", "password": "x"})
    entry = ChangeLog.objects.filter(action="login_failed").latest("seq")
    assert entry.user_name == "某用户" and entry.object_repr == "某用户" and entry.after == {"ip": ""}
    assert "x" not in json.dumps(entry.after)


def test_a_writer_that_loses_the_sequence_race_retries(users, monkeypatch):
    last = ChangeLog.objects.order_by("-seq").first()
    real = ChangeLog.objects.bulk_create
    calls = []

    def racing(objs, *args, **kwargs):
        calls.append([o.seq for o in objs])
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: core_changelog.seq")  # another writer took it
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(ChangeLog.objects, "bulk_create", racing)
    audit.log_bulk(Unit, action="update", summary={"title": "重试"})
    assert calls == [[last.seq + 1], [last.seq + 1]]  # the same number, read again after the failure
    assert verify_chain()[1] is None

    monkeypatch.setattr(ChangeLog.objects, "bulk_create", lambda objs, *a, **k: (_ for _ in ()).throw(IntegrityError))
    with pytest.raises(IntegrityError):  # gives up after 20 attempts
        audit.log_bulk(Unit, action="update", summary={"title": "放弃"})


def test_json_values():
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert audit._json_value(u) == "12345678-1234-5678-1234-567812345678"
    assert audit._client_ip(None) == ""


def test_current_user_outside_a_request(users):
    def run():
        assert get_current_user() is None and get_current_request() is None
        set_current_user(users["office"])  # no request: the user itself is the actor
        assert get_current_user() == users["office"] and get_current_request() is None
        with acting_as(users["dept"]):
            assert get_current_user() == users["dept"]
        assert get_current_user() == users["office"]

    contextvars.copy_context().run(run)  # the context variable does not leak into other tests
    assert get_current_user() is None
