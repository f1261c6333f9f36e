"""Issue 13: every hand-over of the reporting workflow reaches the next actor's inbox (and e-mail)."""

import datetime as dt

import pytest
from django.core import mail

from qualityplan.indicators import services
from qualityplan.notifications.choices import NotificationKind
from qualityplan.notifications.models import Notification

pytestmark = pytest.mark.django_db

COMPLETE = {"T25": {"numerator": "80", "denominator": "100"}, "T26": {"numerator": "9", "denominator": "10"}}


@pytest.fixture
def county_q1(indicators_2017, users):
    return services.submission_get_or_create(unit=users["county"].unit, period="2017Q1")


def _submit(sub, user):
    services.submission_save(submission=sub, user=user, values=COMPLETE)
    return services.submission_submit(submission=sub, user=user)


def test_submitting_a_report_notifies_the_office(county_q1, users):
    users["office"].email = "office@example.org"
    users["office"].save()
    _submit(county_q1, users["county"])
    office_msgs = Notification.objects.filter(recipient=users["office"])
    assert office_msgs.count() == 1
    msg = office_msgs.get()
    assert msg.kind == NotificationKind.SUBMISSION
    assert msg.url == f"/indicators/reports/{county_q1.pk}/"
    assert "琼海市" in msg.title and "2017Q1" in msg.title and "审核" in msg.title
    assert msg.unit_id == users["county"].unit_id
    # the submitting unit itself is not told about its own action
    assert not Notification.objects.filter(recipient=users["county"]).exists()
    assert [m.to for m in mail.outbox] == [["office@example.org"]]


def test_approving_notifies_the_unit(county_q1, users):
    _submit(county_q1, users["county"])
    services.submission_approve(submission=county_q1, user=users["office"])
    msg = Notification.objects.get(recipient=users["county"])
    assert msg.kind == NotificationKind.SUBMISSION and "审核通过" in msg.title
    assert msg.url == f"/indicators/reports/{county_q1.pk}/"
    assert not Notification.objects.filter(recipient=users["city"]).exists()  # another city hears nothing


def test_return_and_reopen_notify_the_unit_with_the_reason(county_q1, users):
    _submit(county_q1, users["county"])
    services.submission_return(submission=county_q1, user=users["office"], reason="分母与上季度不一致")
    returned = Notification.objects.get(recipient=users["county"])
    assert "退回" in returned.title and returned.body == "退回原因：分母与上季度不一致"
    _submit(county_q1, users["county"])
    services.submission_approve(submission=county_q1, user=users["office"])
    services.submission_reopen(submission=county_q1, user=users["office"], reason="补充说明")
    titles = list(Notification.objects.filter(recipient=users["county"]).order_by("id").values_list("title", flat=True))
    assert len(titles) == 3 and "重新开放" in titles[-1]
    assert Notification.objects.filter(recipient=users["office"]).count() == 2  # two submissions


def test_validation_messages_are_chinese_sentences_naming_the_field(county_q1, users):
    from qualityplan.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        services.submission_save(submission=county_q1, user=users["county"],
                                 values={"T25": {"numerator": "120", "denominator": "100"}, "T26": {"numerator": "x"}})  # fmt: skip
    errors = exc.value.extra["errors"]
    assert errors["T25.numerator"] == "T25 分子：分子不能大于分母。"
    assert errors["T26.numerator"] == "T26 分子：“x”不是有效的数字。"
    with pytest.raises(ApplicationError) as exc:
        services.submission_submit(submission=county_q1, user=users["county"])
    assert exc.value.extra["errors"]["T25.denominator"] == "T25 分母：提交前必须填写。"


def test_due_date_reminder_and_overdue_notice_once_each(county_q1, users):
    # 2017Q1 is due on 2017-04-10 (test_reporting)
    assert services.submissions_remind(today=dt.date(2017, 4, 6)) == {"reminders": 0, "overdue": 0}
    assert services.submissions_remind(today=dt.date(2017, 4, 7)) == {"reminders": 1, "overdue": 0}
    assert services.submissions_remind(today=dt.date(2017, 4, 8)) == {"reminders": 0, "overdue": 0}  # once
    assert services.submissions_remind(today=dt.date(2017, 4, 11)) == {"reminders": 0, "overdue": 1}
    assert services.submissions_remind(today=dt.date(2017, 4, 12)) == {"reminders": 0, "overdue": 0}
    titles = list(Notification.objects.filter(recipient=users["county"]).order_by("id").values_list("title", flat=True))
    assert titles == ["2017Q1 指标填报将于 2017-04-10 截止", "2017Q1 指标填报已超过报送期限 2017-04-10"]
    _submit(county_q1, users["county"])
    county_q1.refresh_from_db()
    assert services.submissions_remind(today=dt.date(2017, 4, 20)) == {"reminders": 0, "overdue": 0}  # submitted
