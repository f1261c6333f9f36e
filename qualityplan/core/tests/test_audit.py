"""The audit log: real actor whatever the authentication, users and sign-ins, the hash chain and its verification."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from qualityplan.core.audit import GENESIS, verify_chain
from qualityplan.core.middleware import acting_as
from qualityplan.core.models import ChangeLog
from qualityplan.plans.models import Target
from qualityplan.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _allow_tampering():
    """On PostgreSQL the append-only trigger refuses UPDATE/DELETE; the tamper tests switch it off (rolled back)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks, or ALTER TABLE is refused
            cursor.execute("ALTER TABLE core_changelog DISABLE TRIGGER core_changelog_append_only")


def _entries_for(obj):
    return ChangeLog.objects.filter(content_type__model=type(obj)._meta.model_name, object_id=str(obj.pk))


def test_token_patch_is_logged_as_the_tokens_user(plan_2017, users):
    plan_2017.__class__.objects.filter(pk=plan_2017.pk).update(status="draft")  # a published plan is not edited
    token = Token.objects.create(user=users["office"])
    target = Target.objects.get(plan=plan_2017, code="T16")
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    etag = client.get(f"/api/v1/targets/{target.pk}/").headers["ETag"]
    r = client.patch(
        f"/api/v1/targets/{target.pk}/",
        {"baseline_value": "38.5"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert r.status_code == 200, r.content
    entry = _entries_for(target).filter(action="update").latest("seq")
    assert entry.user_id == users["office"].pk
    assert entry.user_name == "t_office"
    assert entry.unit_name == users["office"].unit.name
    assert not _entries_for(target).filter(action="update", user_name="system").exists()


def test_user_role_unit_and_password_changes_are_logged(users, units):
    user = users["city"]
    with acting_as(users["office"]):
        user.role = "viewer"
        user.unit = units["469002"]
        user.set_password("another-pass-2017")
        user.save()
    entry = _entries_for(user).filter(action="update").latest("seq")
    assert entry.user_name == "t_office"
    assert entry.before["role"] == "city_reporter" and entry.after["role"] == "viewer"
    assert entry.after["unit_id"] == units["469002"].pk
    assert entry.after["password"] == "(changed)"
    assert "pbkdf2" not in str(entry.after) and "pbkdf2" not in str(entry.before)


def test_permission_changes_are_logged(users):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="审核组")
    with acting_as(users["office"]):
        users["viewer"].groups.add(group)
    entry = _entries_for(users["viewer"]).latest("seq")
    assert entry.after == {"groups": {"added": ["审核组"]}}
    assert entry.user_name == "t_office"


def test_sign_in_sign_out_and_failed_sign_in_are_logged(users):
    client = Client()
    assert client.post("/accounts/login/", {"username": "t_viewer", "password": "wrong"}).status_code == 200
    failed = ChangeLog.objects.filter(action="login_failed").latest("seq")
    assert failed.user_name == "t_viewer" and failed.object_repr == "t_viewer" and failed.user_id is None
    r = client.post("/accounts/login/", {"username": "t_viewer", "password": PASSWORD})
    assert r.status_code == 302
    login = ChangeLog.objects.filter(action="login").latest("seq")
    assert login.user_id == users["viewer"].pk
    client.post("/accounts/logout/")
    logout = ChangeLog.objects.filter(action="logout").latest("seq")
    assert logout.user_id == users["viewer"].pk


def test_ledger_overdue_flags_are_logged_per_task(users, plan_2017):
    import datetime as dt

    from qualityplan.ledger import services
    from qualityplan.ledger.models import Task
    from qualityplan.plans.models import Measure

    measure = Measure.objects.filter(plan=plan_2017).first()
    with acting_as(users["office"]):
        task = Task.objects.create(
            plan=plan_2017,
            measure=measure,
            unit=users["dept"].unit,
            title="逾期测试",
            owner_name="李",
            deadline=dt.date(2017, 6, 30),
        )
        services.ledger_daily_run(today=dt.date(2017, 7, 3), notify=False)
    entry = _entries_for(task).filter(action="update").latest("seq")
    assert entry.before == {"overdue_since": None}
    assert entry.after == {"overdue_since": "2017-07-03"}
    assert entry.user_name == "t_office"


def _chain(n, users):
    with acting_as(users["office"]):
        for i in range(n):
            users["viewer"].full_name = f"名{i}"
            users["viewer"].save()
    assert verify_chain()[1] is None


def test_chain_links_each_entry_to_the_previous(users):
    _chain(3, users)
    rows = list(ChangeLog.objects.order_by("seq"))
    assert rows[0].seq == 1 and rows[0].prev_hash == GENESIS
    for prev, cur in zip(rows, rows[1:], strict=False):
        assert cur.seq == prev.seq + 1 and cur.prev_hash == prev.hash and len(cur.hash) == 64


def test_verify_detects_an_edited_row(users):
    _chain(4, users)
    victim = ChangeLog.objects.order_by("seq")[2]
    _allow_tampering()
    ChangeLog.objects.filter(pk=victim.pk).update(user_name="someone-else")
    checked, broken = verify_chain()
    assert broken.pk == victim.pk and "edited" in broken.reason and checked == victim.seq - 1
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1 and f"id={victim.pk}" in str(exc.value)


def test_verify_detects_a_deleted_row(users):
    _chain(4, users)
    rows = list(ChangeLog.objects.order_by("seq"))
    _allow_tampering()
    ChangeLog.objects.filter(pk=rows[1].pk).delete()
    broken = verify_chain()[1]
    assert broken.pk == rows[2].pk and "deleted" in broken.reason


def test_verify_detects_an_inserted_row(users):
    _chain(3, users)
    last = ChangeLog.objects.order_by("-seq").first()
    forged = ChangeLog.objects.create(
        seq=last.seq + 1,
        user_name="t_office",
        action="update",
        content_type=last.content_type,
        object_id=last.object_id,
        object_repr="forged",
        prev_hash=last.hash,
        hash="f" * 64,
    )
    broken = verify_chain()[1]
    assert broken.pk == forged.pk and "edited" in broken.reason
    unnumbered = ChangeLog.objects.create(
        user_name="x", action="update", content_type=last.content_type, object_id="1", object_repr="x"
    )
    assert verify_chain()[1].pk == unnumbered.pk


def test_verify_passes_on_an_intact_log(users):
    _chain(2, users)
    call_command("audit", "verify")


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete(users):
    from django.db import DatabaseError

    _chain(1, users)
    entry = ChangeLog.objects.order_by("seq").first()
    for statement in (
        lambda: ChangeLog.objects.filter(pk=entry.pk).update(user_name="x"),
        lambda: ChangeLog.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    assert ChangeLog.objects.get(pk=entry.pk).user_name == entry.user_name


def test_office_filters_the_log_by_user_unit_type_and_date(users, units, client_for):
    _chain(2, users)
    with acting_as(users["dept"]):
        users["dept"].full_name = "质监员"
        users["dept"].save()
    office = client_for(users["office"])
    page = office.get("/history/", {"user": "t_qts"}).content.decode()
    assert page.count("<td>t_qts</td>") == 1 and "<td>t_office</td>" not in page
    page = office.get("/history/", {"unit": units["QTS"].pk}).content.decode()
    assert "<td>t_qts</td>" in page and "<td>t_office</td>" not in page
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get(app_label="orgs", model="user")
    page = office.get("/history/", {"object_type": ct.pk, "date_from": "2000-01-01"}).content.decode()
    assert "full_name" in page
    page = office.get("/history/", {"date_to": "2000-01-01"}).content.decode()
    assert "t_office" not in page.split("<tbody>")[1]


def test_log_filters_refuse_bad_values_with_400(users, client_for):
    office = client_for(users["office"])
    for params, field in (
        ({"unit": "abc"}, "unit"),
        ({"date_from": "2017-13-45"}, "date_from"),
        ({"object_type": "999999"}, "object_type"),
        ({"date_from": "2017-05-01", "date_to": "2017-04-01"}, "date_to"),
    ):
        r = office.get("/history/", params)
        assert r.status_code == 400, params
        assert f'name="{field}"' in r.content.decode()


def test_log_page_is_office_only(users, client_for):
    for role in ("dept", "city", "inspector", "viewer"):
        assert client_for(users[role]).get("/history/").status_code == 403
    assert Client().get("/history/").status_code == 302


def test_object_pages_link_the_office_to_the_history(users, client_for, plan_2017):
    from qualityplan.ledger import services
    from qualityplan.ledger.models import Summary

    services.summaries_create_expected(plan=plan_2017)
    summary = Summary.objects.filter(unit=users["dept"].unit).first()
    link = f"/history/ledger/summary/{summary.pk}/"
    assert link in client_for(users["office"]).get(f"/ledger/summaries/{summary.pk}/").content.decode()
    assert link not in client_for(users["dept"]).get(f"/ledger/summaries/{summary.pk}/").content.decode()
    assert client_for(users["office"]).get(link).status_code == 200


def test_cli_acts_as_a_user_checked_by_the_same_policy(users, plan_2017):
    from io import StringIO

    with pytest.raises(CommandError, match="may not"):
        call_command("evaluate", "--year", "2017", "--as", "t_viewer", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="unknown"):
        call_command("evaluate", "--year", "2017", "--as", "nobody", stdout=StringIO(), stderr=StringIO())
