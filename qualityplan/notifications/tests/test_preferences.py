"""Per-user delivery preferences and the daily digest (issue 13)."""

import pytest
from django.core import mail

from qualityplan.notifications.models import Notification, NotificationPreference
from qualityplan.notifications.services import (
    Message,
    notifications_deliver,
    notifications_send_digest,
    notify_office,
    preference_update,
)

pytestmark = pytest.mark.django_db


def _msg(user, kind="urge", title="催办通知"):
    return Message(user_id=user.id, title=title, kind=kind, email=user.email, url="/supervision/")


def test_muted_kind_goes_to_the_inbox_but_not_by_email(users):
    city = users["city"]
    city.email = "haikou@example.org"
    city.save()
    preference_update(user=city, email_enabled=True, daily_digest=False, email_muted_kinds=["urge"])
    notifications_deliver(messages=[_msg(city, "urge"), _msg(city, "circular", "通报")])
    assert Notification.objects.filter(recipient=city).count() == 2  # the inbox never loses a hand-over
    assert [m.subject for m in mail.outbox] == ["通报"]


def test_email_off(users):
    city = users["city"]
    city.email = "haikou@example.org"
    city.save()
    preference_update(user=city, email_enabled=False, daily_digest=False, email_muted_kinds=[])
    notifications_deliver(messages=[_msg(city)])
    assert Notification.objects.filter(recipient=city).count() == 1 and mail.outbox == []


def test_daily_digest_sends_one_mail_once(users):
    city = users["city"]
    city.email = "haikou@example.org"
    city.save()
    preference_update(user=city, email_enabled=True, daily_digest=True, email_muted_kinds=[])
    notifications_deliver(messages=[_msg(city, title="催办一"), _msg(city, title="催办二")])
    assert mail.outbox == []  # nothing at once
    assert notifications_send_digest() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["haikou@example.org"]
    body = mail.outbox[0].body
    assert "您有 2 条新消息" in body and "催办一" in body and "催办二" in body
    assert notifications_send_digest() == 0 and len(mail.outbox) == 1  # idempotent


def test_unknown_kind_is_refused_naming_the_field(users):
    from qualityplan.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="^消息类型：未知的类型 nonsense") as exc:
        preference_update(user=users["city"], email_enabled=True, daily_digest=False, email_muted_kinds=["nonsense"])
    assert exc.value.extra["field"] == "email_muted_kinds"


def test_notify_office_reaches_every_office_user_only(users, make_user):
    from qualityplan.orgs.roles import Role

    second = make_user("t_office2", Role.OFFICE, "OFFICE")
    assert notify_office(title="待审核", url="/x/") == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {users["office"].id, second.id}


def test_preferences_page_saves_the_users_own_settings(users, client_for):
    c = client_for(users["city"])
    page = c.get("/notifications/preferences/")
    assert page.status_code == 200 and "消息设置" in page.content.decode()
    assert c.post("/notifications/preferences/", {}).status_code == 400  # not the page's form: nothing saved
    assert not NotificationPreference.objects.filter(user=users["city"]).exists()
    r = c.post(
        "/notifications/preferences/",
        {"form": "preferences", "email_enabled": "1", "kind_urge": "1", "kind_circular": "1"},
    )
    assert r.status_code == 302
    pref = users["city"].notification_preference
    assert pref.email_enabled and not pref.daily_digest
    assert "urge" not in pref.email_muted_kinds and "circular" not in pref.email_muted_kinds
    assert "summary" in pref.email_muted_kinds
