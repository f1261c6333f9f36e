from django.core import mail

from qualityplan.notifications.models import Notification
from qualityplan.notifications.selectors import notification_unread_count
from qualityplan.notifications.services import Message, messages_for_units, notifications_deliver


def test_deliver_inbox_and_email(users):
    users["city"].email = "haikou@example.org"
    users["city"].save()
    n = notifications_deliver(
        messages=messages_for_units(
            unit_ids=[users["city"].unit_id, users["county"].unit_id],
            title="催办通知",
            body="请办理",
            url="/x/",
            kind="urge",
        )
    )
    assert n == 2 and Notification.objects.count() == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["haikou@example.org"]
    assert notification_unread_count(user=users["city"]) == 1


def test_inbox_page_and_read(users, client_for):
    notifications_deliver(messages=[Message(user_id=users["city"].id, title="提醒一", url="/ledger/")])
    notifications_deliver(messages=[Message(user_id=users["county"].id, title="别人的消息")])
    c = client_for(users["city"])
    page = c.get("/notifications/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "提醒一" in body and "别人的消息" not in body and "1 条未读" in body
    mine = Notification.objects.get(recipient=users["city"])
    other = Notification.objects.get(recipient=users["county"])
    assert c.post(f"/notifications/{other.pk}/read/").status_code == 404
    assert c.post(f"/notifications/{mine.pk}/read/", {"go": "1"})["Location"] == "/ledger/"
    assert notification_unread_count(user=users["city"]) == 0


def test_inbox_api(users, client_for):
    notifications_deliver(
        messages=[Message(user_id=users["city"].id, title="甲"), Message(user_id=users["county"].id, title="乙")]
    )
    c = client_for(users["city"])
    data = c.get("/api/v1/notifications/").json()
    assert [r["title"] for r in data["results"]] == ["甲"]
    assert c.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
    assert c.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    other = Notification.objects.get(recipient=users["county"])
    assert c.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
