"""Sign-in and API hardening: lockouts, throttling, personal tokens, sessions, the signed-in-only schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from qualityplan.orgs import tokens
from qualityplan.orgs.models import ApiToken
from qualityplan.testing import PASSWORD


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="10.0.0.7"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_by_username_and_ip(users, settings):
    c = Client()
    codes = [_login(c, "t_qts", "wrong-password").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # AXES_FAILURE_LIMIT = 5: the 5th failure locks
    r = _login(c, "t_qts", PASSWORD)  # the right password no longer helps
    assert r.status_code == 429
    # the same user from another address is not locked (an attacker cannot lock the office out from elsewhere)
    assert _login(Client(), "t_qts", PASSWORD, ip="10.0.0.8").status_code == 302


def test_lockout_by_ip_across_usernames(users, settings):
    """Password spraying: 40 usernames × one password from one IP → the IP is locked, even for a real user."""
    c = Client()
    statuses = [_login(c, f"user{i}", "Summer2017!").status_code for i in range(40)]
    assert statuses[:19] == [200] * 19  # AXES_IP_FAILURE_LIMIT = 20: the 20th failure locks the address
    assert set(statuses[19:]) == {429}
    assert _login(c, "t_haikou", PASSWORD).status_code == 429
    assert _login(Client(), "t_haikou", PASSWORD, ip="10.0.0.9").status_code == 302


def test_a_valid_sign_in_does_not_reset_the_ip_lock(users):
    c = Client()
    for i in range(12):
        _login(c, f"user{i}", "Summer2017!")
    assert _login(c, "t_qts", PASSWORD).status_code == 302  # 12 < 20: a real user may still sign in
    statuses = [_login(Client(), f"other{i}", "Summer2017!").status_code for i in range(8)]
    assert statuses[-1] == 429  # 12 + 8 = 20 failures from the address: locked, the sign-in did not reset them


def test_api_throttle_answers_429(users, client_for, settings):
    settings.API_THROTTLE_USER = "3/minute"
    c = client_for(users["city"])
    codes = [c.get("/api/v1/plans/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    settings.API_THROTTLE_ANON = "2/minute"
    anon = Client()
    assert [anon.get("/api/v1/plans/").status_code for _ in range(3)][-1] == 429


def test_token_created_on_profile_shown_once_stored_hashed(users, client_for):
    c = client_for(users["city"])
    r = c.post("/orgs/profile/", {"action": "create", "name": "数据对接", "days": "90"})
    page = r.content.decode()
    token = ApiToken.objects.get(user=users["city"])
    raw = page.split('<code id="new-token">', 1)[1].split("</code>", 1)[0]
    assert raw.startswith("qp_") and len(raw) > 40
    assert raw not in str(ApiToken.objects.values_list().get()) and token.key_hash == tokens.token_hash(raw)
    assert raw not in c.get("/orgs/profile/").content.decode()  # shown once
    expected = dt.timedelta(days=90)
    assert abs((token.expires_at - token.created_at) - expected) < dt.timedelta(seconds=5)

    api = Client()
    me = api.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert me.status_code == 200
    assert api.get("/api/v1/plans/", HTTP_AUTHORIZATION="Token qp_nothing").status_code == 401

    c.post("/orgs/profile/", {"action": "revoke", "token": token.pk})
    assert api.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401


def test_token_expires(users, settings):
    token, raw = tokens.api_token_create(user=users["dept"], name="ci", days=1)
    api = Client()
    assert api.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    settings.QUALITYPLAN_TODAY = (token.expires_at + dt.timedelta(days=1)).date().isoformat()
    assert api.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_creation_and_revocation_are_audited(users, client_for):
    from qualityplan.core.models import ChangeLog

    c = client_for(users["dept"])
    c.post("/orgs/profile/", {"action": "create", "name": "报表脚本"})
    token = ApiToken.objects.get(user=users["dept"])
    c.post("/orgs/profile/", {"action": "revoke", "token": token.pk})
    log = ChangeLog.objects.filter(content_type__model="apitoken", object_id=str(token.pk)).order_by("id")
    assert [(e.action, e.user_name) for e in log] == [("create", "t_qts"), ("update", "t_qts")]
    assert "key_hash" not in (log[0].after or {}) or len(log[0].after["key_hash"]) == 64


def test_users_cannot_revoke_others_tokens(users, client_for):
    token, _raw = tokens.api_token_create(user=users["dept"], name="x")
    r = client_for(users["city"]).post("/orgs/profile/", {"action": "revoke", "token": token.pk})
    assert r.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": ""}, "用途"), ({"name": "x", "days": "9999"}, "有效期"), ({"name": "x", "days": "a"}, "有效期")],
)
def test_token_form_errors_name_the_field(users, client_for, data, field):
    r = client_for(users["dept"]).post("/orgs/profile/", {"action": "create", **data})
    assert r.status_code == 200 and field in r.content.decode()
    assert not ApiToken.objects.exists()


def test_session_lifetime(users, client_for, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    c = Client()
    r = _login(c, "t_qts", PASSWORD)
    assert r.status_code == 302
    cookie = r.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_schema_and_docs_only_when_signed_in(path, users, client_for):
    anon = Client().get(path)
    assert anon.status_code in (302, 401)
    if anon.status_code == 302:
        assert anon["Location"].startswith("/accounts/login/")
    signed_in = client_for(users["viewer"]).get(path)
    if path == "/api/redoc/":  # one documentation UI (Swagger, served from our static files)
        assert signed_in.status_code == 302 and signed_in["Location"] == "/api/docs/"
    else:
        assert signed_in.status_code == 200


def test_token_writes_are_logged_as_the_token_user(users, plan_2017):
    from qualityplan.core.models import ChangeLog
    from qualityplan.ledger import services as ledger
    from qualityplan.plans.models import Measure

    measure = Measure.objects.filter(plan=plan_2017, responsibilities__role="lead", responsibilities__unit__code="QTS")[
        0
    ]
    task = ledger.task_create(
        user=users["dept"], measure=measure, title="方案", owner_name="李", deadline=dt.date(2017, 6, 30)
    )
    _token, raw = tokens.api_token_create(user=users["dept"], name="脚本")
    api = Client()
    etag = api.get(f"/api/v1/ledger/tasks/{task.pk}/", HTTP_AUTHORIZATION=f"Token {raw}")["ETag"]
    r = api.patch(
        f"/api/v1/ledger/tasks/{task.pk}/", {"deadline": "2017-10-31"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {raw}", HTTP_IF_MATCH=etag,
    )  # fmt: skip
    assert r.status_code == 200, r.content
    entry = ChangeLog.objects.filter(content_type__model="task", object_id=str(task.pk), action="update").latest("id")
    assert entry.user_name == "t_qts" and entry.user_id == users["dept"].pk


def test_legacy_drf_token_is_converted_on_first_use(users):
    from rest_framework.authtoken.models import Token

    legacy = Token.objects.create(user=users["city"])
    api = Client()
    assert api.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Token {legacy.key}").status_code == 200
    assert not Token.objects.exists()
    token = ApiToken.objects.get(user=users["city"])
    assert token.key_hash == tokens.token_hash(legacy.key) and token.is_active
    assert api.get("/api/v1/plans/", HTTP_AUTHORIZATION=f"Token {legacy.key}").status_code == 200
