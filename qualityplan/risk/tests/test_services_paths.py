"""The paths of ``risk.services`` the scenario tests do not walk: every refusal names its field (or is "forbidden"
before any input is looked at), stale versions, stage order, the CSV import's file-level errors, the matrix edits.

Scores and levels are worked by hand from the default matrix (docs/risk.md): score = probability × severity;
I ≥ 12, II 8–11, III 4–7, IV 1–3."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityplan.core.concurrency import StaleVersion
from qualityplan.core.exceptions import ApplicationError
from qualityplan.monitoring.models import SamplingRecord
from qualityplan.orgs.roles import Role
from qualityplan.risk import rules, services
from qualityplan.risk.models import Disposal, LevelRule, Review, Risk, RiskEvidence, RiskSample

D = dt.date
USCC_A = "91350100M000100Y43"  # GB 32100's own example (valid)


def refused(call, **kw) -> ApplicationError:
    with pytest.raises(ApplicationError) as exc:
        call(**kw)
    return exc.value


def fresh(obj):
    obj.refresh_from_db()
    return obj


def graded(users, risk, p=2, s=2):
    """A 工作研判 by the handling unit (琼海市): 2 × 2 = 4 -> III by default."""
    services.risk_review(user=users["county"], risk=risk, stage="work", probability=p, severity=s, opinion="初步核实")
    return fresh(risk)


def record(units, no, *, category="蔬菜", uscc=USCC_A, day=None, result="不合格", unit="469002"):
    return SamplingRecord.objects.create(
        sample_no=no,
        enterprise="琼海某蔬菜合作社",
        uscc=uscc,
        uscc_valid=True,
        unit=units[unit],
        product_category=category,
        product_group="agri",
        sampling_date=day or D(2017, 9, 5),
        result=result,
        failing_items="毒死蜱" if result == "不合格" else "",
        sample_type="监督抽检",
    )


# Intake --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"title": "题" * 201}, "title"),  # one over the 200 characters of the column
        ({"product_category": "类" * 101}, "product_category"),
        ({"description": "  "}, "description"),
        ({"reporter": "人" * 101}, "reporter"),
        ({"uscc": "91350100M000100Y431"}, "uscc"),  # 19 characters: a USCC has 18
    ],
)
def test_create_refusals_name_the_field(users, today, kw, field):
    today(D(2017, 9, 4))
    base = {"user": users["city"], "source_type": "media", "product_category": "食品", "description": "网络舆情"}
    assert refused(services.risk_create, **{**base, **kw}).extra["field"] == field
    assert not Risk.objects.exists()


def test_create_without_any_unit_asks_for_the_region(make_user, today):
    today(D(2017, 9, 4))
    office_without_unit = make_user("t_office_nounit", Role.OFFICE, None)
    err = refused(services.risk_create, user=office_without_unit, source_type="other", product_category="食品",
                  description="x")  # fmt: skip
    assert err.extra["field"] == "region"


def test_create_defaults_title_and_reporter(users, units, complaint):
    # no title: category + "：" + enterprise name; reporter as given ("12345 热线"); received 2017-09-01 -> 2017 numbering
    assert complaint.title == "蔬菜：琼海某蔬菜合作社"
    assert (complaint.number, complaint.unit, complaint.region) == ("FX-2017-0001", units["469002"], units["469002"])
    r = services.risk_create(user=users["county"], source_type="other", product_category="水果", description="x")
    # a reporter's risk: its own unit, the user name as reporter, the category alone as title
    assert (r.title, r.reporter, r.unit, r.number) == ("水果", "t_qionghai", units["469002"], "FX-2017-0002")


def test_numbering_goes_on_past_9999(users, units, today):
    today(D(2017, 9, 4))
    Risk.objects.create(number="FX-2017-9999", title="x", source_type="other", product_category="x",
                        unit=units["469002"], description="x", received_on=D(2017, 1, 1))  # fmt: skip
    Risk.objects.create(number="FX-2016-0042", title="x", source_type="other", product_category="x",
                        unit=units["469002"], description="x", received_on=D(2016, 1, 1))  # fmt: skip
    make = {"user": users["county"], "source_type": "other", "product_category": "水果", "description": "x"}
    # 9999 + 1 = 10000, then 10001 (the sequence is a number, not text: "10000" sorts before "9999" as text)
    assert services.risk_create(**make).number == "FX-2017-10000"
    assert services.risk_create(**make).number == "FX-2017-10001"
    # another year counts from 1 (received 2016-12-30 -> 2016 numbering: 42 + 1)
    assert services.risk_create(**make, received_on=D(2016, 12, 30)).number == "FX-2016-0043"


def test_evidence_is_kept_by_the_handling_unit_only(users, complaint):
    upload = SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    err = refused(services.evidence_add, user=users["city"], risk=complaint, upload=upload)
    assert err.extra["code"] == "forbidden"  # 海口市 does not handle a 琼海市 risk
    doc = services.evidence_add(user=users["county"], risk=complaint, upload=upload)
    assert (doc.file_name, doc.uploaded_by, doc.size) == ("检测报告.pdf", users["county"], len(b"%PDF-1.4 test"))
    assert list(RiskEvidence.objects.filter(risk=complaint)) == [doc]


# CSV import ----------------------------------------------------------------------------------------------------

HEADER = "信息来源,来源编号,产品类别,产品名称,市县,统一社会信用代码,企业名称,风险描述,报告人,接收日期\n"


def test_csv_file_level_refusals(users, today):
    today(D(2017, 9, 4))
    err = refused(services.risk_import_csv, user=users["viewer"], data=HEADER.encode())
    assert err.extra["code"] == "forbidden"  # checked before the file is read
    err = refused(services.risk_import_csv, user=users["office"], data=HEADER.encode("gbk"))
    assert err.extra["field"] == "file"  # GBK, not UTF-8
    err = refused(
        services.risk_import_csv, user=users["office"], data="信息来源,产品类别,风险描述\n其他,食品,x\n".encode()
    )
    assert err.extra["errors"] == [{"row": 1, "column": "接收日期", "message": "缺少列"}]
    err = refused(services.risk_import_csv, user=users["office"], data=HEADER.encode())
    assert err.extra["field"] == "file" and "errors" not in err.extra  # a header and no rows
    assert not Risk.objects.exists()


def test_csv_row_errors_name_row_and_column(users, today):
    today(D(2017, 9, 4))
    data = (
        HEADER
        + "投诉举报,,,,琼海市,,,,,2017-09-05\n"  # row 2: empty category and description, received tomorrow
        + f"其他,{'1' * 101},食品,,,,,x,,2017-09-01\n"  # row 3: source ref one over its 100 characters
    )
    err = refused(services.risk_import_csv, user=users["office"], data=data.encode())
    assert [(e["row"], e["column"]) for e in err.extra["errors"]] == [
        (2, "产品类别"), (2, "风险描述"), (2, "接收日期"), (3, "来源编号"),
    ]  # fmt: skip
    assert not Risk.objects.exists()


def test_csv_accepts_labels_or_values_and_a_valid_code_in_lower_case(users, units, today):
    today(D(2017, 9, 4))
    data = HEADER + f"media,,食品,,海口市,{USCC_A.lower()},,网络舆情,,2017-09-02\n"
    (risk,) = services.risk_import_csv(user=users["office"], data=data.encode())
    assert (risk.source_type, risk.uscc, risk.unit, risk.reporter) == ("media", USCC_A, units["460100"], "t_office")


# 研判 ------------------------------------------------------------------------------------------------------------


def test_review_refusals(users, complaint):
    err = refused(services.risk_review, user=users["county"], risk=complaint, stage="final", probability=2,
                  severity=2, opinion="x", version=1)  # fmt: skip
    assert err.extra["field"] == "stage"
    err = refused(services.risk_review, user=users["county"], risk=complaint, stage="work", probability=2,
                  severity=2, opinion="x", info_grade="4", version=1)  # fmt: skip
    assert err.extra["field"] == "info_grade"  # 一级, 二级, 三级 only
    err = refused(services.risk_review, user=users["county"], risk=complaint, stage="work", probability=2,
                  severity=2, opinion="", version=1)  # fmt: skip
    assert err.extra["field"] == "opinion"
    assert not Review.objects.exists() and fresh(complaint).version == 1


def test_central_review_regrades_a_risk_under_disposal_without_moving_it_back(users, units, complaint):
    risk = graded(users, complaint)  # work: 2 × 2 = 4 -> III
    assert (risk.stage, risk.score, risk.level) == ("work", 4, "III")
    services.disposal_create(user=users["office"], risk=risk, kind="warning", owner=units["469002"])
    risk = fresh(risk)
    services.risk_review(user=users["office"], risk=risk, stage="central", probability=4, severity=3,
                         opinion="季度集中研判：升级", version=risk.version)  # fmt: skip
    risk = fresh(risk)
    # 4 × 3 = 12 -> I (≥ 12); the risk stays in disposal
    assert (risk.stage, risk.probability, risk.severity, risk.score, risk.level) == ("disposal", 4, 3, 12, "I")
    assert list(risk.reviews.values_list("stage", "level")) == [("work", "III"), ("central", "I")]


# Disposal ------------------------------------------------------------------------------------------------------


def test_disposal_refusals_name_the_field(users, units, complaint):
    err = refused(services.disposal_create, user=users["office"], risk=complaint, kind="warning",
                  owner=units["469002"])  # fmt: skip
    assert err.extra["field"] == "risk"  # not graded yet: no level, no deadline
    risk = graded(users, complaint)
    err = refused(services.disposal_create, user=users["city"], risk=risk, kind="warning", owner=units["469002"])
    assert err.extra["code"] == "forbidden"  # 海口市 does not handle a 琼海市 risk
    for kw, field in [
        ({"kind": "inspect"}, "kind"),
        ({"kind": "sampling"}, "planned_samples"),  # 监督抽查 needs its planned batches
        ({"kind": "sampling", "planned_samples": -3}, "planned_samples"),  # a negative count of batches
        ({"kind": "warning", "owner": None}, "owner"),
    ]:
        args = {"user": users["office"], "risk": risk, "kind": "warning", "owner": units["469002"], **kw}
        assert refused(services.disposal_create, **args).extra["field"] == field, kw
    assert not Disposal.objects.exists()
    Risk.objects.filter(pk=risk.pk).update(stage="closed")
    err = refused(services.disposal_create, user=users["office"], risk=fresh(risk), kind="warning",
                  owner=units["469002"])  # fmt: skip
    assert err.extra["field"] == "risk"  # closed


def test_second_disposal_task_leaves_the_risk_as_it_is(users, units, complaint):
    risk = graded(users, complaint)  # version 1 -> 2 (the review)
    services.disposal_create(user=users["office"], risk=risk, kind="warning", owner=units["469002"])
    risk = fresh(risk)
    assert (risk.stage, risk.version) == ("disposal", 3)  # moved to disposal: one save
    d = services.disposal_create(user=users["office"], risk=risk, kind="sampling", owner=units["469002"],
                                 planned_samples=5, instruction="对该合作社豇豆抽样 5 批次")  # fmt: skip
    assert (d.planned_samples, fresh(risk).version) == (5, 3)  # already in disposal: the risk is not saved again
    # a level III task: 10 working days from Mon 2017-09-04 = Mon 2017-09-18
    assert (d.assigned_on, d.due_on) == (D(2017, 9, 4), D(2017, 9, 18))


def test_disposal_completed_once(users, units, complaint):
    d = services.disposal_create(user=users["office"], risk=graded(users, complaint), kind="notice",
                                 owner=units["469002"])  # fmt: skip
    err = refused(services.disposal_complete, user=users["county"], disposal=d, result=" ", version=1)
    assert err.extra["field"] == "result"
    d = services.disposal_complete(user=users["county"], disposal=d, result="已约谈", version=1)
    assert (d.status, d.done_on, d.version) == ("done", D(2017, 9, 4), 2)
    err = refused(services.disposal_complete, user=users["county"], disposal=d, result="再报", version=1)
    assert isinstance(err, StaleVersion) and err.extra["current"] == 2
    err = refused(services.disposal_complete, user=users["county"], disposal=d, result="再报", version=2)
    assert err.extra["field"] == "disposal"  # done already
    assert fresh(d).result == "已约谈"


# Targeted sampling back into the risk --------------------------------------------------------------------------


def test_collect_samples_by_enterprise(users, units, today):
    today(D(2017, 9, 4))
    risk = services.risk_create(user=users["county"], source_type="complaint", product_category="蔬菜",
                                uscc=USCC_A, description="豇豆农残")  # fmt: skip
    risk = graded(users, risk)
    err = refused(services.risk_collect_samples, user=users["county"], risk=risk)
    assert err.extra["field"] == "risk"  # no 监督抽查 task yet
    services.disposal_create(user=users["county"], risk=risk, kind="warning", owner=units["469002"])
    err = refused(services.risk_collect_samples, user=users["county"], risk=risk)
    assert err.extra["field"] == "risk"  # a warning is not targeted sampling
    # assigned Mon 2017-09-04
    services.disposal_create(user=users["county"], risk=risk, kind="sampling", owner=units["469002"],
                             planned_samples=3)  # fmt: skip
    wanted = {
        record(units, "T1", day=D(2017, 9, 4)).pk,  # the day of assignment counts
        record(units, "T2", day=D(2017, 9, 6), unit="460100").pk,  # same enterprise sampled in another city: counts
    }
    record(units, "N1", day=D(2017, 9, 3))  # before the task
    record(units, "N2", uscc="91460000MA5T00010D")  # another enterprise in the same county
    record(units, "N3", category="水果")  # another category
    err = refused(services.risk_collect_samples, user=users["city"], risk=risk)
    assert err.extra["code"] == "forbidden"
    assert services.risk_collect_samples(user=users["county"], risk=risk) == 2
    assert set(risk.sample_links.values_list("sampling_record_id", flat=True)) == wanted
    assert services.risk_collect_samples(user=users["county"], risk=risk) == 0  # nothing new


def test_collect_samples_without_enterprise_or_region_finds_nothing(users, units, today):
    today(D(2017, 9, 4))
    # a department's risk (no enterprise code, no city/county): there is nothing to target
    risk = services.risk_create(user=users["dept"], source_type="laboratory", product_category="蔬菜",
                                description="实验室检出")  # fmt: skip
    assert (risk.unit, risk.region) == (units["QTS"], None)
    services.risk_review(user=users["dept"], risk=risk, stage="work", probability=1, severity=1, opinion="x")
    services.disposal_create(user=users["dept"], risk=fresh(risk), kind="sampling", owner=units["QTS"],
                             planned_samples=2)  # fmt: skip
    record(units, "T1")
    assert services.risk_collect_samples(user=users["dept"], risk=risk) == 0


# Opening from a sample or a signal -----------------------------------------------------------------------------


def test_open_from_sample_refusals(users, units, today):
    today(D(2017, 9, 10))
    failing = record(units, "F1")
    assert refused(services.risk_from_sample, user=users["city"], sampling_record=failing).extra["code"] == (
        "forbidden"
    )
    passing = record(units, "P1", result="合格")
    err = refused(services.risk_from_sample, user=users["office"], sampling_record=passing)
    assert err.extra["field"] == "sampling_record"
    risk = services.risk_from_sample(user=users["office"], sampling_record=failing)
    # received on the sampling date (2017-09-05, before today 2017-09-10); handled by the sample's county
    assert (risk.source_type, risk.source_ref, risk.received_on, risk.unit) == (
        "enforcement", "F1", D(2017, 9, 5), units["469002"],
    )  # fmt: skip
    assert risk.description == "监督抽检不合格：毒死蜱"
    assert RiskSample.objects.filter(risk=risk, sampling_record=failing, disposal=None).exists()


def test_open_from_signal_is_for_the_office(users):
    err = refused(services.risk_from_signal, user=users["county"], signal={"key": "x"})
    assert err.extra["code"] == "forbidden"


# Closing and escalation ----------------------------------------------------------------------------------------


def test_close_refusals(users, units, complaint):
    assert refused(services.risk_close, user=users["county"], risk=complaint, result="x").extra["code"] == (
        "forbidden"
    )  # closing is the office's
    err = refused(services.risk_close, user=users["office"], risk=complaint, result="x", version=1)
    assert err.extra["field"] == "stage"  # still at intake
    risk = graded(users, complaint)
    d = services.disposal_create(user=users["office"], risk=risk, kind="sampling", owner=units["469002"],
                                 planned_samples=3)  # fmt: skip
    services.disposal_complete(user=users["county"], disposal=d, result="已抽样 3 批次", version=1)
    err = refused(services.risk_close, user=users["office"], risk=risk, result="已处置", version=fresh(risk).version)
    assert err.extra["field"] == "samples"  # sampling ordered, results not back
    assert fresh(risk).stage == "disposal"


def test_escalation_is_for_the_office(users):
    assert refused(services.disposals_escalate, user=users["county"]).extra["code"] == "forbidden"


# The matrix as data ---------------------------------------------------------------------------------------------


def band(level):
    return LevelRule.objects.get(level=level)


@pytest.mark.parametrize(
    ("level", "min_score", "workdays", "field"),
    [
        ("II", 0, 3, "min_score"),
        ("I", 17, 0, "min_score"),  # scores are 1–16 (4 × 4)
        ("II", 8, -1, "disposal_workdays"),
        ("IV", 1, 61, "disposal_workdays"),
        ("II", 12, 3, "min_score"),  # II from 12 would equal I (12): bands must strictly decrease
        ("III", 8, 10, "min_score"),  # III from 8 would equal II (8)
        ("IV", 2, 20, "min_score"),  # IV must start at 1: scores 1 would have no level
    ],
)
def test_level_rule_refusals(users, level, min_score, workdays, field):
    rule = band(level)
    err = refused(services.level_rule_update, user=users["office"], rule=rule, min_score=min_score,
                  disposal_workdays=workdays, version=rule.version)  # fmt: skip
    assert err.extra["field"] == field
    assert [(r.level, r.min_score) for r in rules.level_rules()] == [("I", 12), ("II", 8), ("III", 4), ("IV", 1)]


def test_level_rule_edit(users):
    rule = band("III")
    assert refused(services.level_rule_update, user=users["county"], rule=rule, min_score=3,
                   disposal_workdays=10).extra["code"] == "forbidden"  # fmt: skip
    assert rules.level_for(rules.score_of(1, 3)).level == "IV"  # 1 × 3 = 3: IV under the default bands
    rule = services.level_rule_update(user=users["office"], rule=rule, min_score=3, disposal_workdays=7,
                                      version=rule.version)  # fmt: skip
    assert (rule.min_score, rule.disposal_workdays) == (3, 7)
    assert rules.level_for(3).level == "III"  # III now from 3 (12 > 8 > 3 > 1 still decreasing, IV from 1)
    err = refused(services.level_rule_update, user=users["office"], rule=rule, min_score=4, disposal_workdays=10,
                  version=rule.version - 1)  # fmt: skip
    assert isinstance(err, StaleVersion)
