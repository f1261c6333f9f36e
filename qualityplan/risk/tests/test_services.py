import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityplan.core.concurrency import StaleVersion
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.credit import services as credit_services
from qualityplan.risk import rules, services
from qualityplan.risk.models import LevelRule, Risk

D = dt.date
USCC_A = "91350100M000100Y43"  # GB 32100's own example (valid)


@pytest.mark.parametrize(
    ("p", "s", "score", "level"),
    [(4, 4, 16, "I"), (3, 4, 12, "I"), (4, 3, 12, "I"), (3, 3, 9, "II"), (2, 4, 8, "II"), (2, 3, 6, "III"),
     (2, 2, 4, "III"), (1, 4, 4, "III"), (3, 1, 3, "IV"), (1, 1, 1, "IV")],
)  # fmt: skip
def test_matrix_bands_from_data(db, p, s, score, level):
    assert rules.score_of(p, s) == score
    assert rules.level_for(score).level == level


def test_matrix_is_data(db):
    LevelRule.objects.filter(level="II").update(min_score=9)
    assert rules.level_for(8).level == "III"


@pytest.mark.parametrize("bad", [0, 5, "3", None, True])
def test_probability_out_of_range(db, bad):
    with pytest.raises(ApplicationError) as exc:
        rules.score_of(bad, 2)
    assert exc.value.extra["field"] == "probability"


def test_create_links_credit_archive_when_it_has_the_enterprise(users, units, today):
    today(D(2017, 9, 4))
    ent = credit_services.enterprise_get_or_create(uscc=USCC_A, name="海南示例食品有限公司", on=D(2017, 1, 1))
    risk = services.risk_create(
        user=users["city"], source_type="media", product_category="食品", uscc=USCC_A.lower(),
        description="网络舆情", received_on=D(2017, 9, 2),
    )  # fmt: skip
    assert risk.enterprise == ent and risk.enterprise_name == "海南示例食品有限公司"
    assert risk.unit == units["460100"] and risk.number == "FX-2017-0001"
    other = services.risk_create(
        user=users["city"], source_type="other", product_category="食品", uscc="91460000MA5T00010D",
        description="x",
    )  # fmt: skip
    assert other.enterprise is None and other.number == "FX-2017-0002"


def test_create_validates_and_names_field(users, today):
    today(D(2017, 9, 4))
    with pytest.raises(ApplicationError) as exc:
        services.risk_create(user=users["city"], source_type="rumour", product_category="x", description="y")
    assert exc.value.extra["field"] == "source_type"
    with pytest.raises(ApplicationError) as exc:
        services.risk_create(user=users["city"], source_type="other", product_category="x", description="y",
                             received_on=D(2017, 9, 5))  # fmt: skip
    assert exc.value.extra["field"] == "received_on"
    with pytest.raises(ApplicationError) as exc:
        services.risk_create(user=users["viewer"], source_type="other", product_category="x", description="y")
    assert exc.value.extra["code"] == "forbidden"


def test_evidence_type_checked(users, today):
    today(D(2017, 9, 4))
    bad = SimpleUploadedFile("a.exe", b"MZ")
    with pytest.raises(ApplicationError) as exc:
        services.risk_create(user=users["city"], source_type="other", product_category="x", description="y",
                             evidence=bad)  # fmt: skip
    assert exc.value.extra["field"] == "evidence"
    assert not Risk.objects.exists()


CSV_OK = (
    "信息来源,来源编号,产品类别,产品名称,市县,统一社会信用代码,企业名称,风险描述,报告人,接收日期\n"
    "投诉举报,12315-001,蔬菜,豇豆,琼海市,,,消费者投诉,张三,2017-09-01\n"
    "境外通报,RASFF-2017.1234,出口食品,冻罗非鱼片,海口市,,,欧盟通报检出孔雀石绿,,2017-08-30\n"
)


def test_csv_import_all(users, units, today):
    today(D(2017, 9, 4))
    risks = services.risk_import_csv(user=users["office"], data=CSV_OK.encode("utf-8-sig"))
    assert [r.source_type for r in risks] == ["complaint", "foreign"]
    assert risks[0].region == units["469002"] and risks[1].unit == units["460100"]


def test_csv_import_all_or_nothing_with_row_errors_naming_the_column(users, today):
    today(D(2017, 9, 4))
    bad = CSV_OK + "谣言,,蔬菜,,三沙镇,91350100M000100Y44,,x,,2017-13-01\n"
    with pytest.raises(ApplicationError) as exc:
        services.risk_import_csv(user=users["office"], data=bad.encode())
    errors = exc.value.extra["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {
        (4, "信息来源"), (4, "市县"), (4, "统一社会信用代码"), (4, "接收日期"),
    }  # fmt: skip
    assert not Risk.objects.exists()


def test_review_sequence_and_grading(users, complaint):
    with pytest.raises(ApplicationError) as exc:
        services.risk_review(user=users["office"], risk=complaint, stage="expert", probability=3, severity=3,
                             opinion="x", expert="王专家", version=complaint.version)  # fmt: skip
    assert exc.value.extra["field"] == "stage"
    services.risk_review(user=users["county"], risk=complaint, stage="work", probability=2, severity=3,
                         opinion="初步核实", version=1)  # fmt: skip
    complaint.refresh_from_db()
    assert (complaint.stage, complaint.score, complaint.level) == ("work", 6, "III")
    with pytest.raises(ApplicationError) as exc:  # stale version
        services.risk_review(user=users["county"], risk=complaint, stage="expert", probability=3, severity=4,
                             opinion="x", expert="王专家", version=1)  # fmt: skip
    assert isinstance(exc.value, StaleVersion) and exc.value.extra["current"] == 2
    with pytest.raises(ApplicationError) as exc:  # expert opinion names its expert
        services.risk_review(user=users["county"], risk=complaint, stage="expert", probability=3, severity=4,
                             opinion="x", version=2)  # fmt: skip
    assert exc.value.extra["field"] == "expert"
    services.risk_review(user=users["county"], risk=complaint, stage="expert", probability=3, severity=4,
                         opinion="毒死蜱残留风险高", expert="王专家", info_grade="2", version=2)  # fmt: skip
    with pytest.raises(ApplicationError):  # 集中研判: the office only
        services.risk_review(user=users["county"], risk=complaint, stage="central", probability=3, severity=4,
                             opinion="x", version=3)  # fmt: skip
    complaint.refresh_from_db()
    assert (complaint.score, complaint.level, complaint.info_grade) == (12, "I", "2")
    with pytest.raises(ApplicationError):  # another unit
        services.risk_review(user=users["city"], risk=complaint, stage="expert", probability=1, severity=1,
                             opinion="x", expert="李", version=3)  # fmt: skip


@pytest.mark.parametrize(
    ("level", "assigned", "due"),
    [
        ("I", D(2017, 9, 4), D(2017, 9, 4)),  # same day
        ("II", D(2017, 9, 4), D(2017, 9, 7)),  # Mon + 3 working days = Thu
        ("III", D(2017, 9, 29), D(2017, 10, 19)),  # Sat 30 Sep is a make-up workday; 1–8 Oct National Day
        ("IV", D(2017, 9, 4), D(2017, 9, 30)),  # 19 working days to Fri 29 Sep, the 20th is Sat 30 Sep (调休)
        ("I", D(2017, 10, 1), D(2017, 10, 9)),  # assigned on a holiday: the next working day
    ],
)
def test_disposal_deadline_by_level(users, units, complaint, today, level, assigned, due):
    today(assigned)
    Risk.objects.filter(pk=complaint.pk).update(level=level, stage="work")
    complaint.refresh_from_db()
    d = services.disposal_create(user=users["office"], risk=complaint, kind="warning", owner=units["469002"])
    assert (d.assigned_on, d.due_on) == (assigned, due)


def test_close_needs_measures_and_results(users, units, complaint, today):
    services.risk_review(user=users["county"], risk=complaint, stage="work", probability=2, severity=2,
                         opinion="一般", version=1)  # fmt: skip
    complaint.refresh_from_db()
    d = services.disposal_create(user=users["office"], risk=complaint, kind="notice", owner=units["469002"])
    complaint.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        services.risk_close(user=users["office"], risk=complaint, result="已处置", version=complaint.version)
    assert exc.value.extra["field"] == "disposals"
    with pytest.raises(ApplicationError):  # the owner reports, not another unit
        services.disposal_complete(user=users["city"], disposal=d, result="x", version=d.version)
    services.disposal_complete(user=users["county"], disposal=d, result="已送达风险告知书并约谈", version=d.version)
    with pytest.raises(ApplicationError) as exc:
        services.risk_close(user=users["office"], risk=complaint, result=" ", version=complaint.version)
    assert exc.value.extra["field"] == "result"
    # no acting_as around the call: the service names its own actor in the change log (API token, CLI, job alike)
    services.risk_close(user=users["office"], risk=complaint, result="企业已整改", version=complaint.version)
    complaint.refresh_from_db()
    assert complaint.stage == "closed" and complaint.closed_on == D(2017, 9, 4)
    log = ChangeLog.objects.filter(object_id=str(complaint.pk), content_type__model="risk").order_by("-id").first()
    assert log.user == users["office"] and log.after["stage"] == "closed"
    done = ChangeLog.objects.filter(object_id=str(d.pk), content_type__model="disposal").order_by("-id").first()
    assert done.user == users["county"] and done.after["status"] == "done"


def test_overdue_disposal_enters_supervision_ladder(users, units, complaint, today):
    Risk.objects.filter(pk=complaint.pk).update(level="II", stage="work")
    complaint.refresh_from_db()
    d = services.disposal_create(user=users["office"], risk=complaint, kind="recall", owner=units["469002"])
    assert services.disposals_escalate(user=users["office"], today=D(2017, 9, 7)) == 0  # due Thu 7 Sep
    assert services.disposals_escalate(user=users["office"], today=D(2017, 9, 8)) == 1
    d.refresh_from_db()
    assert d.supervision_item.lead_unit == units["469002"]
    assert services.disposals_escalate(user=users["office"], today=D(2017, 9, 11)) == 0


def test_disposal_on_a_stale_copy_of_a_risk_closed_meanwhile_is_refused(users, units, complaint, today):
    Risk.objects.filter(pk=complaint.pk).update(level="II", stage="work")
    complaint.refresh_from_db()
    Risk.objects.filter(pk=complaint.pk).update(stage="closed")  # another user closed it; our copy still says work
    with pytest.raises(ApplicationError) as exc:
        services.disposal_create(user=users["office"], risk=complaint, kind="warning", owner=units["469002"])
    assert exc.value.extra["field"] == "risk"
    assert not complaint.disposals.exists()
