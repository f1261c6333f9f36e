"""The paths of ``credit.services`` the scenario tests do not walk: every refusal names its field, edge cases of the
archive entry, file rows of 信用修复, rechecks, repair decisions and 督办 from an event.

Expected dates are worked by hand from the rules in docs/credit.md (periods in calendar months, last day = start +
period − 1 day; working days with the Chinese holiday calendar)."""

import datetime as dt

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.credit import selectors, services
from qualityplan.credit.models import CreditDocument, CreditEvent, RepairApplication
from qualityplan.credit.policies import SYSTEM
from qualityplan.credit.tests.conftest import USCC_A, pdf
from qualityplan.monitoring.models import SamplingRecord

D = dt.date


def refused(call, **kw) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        call(**kw)
    return exc.value


def klass(day, uscc=USCC_A) -> str:
    (row,) = selectors.status_rows(user=SYSTEM, as_of=day, uscc=uscc)
    return row["class"]


# The archive entry ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"uscc": USCC_A, "name": ""}, "enterprise"),
        ({"uscc": USCC_A, "name": "   "}, "enterprise"),  # blank after stripping
        ({"uscc": USCC_A, "name": "企" * 201}, "enterprise"),  # one over the 200 characters of the column
        ({"uscc": "9" * 41, "name": "超长代码公司"}, "uscc"),  # one over the 40 characters of the column
        ({"uscc": USCC_A, "name": "行业超长公司", "industry": "制" * 101}, "industry"),  # one over 100: refused
    ],
)
def test_enterprise_entry_refusals_name_the_field(units, kw, field):
    assert refused(services.enterprise_get_or_create, **kw).extra["field"] == field


def test_enterprise_name_of_200_characters_is_kept_whole(units):
    ent = services.enterprise_get_or_create(uscc="", name="企" * 200)
    assert len(ent.name) == 200


def test_former_name_learned_later_does_not_replace_the_current_one(enterprise):
    # the archive knows 海南示例食品有限公司 from 2020-01-01; an older file shows the firm in 2019 under another name
    services.enterprise_get_or_create(uscc=USCC_A, name="海南示例食品商行", on=D(2019, 6, 1))
    enterprise.refresh_from_db()
    assert enterprise.name == "海南示例食品有限公司"  # the latest valid_from (2020-01-01) stays the current name
    assert list(enterprise.names.order_by("valid_from").values_list("name", "valid_from")) == [
        ("海南示例食品商行", D(2019, 6, 1)),
        ("海南示例食品有限公司", D(2020, 1, 1)),
    ]
    # a former name is found by the archive search as well
    assert selectors.enterprise_list(user=SYSTEM, q="示例食品商行").get() == enterprise


def test_region_and_industry_are_updated_but_never_cleared(enterprise, units):
    services.enterprise_get_or_create(uscc=USCC_A, name="海南示例食品有限公司", region=units["469002"], industry="糕点")
    enterprise.refresh_from_db()
    assert (enterprise.region.code, enterprise.industry) == ("469002", "糕点")
    # no region, no industry: what the archive has is kept
    services.enterprise_get_or_create(uscc=USCC_A, name="海南示例食品有限公司")
    enterprise.refresh_from_db()
    assert (enterprise.region.code, enterprise.industry) == ("469002", "糕点")


# Entry of events -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "fine", "penalties": []}, "event"),  # not an event kind
        ({"date": None}, "date"),
        ({"fine_yuan": -1, "lower_amount": False}, "fine_yuan"),  # a negative fine
        ({"penalties": ["限制从业"], "restrict_years": 100}, "restrict_years"),  # 1–99 years
        ({"penalties": ["警告"], "restrict_years": 0}, "restrict_years"),  # 0 is outside 1–99 too
        ({"kind": "recall", "penalties": [], "recall_kind": "forced"}, "recall_kind"),  # model choices
        ({"decision_no": "琼" * 101}, "decision_no"),  # one over the 100 characters of the column: refused
    ],
)
def test_event_entry_refusals_name_the_field(users, enterprise, kw, field):
    base = {
        "user": users["dept"],
        "enterprise": enterprise,
        "kind": "penalty",
        "date": D(2024, 1, 15),
        "penalties": ["罚款"],
        "fine_yuan": 5000,
        "lower_amount": True,
    }
    assert refused(services.event_create, **{**base, **kw}).extra["field"] == field
    assert not CreditEvent.objects.exists()


def test_event_rules_refuse_an_unknown_penalty_kind_naming_penalties(db):
    # a row that bypassed event_create (e.g. edited elsewhere) with a kind outside 行政处罚法 Art.9
    ev = CreditEvent(kind="penalty", date=D(2024, 1, 15), penalties="拘留")
    assert refused(services.event_apply_rules, event=ev).extra["field"] == "penalties"


def test_decision_number_is_entered_once(penalty):
    penalty(decision_no="琼质监罚〔2024〕7号")
    err = refused(penalty, decision_no="琼质监罚〔2024〕7号", date=D(2024, 2, 1))
    assert err.extra["field"] == "decision_no"
    assert CreditEvent.objects.filter(decision_no="琼质监罚〔2024〕7号").count() == 1


def test_decision_number_taken_by_a_concurrent_entry_is_a_refusal_not_a_crash(users, enterprise, monkeypatch):
    # Two clerks enter the same decision at the same moment: both pass the checks, the database constraint decides.
    # The other clerk's row is written right after this entry's checks (inside _clean), before its INSERT.
    real_clean = services._clean

    def clean_then_other_clerk_saves(obj):
        real_clean(obj)
        if isinstance(obj, CreditEvent) and obj.pk is None:
            CreditEvent.objects.create(
                enterprise=enterprise, kind="penalty", date=obj.date, decision_no=obj.decision_no, penalties="警告"
            )

    monkeypatch.setattr(services, "_clean", clean_then_other_clerk_saves)
    err = refused(
        services.event_create,
        user=users["dept"],
        enterprise=enterprise,
        kind="penalty",
        date=D(2024, 1, 15),
        decision_no="琼质监罚〔2024〕8号",
        penalties=["警告"],
    )
    assert err.extra["field"] == "decision_no"
    assert CreditEvent.objects.count() == 0  # the whole entry rolled back, the database still answers


def test_listing_twice_is_refused(users, enterprise):
    services.event_create(user=users["dept"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 7, 1))
    err = refused(
        services.event_create, user=users["dept"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 8, 1)
    )
    assert err.extra["field"] == "event"
    services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 1))
    # listed 2022-09-01 .. 2025-08-31 (36 months − 1 day): 2025-08-31 is still listed, 2025-09-01 is a new listing
    err = refused(
        services.event_create, user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2025, 8, 31)
    )
    assert err.extra["field"] == "event"
    again = services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2025, 9, 1))
    assert (again.starts_on, again.last_day) == (D(2025, 9, 1), D(2028, 8, 31))


def test_removal_from_the_blacklist_after_it_expired_is_refused(users, enterprise):
    services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 1))
    # last listed day 2025-08-31: nothing to remove on 2025-09-01
    err = refused(
        services.event_create, user=users["dept"], enterprise=enterprise, kind="blacklist_out", date=D(2025, 9, 1)
    )
    assert err.extra["field"] == "event"


def test_event_entry_keeps_its_evidence_file(users, enterprise, units):
    ev = services.event_create(
        user=users["dept"],
        enterprise=enterprise,
        kind="penalty",
        date=D(2024, 1, 15),
        decision_no="琼质监罚〔2024〕9号",
        penalties=["罚款"],
        fine_yuan=5000,
        lower_amount=True,
        evidence=pdf("决定书.pdf"),
    )
    doc = CreditDocument.objects.get(event=ev)
    assert (doc.kind, doc.file_name, doc.unit, doc.uploaded_by) == (
        "decision",
        "决定书.pdf",
        units["QTS"],
        users["dept"],
    )
    # a 较低数额罚款: 3 months from 2024-01-15, last day 2024-04-14, never repairable early
    assert (ev.starts_on, ev.last_day, ev.months, ev.repair_from) == (D(2024, 1, 15), D(2024, 4, 14), 3, None)


# 信用修复 rows of a file (the office's load, run as SYSTEM) ----------------------------------------------------


def repair_row(enterprise, units, **kw):
    return services.event_create(
        user=SYSTEM, enterprise=enterprise, kind="repair", unit=units["QTS"], **{"date": D(2024, 8, 1), **kw}
    )


def test_repair_row_needs_the_decision_number_of_an_archived_penalty(enterprise, units):
    assert refused(repair_row, enterprise=enterprise, units=units).extra["field"] == "decision_no"
    err = refused(repair_row, enterprise=enterprise, units=units, decision_no="琼质监罚〔2024〕404号")
    assert err.extra["field"] == "decision_no"


def test_repair_row_ends_the_publicity_on_its_date_after_the_eligibility_check(enterprise, units, penalty):
    target = penalty(kinds=("罚款",), date=D(2024, 1, 15), decision_no="琼质监罚〔2024〕1号")
    # 罚款 not 较低数额, 其他 domain: publicity 2024-01-15 .. 2027-01-14, early stop from 2024-01-15 + 6 months
    assert (target.last_day, target.repair_from) == (D(2027, 1, 14), D(2024, 7, 15))
    err = refused(
        repair_row, enterprise=enterprise, units=units, decision_no="琼质监罚〔2024〕1号", date=D(2024, 7, 14)
    )
    assert err.extra["repair_from"] == "2024-07-15"
    row = repair_row(enterprise, units, decision_no="琼质监罚〔2024〕1号", note="已履行", date=D(2024, 7, 15))
    target.refresh_from_db()
    assert target.ended_on == D(2024, 7, 15)
    assert target.in_publicity(D(2024, 7, 14)) and not target.in_publicity(D(2024, 7, 15))
    assert (row.kind, row.related, row.decision_no, row.note) == ("repair", target, "", "琼质监罚〔2024〕1号 已履行")


# Failing samples and rechecks ----------------------------------------------------------------------------------


SAMPLED_ON = D(2025, 5, 20)


def sample(units, no="S1", result="不合格", day=SAMPLED_ON):
    return SamplingRecord.objects.create(
        sample_no=no,
        enterprise="海南示例食品有限公司",
        uscc=USCC_A,
        uscc_valid=True,
        unit=units["460100"],
        product_category="糕点",
        product_group="food",
        sampling_date=day,
        result=result,
        failing_items="菌落总数",
        sample_type="监督抽检",
    )


def test_sample_sync_refusals(users, units, enterprise):
    rec = sample(units)
    err = refused(services.sample_event_sync, user=users["dept"], sampling_record=rec, received_on=D(2025, 5, 19))
    assert err.extra["field"] == "received_on"  # received the day before it was sampled
    services.sample_event_sync(user=users["dept"], sampling_record=rec, received_on=D(2025, 6, 6))
    err = refused(services.sample_event_sync, user=users["dept"], sampling_record=rec, received_on=D(2025, 6, 6))
    assert err.extra["field"] == "sampling_record"  # one event per sampling record
    assert CreditEvent.objects.filter(sampling_record=rec).count() == 1


def test_sample_sync_checks_the_policy_before_the_input(users, units, enterprise):
    # a viewer learns nothing about the input rules: the refusal is "forbidden", not "only failing samples"
    for rec in (sample(units, "S1"), sample(units, "S2", result="合格")):
        err = refused(services.sample_event_sync, user=users["viewer"], sampling_record=rec, received_on=D(2025, 6, 6))
        assert err.extra["code"] == "forbidden"
    assert not CreditEvent.objects.exists()


def test_upheld_recheck_makes_the_event_effective_on_the_recheck_date(users, units, enterprise):
    ev = services.sample_event_sync(user=users["dept"], sampling_record=sample(units), received_on=D(2025, 6, 6))
    # food: 7 working days after Fri 2025-06-06 = 06-09..06-13 (5), 06-16 (6), 06-17 (7); applied for on the last day
    ev = services.sample_recheck_record(user=users["dept"], event=ev, status="requested", on=D(2025, 6, 17), version=1)
    assert (ev.recheck_status, ev.starts_on, ev.version) == ("requested", None, 2)
    ev = services.sample_recheck_record(user=users["dept"], event=ev, status="upheld", on=D(2025, 7, 10), version=2)
    assert (ev.recheck_status, ev.date, ev.starts_on, ev.version) == ("upheld", D(2025, 7, 10), D(2025, 7, 10), 3)
    # one failing 监督抽检 in the last 12 months -> B from the day the recheck upheld it, A the day before
    assert klass(D(2025, 7, 9)) == "A"
    assert klass(D(2025, 7, 10)) == "B"


def test_recheck_refusals(users, units, enterprise, penalty):
    ev = services.sample_event_sync(user=users["dept"], sampling_record=sample(units), received_on=D(2025, 6, 6))
    for status in ("none", "appealed"):  # "none" is the state before any recheck, not an outcome
        err = refused(services.sample_recheck_record, user=users["dept"], event=ev, status=status, on=D(2025, 6, 9),
                      version=1)  # fmt: skip
        assert err.extra["field"] == "status"
    err = refused(services.sample_recheck_record, user=users["dept2"], event=ev, status="requested",
                  on=D(2025, 6, 9), version=1)  # fmt: skip
    assert err.extra["code"] == "forbidden"  # another department's event
    pen = penalty()
    err = refused(services.sample_recheck_record, user=users["dept"], event=pen, status="upheld", on=D(2025, 6, 9),
                  version=1)  # fmt: skip
    assert err.extra["field"] == "event"  # only a failing sample has a recheck
    err = refused(services.sample_recheck_record, user=users["viewer"], event=pen, status="upheld",
                  on=D(2025, 6, 9), version=1)  # fmt: skip
    assert err.extra["code"] == "forbidden"  # the policy first, whatever the event
    ev.refresh_from_db()
    assert (ev.recheck_status, ev.version) == ("none", 1)


# Repair applications -------------------------------------------------------------------------------------------


def apply(user, event, received_on, documents, applicant="法人", reason="已履行"):
    return services.repair_apply(
        user=user, event=event, applicant=applicant, received_on=received_on, reason=reason, documents=documents
    )


def test_repair_application_refusals_name_the_field(users, units, enterprise, penalty, repair_docs, today):
    today(D(2024, 9, 2))
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15))  # repairable from 2024-07-15 (6 months)
    err = refused(apply, user=users["dept2"], event=ev, received_on=D(2024, 8, 1), documents=repair_docs())
    assert err.extra["code"] == "forbidden"  # another department
    for kw, field in [
        ({"applicant": "  "}, "applicant"),
        ({"applicant": "法" * 101}, "applicant"),  # one over the 100 characters of the column: refused
        ({"reason": ""}, "reason"),
        ({"received_on": D(2024, 9, 3)}, "received_on"),  # after today (2024-09-02)
    ]:
        args = {"user": users["dept"], "event": ev, "received_on": D(2024, 8, 1), "documents": repair_docs(), **kw}
        assert refused(apply, **args).extra["field"] == field, kw
    assert not RepairApplication.objects.exists()


def test_repair_only_for_events_in_publicity_that_allow_it(users, units, enterprise, penalty, repair_docs, today):
    today(D(2025, 12, 31))
    # 通报批评: 3 months from 2024-01-15, last day 2024-04-14; on 2024-04-15 there is nothing left to stop
    short = penalty(kinds=("通报批评",), date=D(2024, 1, 15))
    err = refused(apply, user=users["dept"], event=short, received_on=D(2024, 4, 15), documents=repair_docs())
    assert err.extra["field"] == "event"
    # a failing sample is not a publicity (its credit effect ends with the 12-month window)
    rec = sample(units)
    fail = services.sample_event_sync(user=users["dept"], sampling_record=rec, received_on=D(2025, 6, 6))
    err = refused(apply, user=users["dept"], event=fail, received_on=D(2025, 7, 1), documents=repair_docs())
    assert err.extra["field"] == "event"


def test_one_open_application_per_event(users, penalty, repair_docs, today):
    today(D(2024, 9, 2))
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15))
    apply(users["dept"], ev, D(2024, 8, 1), repair_docs())
    err = refused(apply, user=users["dept"], event=ev, received_on=D(2024, 8, 2), documents=repair_docs())
    assert err.extra["field"] == "event"
    assert RepairApplication.objects.filter(event=ev).count() == 1


def test_repair_decision_refusals(users, penalty, repair_docs, today):
    today(D(2024, 9, 2))
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15))
    app = apply(users["dept"], ev, D(2024, 8, 1), repair_docs())
    err = refused(services.repair_decide, user=users["dept"], application=app, grant=True, decided_on=D(2024, 7, 31),
                  note="", version=1)  # fmt: skip
    assert err.extra["field"] == "decided_on"  # the day before it was received
    app = services.repair_decide(
        user=users["dept"], application=app, grant=True, decided_on=D(2024, 8, 2), note="", version=1
    )
    assert (app.status, app.decided_by, app.version) == ("granted", users["dept"], 2)
    ev.refresh_from_db()
    assert (ev.ended_on, ev.version) == (D(2024, 8, 2), 2)
    # the current version, but decided already
    err = refused(services.repair_decide, user=users["office"], application=app, grant=False,
                  decided_on=D(2024, 8, 5), note="复核不予修复", version=2)  # fmt: skip
    assert err.extra["field"] == "status"
    app.refresh_from_db()
    assert (app.status, app.decided_on) == ("granted", D(2024, 8, 2))


# 督办 from an event and honours ----------------------------------------------------------------------------------


def test_supervision_once_per_event(users, penalty, today):
    today(D(2024, 3, 1))
    ev = penalty()
    services.event_open_supervision(user=users["office"], event=ev)
    ev.refresh_from_db()
    err = refused(services.event_open_supervision, user=users["office"], event=ev)
    assert err.extra["field"] == "event"


def test_supervision_needs_a_lead_unit(units, today):
    today(D(2024, 3, 1))
    # no city/county for the enterprise, and the command line (SYSTEM) entered the event without a department
    ent = services.enterprise_get_or_create(uscc="", name="无址商行")
    ev = services.event_create(user=SYSTEM, enterprise=ent, kind="abnormal_in", date=D(2024, 2, 1))
    assert ev.unit is None
    err = refused(services.event_open_supervision, user=SYSTEM, event=ev)
    assert err.extra["field"] == "lead_unit"


def test_supervision_lead_is_the_city_and_the_entering_city_is_not_also_cooperating(users, units, today):
    today(D(2024, 3, 1))
    ent = services.enterprise_get_or_create(uscc="", name="海口某商行", region=units["460100"])
    ev = services.event_create(user=users["city"], enterprise=ent, kind="abnormal_in", date=D(2024, 2, 1))
    item = services.event_open_supervision(user=users["office"], event=ev)
    assert item.lead_unit == units["460100"]
    assert list(item.assignments.values_list("unit__code", "role")) == [("460100", "lead")]


def test_honours_sync_is_for_the_office(users):
    assert refused(services.honours_sync_from_registry, user=users["dept"]).extra["code"] == "forbidden"


def test_a_back_dated_listing_that_would_overlap_a_later_one_is_refused(users, enterprise):
    services.event_create(user=users["dept"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 7, 1))
    # open-ended from 2024-03-01: it would still be running on 2024-07-01
    err = refused(
        services.event_create, user=users["dept"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 3, 1)
    )
    assert err.extra["field"] == "date"
    services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2025, 9, 1))
    # 2022-09-01 .. 2025-08-31 ends the day before: allowed; 2022-09-02 .. 2025-09-01 overlaps by one day
    err = refused(
        services.event_create, user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 2)
    )
    assert err.extra["field"] == "date"
    ok = services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 1))
    assert (ok.starts_on, ok.last_day) == (D(2022, 9, 1), D(2025, 8, 31))


def test_removal_from_a_list_raises_the_listing_version(users, enterprise):
    listing = services.event_create(user=users["dept"], enterprise=enterprise, kind="abnormal_in", date=D(2024, 7, 1))
    assert listing.version == 1
    services.event_create(user=users["dept"], enterprise=enterprise, kind="abnormal_out", date=D(2024, 9, 2))
    listing.refresh_from_db()
    assert (listing.ended_on, listing.version) == (D(2024, 9, 2), 2)
