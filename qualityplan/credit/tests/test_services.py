import datetime as dt

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.credit import selectors, services
from qualityplan.credit.models import CreditDocument, CreditEvent, Enterprise
from qualityplan.credit.policies import SYSTEM
from qualityplan.credit.tests.conftest import USCC_A, USCC_B
from qualityplan.monitoring.models import SamplingRecord

D = dt.date


def status(day, uscc=USCC_A):
    rows = list(selectors.status_rows(user=SYSTEM, as_of=day, uscc=uscc))
    assert len(rows) == 1
    return rows[0]


def test_invalid_code_is_kept_and_flagged(units):
    ent = services.enterprise_get_or_create(uscc="91460000MA5T00010X", name="码错公司")
    assert not ent.uscc_valid and "check character" in ent.uscc_error
    none = services.enterprise_get_or_create(uscc="", name="无码商行")
    assert none.uscc == "" and not none.uscc_valid
    assert services.enterprise_get_or_create(uscc="", name="无码商行").pk == none.pk


def test_names_over_time(enterprise):
    services.enterprise_get_or_create(uscc=USCC_A.lower(), name="海南新名称有限公司", on=D(2025, 3, 1))
    enterprise.refresh_from_db()
    assert enterprise.name == "海南新名称有限公司"
    assert list(enterprise.names.values_list("name", "valid_from")) == [
        ("海南示例食品有限公司", enterprise.names.first().valid_from),
        ("海南新名称有限公司", D(2025, 3, 1)),
    ]
    assert selectors.enterprise_list(user=SYSTEM, q="示例食品").get() == enterprise


def test_warning_only_penalty_is_archived_not_published(penalty):
    ev = penalty(kinds=("警告",))
    assert ev.starts_on is None
    assert status(D(2024, 1, 15))["penalties"] == []


def test_penalty_status_edges(penalty):
    penalty(kinds=("通报批评",), date=D(2024, 1, 15))
    assert status(D(2024, 1, 14))["class"] == "A"
    row = status(D(2024, 4, 14))
    assert row["class"] == "B" and row["penalties"][0]["publicity_until"] == D(2024, 4, 14)
    assert row["penalties"][0]["repair_from"] is None
    assert status(D(2024, 4, 15))["class"] == "A"


def test_class_c_for_three_year_publicity_and_d_for_revocation(penalty):
    penalty(kinds=("罚款",), date=D(2024, 1, 15))
    assert status(D(2027, 1, 14))["class"] == "C"
    assert status(D(2027, 1, 15))["class"] == "A"
    penalty(kinds=("吊销营业执照",), date=D(2024, 6, 1))
    row = status(D(2024, 6, 1))
    assert row["class"] == "D" and "吊销或责令停产停业处罚在公示期内" in row["reasons"]
    assert status(D(2024, 5, 31))["class"] == "C"


def test_blacklist_edges_and_early_removal(users, enterprise):
    services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 1))
    row = status(D(2025, 8, 31))
    assert (row["class"], row["blacklisted"], row["blacklist_until"], row["early_removal_from"]) == (
        "D",
        True,
        D(2025, 8, 31),
        D(2023, 9, 1),
    )
    assert status(D(2025, 9, 1))["blacklisted"] is False
    assert status(D(2022, 8, 31))["blacklisted"] is False


def test_blacklist_removal_ends_the_listing_that_day(users, enterprise):
    services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 1))
    services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_out", date=D(2023, 10, 9))
    assert status(D(2023, 10, 8))["blacklisted"] is True
    assert status(D(2023, 10, 9))["blacklisted"] is False


def test_abnormal_list_until_removed(users, enterprise):
    services.event_create(user=users["dept"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 7, 1))
    assert status(D(2030, 1, 1))["abnormal"] is True
    services.event_create(user=users["dept"], enterprise=enterprise, kind="abnormal_out", date=D(2024, 9, 2))
    assert status(D(2024, 9, 1))["abnormal"] is True and status(D(2024, 9, 1))["class"] == "B"
    assert status(D(2024, 9, 2))["abnormal"] is False
    with pytest.raises(ApplicationError):
        services.event_create(user=users["dept"], enterprise=enterprise, kind="abnormal_out", date=D(2024, 9, 3))


def test_other_department_cannot_enter_for_qts(users, enterprise, units):
    with pytest.raises(ApplicationError):
        services.event_create(
            user=users["dept2"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 7, 1), unit=units["QTS"]
        )
    with pytest.raises(ApplicationError):
        services.event_create(user=users["viewer"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 7, 1))


def test_entry_is_audited_with_the_actor(users, enterprise, penalty):
    ev = penalty()
    log = ChangeLog.objects.filter(object_id=str(ev.pk), content_type__model="creditevent").first()
    assert log is not None


def test_entry_validation_names_the_field(users, enterprise):
    def make(**kw):
        base = {"user": users["dept"], "enterprise": enterprise, "kind": "penalty", "date": D(2024, 1, 1)}
        base.update(kw)
        return services.event_create(**base)

    for kw, field in [
        ({"penalties": []}, "penalties"),
        ({"penalties": ["罚款"], "lower_amount": False}, "fine_yuan"),
        ({"penalties": ["罚款"], "fine_yuan": 100}, "lower_amount"),
        ({"penalties": ["限制从业"]}, "restrict_years"),
        ({"penalties": ["拘留"]}, "penalties"),
        ({"penalties": ["警告"], "domain": "化妆品"}, "domain"),
        ({"penalties": ["警告"], "published_on": D(2023, 12, 31)}, "published"),
    ]:
        with pytest.raises(ApplicationError) as exc:
            make(**kw)
        assert exc.value.extra["field"] == field, kw


# Failing samples ---------------------------------------------------------------------------------------------


def sample(units, no, group="food", result="不合格", uscc=USCC_A, day=None, kind="监督抽检"):
    return SamplingRecord.objects.create(
        sample_no=no,
        enterprise="海南示例食品有限公司",
        uscc=uscc,
        uscc_valid=True,
        unit=units["460100"],
        product_category="糕点",
        product_group=group,
        sampling_date=day or D(2025, 5, 20),
        result=result,
        failing_items="菌落总数",
        sample_type=kind,
    )


def test_failing_sample_with_holiday_window_becomes_an_event_on_the_right_working_day(users, units, enterprise):
    # food, result received Fri 2025-09-26: 7th working day after is 10-13 (National Day 10-01..10-08 off,
    # make-up days 09-28 and 10-11 worked) -> event on 10-14
    ev = services.sample_event_sync(user=users["dept"], sampling_record=sample(units, "S1"), received_on=D(2025, 9, 26))
    assert ev.starts_on == D(2025, 10, 14)
    assert status(D(2025, 10, 13))["reasons"] == ["无在公示期内的负面信息"]
    assert status(D(2025, 10, 14))["class"] == "B"
    # product (15 days) received 2025-09-17: day 15 is 10-02 (holiday) -> last day 10-09 -> event 10-10
    ev2 = services.sample_event_sync(
        user=users["dept"], sampling_record=sample(units, "S2", group="industrial"), received_on=D(2025, 9, 17)
    )
    assert ev2.starts_on == D(2025, 10, 10)
    assert status(D(2025, 10, 13))["class"] == "B"
    assert status(D(2025, 10, 14))["class"] == "C"  # two failing samples within 12 months


def test_two_failing_samples_in_twelve_months_edges(users, units, enterprise):
    a = services.sample_event_sync(user=users["dept"], sampling_record=sample(units, "S1"), received_on=D(2025, 6, 6))
    assert a.starts_on == D(2025, 6, 18)
    b = services.sample_event_sync(
        user=users["dept"], sampling_record=sample(units, "S2", day=D(2026, 5, 1)), received_on=D(2026, 6, 5)
    )
    # 2026-06-05 (Fri) + 7 working days = 06-16 (no holiday; 端午 2026 is 06-19) -> event 06-17
    assert b.starts_on == D(2026, 6, 17)
    assert status(D(2026, 6, 17))["class"] == "C"  # 2025-06-18 is within the 12 months ending 2026-06-17
    assert status(D(2026, 6, 18))["class"] == "B"  # 2025-06-18 has left the 12 months (2025-06-19 .. 2026-06-18)


def test_overturned_recheck_never_becomes_an_event(users, units, enterprise):
    ev = services.sample_event_sync(user=users["dept"], sampling_record=sample(units, "S1"), received_on=D(2025, 6, 6))
    ev = services.sample_recheck_record(
        user=users["dept"], event=ev, status="requested", on=D(2025, 6, 17), version=ev.version
    )
    assert ev.starts_on is None
    ev = services.sample_recheck_record(
        user=users["dept"], event=ev, status="overturned", on=D(2025, 7, 1), version=ev.version
    )
    assert ev.starts_on is None and status(D(2025, 8, 1))["class"] == "A"


def test_recheck_after_the_window_is_refused(users, units, enterprise):
    ev = services.sample_event_sync(user=users["dept"], sampling_record=sample(units, "S1"), received_on=D(2025, 6, 6))
    with pytest.raises(ApplicationError) as exc:
        services.sample_recheck_record(
            user=users["dept"], event=ev, status="requested", on=D(2025, 6, 18), version=ev.version
        )
    assert exc.value.extra["recheck_until"] == "2025-06-17"
    with pytest.raises(ApplicationError) as exc:
        services.sample_recheck_record(user=users["dept"], event=ev, status="upheld", on=D(2025, 6, 18), version=99)
    assert exc.value.extra["code"] == "conflict"


def test_only_failing_supervision_samples_count(users, units):
    with pytest.raises(ApplicationError):
        services.sample_event_sync(
            user=users["dept"], sampling_record=sample(units, "S1", kind="风险监测"), received_on=D(2025, 9, 26)
        )
    with pytest.raises(ApplicationError):
        services.sample_event_sync(
            user=users["dept"], sampling_record=sample(units, "S2", result="合格"), received_on=D(2025, 9, 26)
        )


def test_enterprise_sampling_records_link(users, units, enterprise):
    sample(units, "S1")
    sample(units, "S2", uscc=USCC_B)
    assert [
        r.sample_no for r in selectors.enterprise_sampling_records(user=users["viewer"], enterprise=enterprise)
    ] == ["S1"]


# Repair ------------------------------------------------------------------------------------------------------


def test_repair_eligibility_edges_and_decision(users, penalty, repair_docs, today):
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15))  # repair from 2024-07-15
    today(D(2024, 8, 30))
    with pytest.raises(ApplicationError) as exc:
        services.repair_apply(
            user=users["dept"],
            event=ev,
            applicant="法人",
            received_on=D(2024, 7, 14),
            reason="已履行",
            documents=repair_docs(),
        )
    assert exc.value.extra["repair_from"] == "2024-07-15"
    app = services.repair_apply(
        user=users["dept"],
        event=ev,
        applicant="法人",
        received_on=D(2024, 7, 15),
        reason="已履行",
        documents=repair_docs(),
    )
    # 15 working days after Mon 2024-07-15: 07-16..07-19 (4), 22-26 (9), 29-08-02 (14), 08-05 (15)
    assert app.deadline == D(2024, 8, 5)
    assert CreditDocument.objects.filter(application=app).count() == 3
    with pytest.raises(ApplicationError):  # another department may not decide
        services.repair_decide(
            user=users["dept2"], application=app, grant=True, decided_on=D(2024, 8, 1), note="", version=app.version
        )
    app = services.repair_decide(
        user=users["dept"], application=app, grant=True, decided_on=D(2024, 8, 1), note="", version=app.version
    )
    assert status(D(2024, 7, 31))["penalties"] and not status(D(2024, 8, 1))["penalties"]
    with pytest.raises(ApplicationError) as exc:
        services.repair_decide(
            user=users["dept"], application=app, grant=False, decided_on=D(2024, 8, 1), note="x", version=1
        )
    assert exc.value.extra["code"] == "conflict"


def test_repair_needs_every_document_and_a_repairable_penalty(users, penalty, repair_docs, today):
    today(D(2025, 1, 1))
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15))
    docs = repair_docs()
    del docs["pledge"]
    with pytest.raises(ApplicationError) as exc:
        services.repair_apply(
            user=users["dept"], event=ev, applicant="法人", received_on=D(2024, 8, 1), reason="已履行", documents=docs
        )
    assert exc.value.extra["field"] == "pledge"
    severe = penalty(kinds=("责令停产停业",), date=D(2024, 1, 15))
    with pytest.raises(ApplicationError):
        services.repair_apply(
            user=users["dept"],
            event=severe,
            applicant="法人",
            received_on=D(2024, 8, 1),
            reason="已履行",
            documents=repair_docs(),
        )
    food = penalty(kinds=("罚款",), date=D(2024, 1, 15), domain="食品")
    with pytest.raises(ApplicationError):  # food: one year
        services.repair_apply(
            user=users["dept"],
            event=food,
            applicant="法人",
            received_on=D(2025, 1, 14),
            reason="已履行",
            documents=repair_docs(),
        )
    bad = repair_docs()
    bad["application"] = pdf("申请书.exe")
    with pytest.raises(ApplicationError) as exc:
        services.repair_apply(
            user=users["dept"], event=ev, applicant="法人", received_on=D(2024, 8, 1), reason="已履行", documents=bad
        )
    assert exc.value.extra["field"] == "application"


def pdf(name):
    from qualityplan.credit.tests.conftest import pdf as _pdf

    return _pdf(name)


def test_supervision_item_opened_from_an_event(users, penalty, today):
    today(D(2024, 3, 1))
    ev = penalty()
    with pytest.raises(ApplicationError):
        services.event_open_supervision(user=users["dept"], event=ev)
    item = services.event_open_supervision(user=users["office"], event=ev)
    ev.refresh_from_db()
    assert ev.supervision_item == item and item.lead_unit.code == "460100"
    assert "海南示例食品有限公司" in item.title


def test_event_count_unchanged_after_failed_calls(users, enterprise):
    before = CreditEvent.objects.count()
    with pytest.raises(ApplicationError):
        services.event_create(user=users["dept"], enterprise=enterprise, kind="penalty", date=D(2024, 1, 1))
    assert CreditEvent.objects.count() == before and Enterprise.objects.count() == 1


def test_blacklist_early_removal_edges(users, enterprise, repair_docs, today):
    ev = services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 1))
    today(D(2024, 1, 1))
    with pytest.raises(ApplicationError) as exc:
        services.repair_apply(
            user=users["dept"],
            event=ev,
            applicant="法人",
            received_on=D(2023, 8, 31),
            reason="已整改",
            documents=repair_docs(),
        )
    assert exc.value.extra["repair_from"] == "2023-09-01"
    app = services.repair_apply(
        user=users["dept"],
        event=ev,
        applicant="法人",
        received_on=D(2023, 9, 1),
        reason="已整改",
        documents=repair_docs(),
    )
    services.repair_decide(
        user=users["office"], application=app, grant=True, decided_on=D(2023, 9, 20), note="", version=1
    )
    assert status(D(2023, 9, 19))["blacklisted"] is True
    assert status(D(2023, 9, 20))["blacklisted"] is False


def test_refusal_keeps_publicity_and_needs_a_reason(users, penalty, repair_docs, today):
    today(D(2024, 8, 1))
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15))
    app = services.repair_apply(
        user=users["dept"],
        event=ev,
        applicant="法人",
        received_on=D(2024, 7, 15),
        reason="已履行",
        documents=repair_docs(),
    )
    with pytest.raises(ApplicationError) as exc:
        services.repair_decide(
            user=users["dept"], application=app, grant=False, decided_on=D(2024, 8, 1), note="", version=1
        )
    assert exc.value.extra["field"] == "decision_note"
    with pytest.raises(ApplicationError):  # no decision in the future of the one clock
        services.repair_decide(
            user=users["dept"], application=app, grant=True, decided_on=D(2024, 8, 2), note="", version=1
        )
    services.repair_decide(
        user=users["dept"], application=app, grant=False, decided_on=D(2024, 8, 1), note="未履行完毕", version=1
    )
    assert status(D(2024, 8, 1))["penalties"]
