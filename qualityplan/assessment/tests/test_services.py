"""Round workflow, scoring on the database, locking, vetoes, explanation sums, query counts."""

import datetime as dt
from decimal import Decimal as D

import pytest

from qualityplan.assessment import selectors, services
from qualityplan.assessment.choices import RoundStatus, UnitStatus
from qualityplan.assessment.models import ItemScore
from qualityplan.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db

HAIKOU, QIONGHAI = "460100", "469002"


def to_self(rnd, users):
    return services.round_transition(user=users["office"], rnd=rnd, to=RoundStatus.SELF_ASSESSMENT)


def item(rnd, unit_code, code):
    return ItemScore.objects.get(assessment__round=rnd, assessment__unit__code=unit_code, code=code)


def self_score_all_manual(rnd, user, unit_code, points_share=D("0.75")):
    for it in ItemScore.objects.filter(assessment__round=rnd, assessment__unit__code=unit_code, rule_type="manual"):
        services.item_self_score(user=user, item=it, points=it.max_points * points_share, note="见佐证材料")


def test_open_creates_20_units_with_all_items(round_2017):
    assert round_2017.assessments.count() == 20
    assert ItemScore.objects.filter(assessment__round=round_2017).count() == 20 * 30
    assert round_2017.status == RoundStatus.OPEN


def test_state_machine_refuses_skips(round_2017, users):
    with pytest.raises(ApplicationError, match="不能从"):
        services.round_transition(user=users["office"], rnd=round_2017, to=RoundStatus.CLOSED)
    with pytest.raises(ApplicationError, match="办公室"):
        services.round_transition(user=users["city"], rnd=round_2017, to=RoundStatus.SELF_ASSESSMENT)


def test_self_score_only_own_unit_and_only_in_self_assessment(round_2017, users):
    it = item(round_2017, HAIKOU, "2.1.1")
    with pytest.raises(ApplicationError, match="自评阶段"):
        services.item_self_score(user=users["city"], item=it, points=3)
    to_self(round_2017, users)
    with pytest.raises(ApplicationError, match="本单位"):
        services.item_self_score(user=users["county"], item=it, points=3)
    with pytest.raises(ApplicationError, match="0 与 4"):
        services.item_self_score(user=users["city"], item=it, points=5)
    it = services.item_self_score(user=users["city"], item=it, points="3.5", note="已成立领导小组")
    assert it.self_points == D("3.50") and it.points == D("3.50")


def test_submit_requires_all_manual_items(round_2017, users):
    to_self(round_2017, users)
    ua = round_2017.assessments.get(unit__code=HAIKOU)
    with pytest.raises(ApplicationError, match="尚未自评"):
        services.unit_submit(user=users["city"], ua=ua)
    self_score_all_manual(round_2017, users["city"], HAIKOU)
    assert services.unit_submit(user=users["city"], ua=ua).status == UnitStatus.SUBMITTED


def full_round(round_2017, users, evaluation):
    evaluation("T15", HAIKOU, "met", 99.2)
    evaluation("T02", HAIKOU, "missed", 93.1)  # ratio 0.95 → half of 4 points
    to_self(round_2017, users)
    self_score_all_manual(round_2017, users["city"], HAIKOU, D("1"))
    self_score_all_manual(round_2017, users["county"], QIONGHAI, D("0.5"))
    services.round_transition(user=users["office"], rnd=round_2017, to=RoundStatus.VERIFICATION)
    return round_2017


def test_scoring_verification_and_explanation_sums(round_2017, users, evaluation):
    rnd = full_round(round_2017, users, evaluation)
    it = item(rnd, HAIKOU, "1.2.1")
    assert it.auto_points == D("6.00") and it.points == D("6.00")
    assert it.auto_refs[0]["kind"] == "evaluation"
    assert item(rnd, HAIKOU, "1.1.1").points == D("2.00")
    nodata = item(rnd, QIONGHAI, "1.2.1")
    assert nodata.points == D("0.00") and nodata.auto_status == "no_data"

    manual = item(rnd, HAIKOU, "2.1.2")
    with pytest.raises(ApplicationError, match="核查意见"):
        services.item_verify(user=users["office"], item=manual, points=2, reason="")
    services.item_verify(user=users["office"], item=manual, points=2, reason="经费未单列，扣1分")

    ua = rnd.assessments.get(unit__code=HAIKOU)
    ua.refresh_from_db()
    lines = selectors.explanation(ua=ua)
    assert sum(line.points for line in lines) == ua.score
    assert any("经费未单列" in line.how for line in lines)
    for other in rnd.assessments.all():
        assert sum(line.points for line in selectors.explanation(ua=other)) == other.score


def test_close_locks_everything(round_2017, users, evaluation):
    rnd = full_round(round_2017, users, evaluation)
    with pytest.raises(ApplicationError, match="尚未核定"):
        services.round_close(user=users["office"], rnd=rnd)
    for ua in rnd.assessments.all():
        if ua.unit.code not in (HAIKOU, QIONGHAI):
            for it in ua.items.filter(rule_type="manual"):
                services.item_verify(user=users["office"], item=it, points=0, reason="未提交自评材料")
        services.unit_verify(user=users["office"], ua=ua)
    rnd = services.round_transition(user=users["office"], rnd=rnd, to=RoundStatus.CLOSED)
    assert rnd.locked and rnd.closed_at
    it = item(rnd, HAIKOU, "2.1.2")
    ua = it.assessment
    for call in (
        lambda: services.item_verify(user=users["office"], item=it, points=1, reason="x"),
        lambda: services.item_self_score(user=users["city"], item=it, points=1),
        lambda: services.unit_verify(user=users["office"], ua=ua),
        lambda: services.round_score(rnd=rnd),
        lambda: services.veto_record(
            user=users["office"], rnd=rnd, unit=ua.unit, code="V1", occurred_on=dt.date(2017, 5, 1), description="x"
        ),
        lambda: services.round_transition(user=users["office"], rnd=rnd, to=RoundStatus.VERIFICATION),
    ):
        with pytest.raises(ApplicationError, match="锁定|不能从"):
            call()
    ranks = sorted(rnd.assessments.values_list("rank", flat=True))
    assert ranks[0] == 1 and len(ranks) == 20


def test_veto_makes_d_whatever_the_score(round_2017, users, evaluation):
    rnd = full_round(round_2017, users, evaluation)
    ua = rnd.assessments.get(unit__code=HAIKOU)
    for it in ua.items.all():
        services.item_verify(user=users["office"], item=it, points=it.max_points, reason="核查满分")
    ua.refresh_from_db()
    assert ua.grade == "A" and ua.score == D("105.00")  # 100 + bonus cap 5
    with pytest.raises(ApplicationError, match="没有否决项"):
        services.veto_record(
            user=users["office"], rnd=rnd, unit=ua.unit, code="V9", occurred_on=dt.date(2017, 5, 1), description="x"
        )
    services.veto_record(
        user=users["office"],
        rnd=rnd,
        unit=ua.unit,
        code="V1",
        occurred_on=dt.date(2017, 8, 3),
        description="某镇多家企业同类产品抽检不合格",
    )
    ua.refresh_from_db()
    assert ua.grade == "D" and ua.vetoed and ua.score == D("105.00")
    assert ua.rank == 20  # vetoed units rank last
    lines = selectors.explanation(ua=ua)
    assert sum(line.points for line in lines) == ua.score
    assert [line.kind for line in lines][-2:] == ["cap", "veto"]


def test_sensitivity_lists_the_biggest_losses(round_2017, users, evaluation):
    rnd = full_round(round_2017, users, evaluation)
    ua = rnd.assessments.get(unit__code=QIONGHAI)
    sens = selectors.sensitivity(ua=ua)
    losses = [d for _, d in sens.lost]
    assert losses == sorted(losses, reverse=True) and losses[0] >= D("6")
    assert sens.next_grade is not None


def test_scoring_query_count_does_not_grow_with_units(round_2017, users, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    to_self(round_2017, users)
    units = [a.unit for a in round_2017.assessments.select_related("unit")]
    with CaptureQueriesContext(connection) as two:
        services.round_score(rnd=round_2017, units=units[:2])
    with CaptureQueriesContext(connection) as twenty:
        services.round_score(rnd=round_2017)
    # reads are fixed; only the bulk_update batches (SQLite parameter limit) grow with rows: 600 rows → a few
    reads = [q for q in twenty.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == len([q for q in two.captured_queries if q["sql"].startswith("SELECT")])

    # the audit log gets one entry per changed row, written in batched INSERTs (not one query per row)
    def split(ctx):
        log = [q for q in ctx.captured_queries if 'INSERT INTO "core_changelog"' in q["sql"]]
        return len(ctx) - len(log), len(log)

    (two_other, _), (twenty_other, twenty_log) = split(two), split(twenty)
    assert twenty_other <= two_other + 6, (two_other, twenty_other)
    assert twenty_log <= 12, twenty_log
    with django_assert_max_num_queries(25):
        services.round_score(rnd=round_2017)


def test_scheme_in_closed_round_cannot_change_only_version(round_2017, users, scheme):
    text = scheme.text.replace("空气质量优良天数比例≥98%", "空气质量优良天数比例达到98%以上")
    services.scheme_update(user=users["office"], scheme=scheme, text=text)  # round open: allowed
    round_2017.status = RoundStatus.CLOSED
    round_2017.save()
    with pytest.raises(ApplicationError, match="只能另存为新版本"):
        services.scheme_update(user=users["office"], scheme=scheme, text=text)
    new = services.scheme_new_version(user=users["office"], scheme=scheme, text=text, note="措辞")
    assert new.version == 2 and new.code == scheme.code


def test_scheme_create_refuses_invalid_naming_the_item(plan_2017, users, scheme):
    from qualityplan.assessment.scheme import SchemeError

    bad = scheme.text.replace("target: T15", "target: T99").replace("version: 1", "version: 7")
    with pytest.raises(SchemeError, match="1.2.1.*T99"):
        services.scheme_create(user=users["office"], text=bad)


def test_sources_read_through_the_other_apps_models(round_2017, users, plan_2017, units):
    """Ledger tasks/parts/summaries, supervision items/notices and registry items created through their models."""
    from qualityplan.indicators.models import RegistryItem
    from qualityplan.ledger.models import ProgressUpdate, Summary, Task, TaskPart
    from qualityplan.supervision.models import Notice, SupervisionItem

    haikou = units[HAIKOU]
    measure = plan_2017.measures.first()
    lead = Task.objects.create(
        plan=plan_2017, measure=measure, unit=haikou, title="制定实施方案", owner_name="王海", deadline=dt.date(2017, 6, 30),
        status="done",
    )  # fmt: skip
    ProgressUpdate.objects.create(
        task=lead, unit=haikou, status="done", narrative="完成", reported_on=dt.date(2017, 6, 20)
    )
    other = Task.objects.create(
        plan=plan_2017,
        measure=measure,
        unit=units["QTS"],
        title="监督抽查",
        owner_name="李明",
        deadline=dt.date(2017, 9, 30),
    )
    TaskPart.objects.create(
        task=other, unit=haikou, description="配合抽查", status="done", last_update_on=dt.date(2017, 10, 9)
    )
    deadline = plan_2017.deadlines.order_by("date").first()
    Summary.objects.create(
        plan=plan_2017, deadline=deadline, unit=haikou, kind="half_year", due_date=dt.date(2017, 6, 30), status="submitted",
        submitted_at=dt.datetime(2017, 6, 29, 10, tzinfo=dt.UTC), first_submitted_at=dt.datetime(2017, 6, 29, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    sitem = SupervisionItem.objects.create(
        year=2017, seq=1, number="琼质督〔2017〕1号", title="督办", source="leader_instruction", requirement="x",
        lead_unit=haikou, deadline=dt.date(2017, 5, 1), status="in_progress",
    )  # fmt: skip
    Notice.objects.create(
        item=sitem, kind="circular", stage=1, number="通报1", unit=haikou, addressed_to="海口市", issued_on=dt.date(2017, 5, 12),
        deadline=dt.date(2017, 5, 1), text="通报",
    )  # fmt: skip
    for i in range(4):  # registered by the city itself
        RegistryItem.objects.create(
            kind="brand_product", name=f"名牌{i}", unit=haikou, date=dt.date(2017, 4, 1), certificate_no=f"M{i}"
        )
    # registered by the provincial bureau: counts where the item is located (region), not for the bureau's unit
    RegistryItem.objects.create(
        kind="brand_product",
        name="名牌4",
        unit=units["QTS"],
        region=haikou,
        date=dt.date(2017, 5, 1),
        certificate_no="M4",
    )
    RegistryItem.objects.create(
        kind="brand_product",
        name="名牌5",
        unit=haikou,
        region=units[QIONGHAI],
        date=dt.date(2017, 5, 1),
        certificate_no="M5",
    )
    to_self(round_2017, users)
    services.round_score(rnd=round_2017)
    got = {c: item(round_2017, HAIKOU, c) for c in ("2.2.1", "2.2.2", "2.3.1", "B1")}
    assert got["2.2.1"].points == D("10.50")  # on time + late part (0.5) over 2 due → 0.75 × 14
    assert {r["kind"] for r in got["2.2.1"].auto_refs} == {"task", "part"}
    assert got["2.2.2"].points == D("6.00")
    assert got["2.3.1"].points == D("7.00")  # one overdue item (−1), one 通报 (−2)
    assert got["B1"].points == D("2.00") and "上限" in got["B1"].auto_explanation
    assert "名牌4" in got["B1"].auto_explanation and "名牌5" not in got["B1"].auto_explanation
    assert "名牌5" in item(round_2017, QIONGHAI, "B1").auto_explanation


def test_comparison_with_last_year(round_2017, users, scheme):
    last = services.round_open(user=users["office"], year=2016, scheme=scheme)
    last.assessments.filter(unit__code=HAIKOU).update(score=D("81.50"), grade="B", rank=7)
    type(last).objects.filter(pk=last.pk).update(status=RoundStatus.CLOSED)
    to_self(round_2017, users)
    services.round_score(rnd=round_2017)
    rows = {r.ua.unit.code: r for r in selectors.results(user=users["office"], rnd=round_2017)}
    haikou = rows[HAIKOU]
    assert haikou.last.score == D("81.50") and haikou.delta == haikou.ua.score - D("81.50")
    assert haikou.rank_change == 7 - haikou.ua.rank
    assert rows[QIONGHAI].delta is None
    assert selectors.previous(ua=haikou.ua).round.year == 2016
