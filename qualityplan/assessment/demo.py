"""Demo: the shipped 2017 scheme and a closed 2017 round with results for all 20 local governments.

Computed items come from the other apps' demo data (indicators evaluations, ledger tasks and summaries,
supervision items, registry items) — whatever they hold when this runs; manual items get seeded self-scores,
a few office adjustments with reasons and one veto event. Idempotent: nothing happens once the round exists.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from qualityplan.assessment import rules, services
from qualityplan.assessment.choices import RoundStatus, UnitStatus
from qualityplan.assessment.models import ItemScore, Round
from qualityplan.core import clock

SCHEME_FILE = Path(__file__).resolve().parent / "data" / "hainan-2017-scheme.yaml"
SHARES = [Decimal("1"), Decimal("0.9"), Decimal("0.8"), Decimal("0.75"), Decimal("0.6"), Decimal("0.5")]
WEIGHTS = [30, 25, 20, 12, 8, 5]
NOTES = ["已按要求完成，见佐证材料", "基本完成，部分材料待补充", "已印发实施方案并组织推进", "按计划推进，年底前完成"]
ADJUST_REASONS = ["佐证材料不全", "实地核查与自评不符", "工作未覆盖全部乡镇", "经费未单列"]


def load_demo(*, year: int = 2017) -> dict:
    if year != 2017:
        return {}
    scheme, created = services.scheme_load_file(path=SCHEME_FILE)
    out = {"schemes": int(created)}
    # the round of the year before (synthetic, like the demo's 2016 plan) first, so that 2017 compares with it
    for y, synthetic in ((year - 1, True), (year, False)):
        if not Round.objects.filter(year=y).exists():
            out[f"round_{y}"] = _round(y, scheme, synthetic=synthetic)
    return out


def _round(year: int, scheme, *, synthetic: bool) -> dict:
    """One closed round with seeded self-scores and office adjustments (additive: only when the year has none)."""
    rng = random.Random(year)
    rnd = services.round_open(
        user=None, year=year, scheme=scheme, as_of=dt.date(year, 12, 31), self_deadline=dt.date(year + 1, 1, 15)
    )
    rnd.status = RoundStatus.SELF_ASSESSMENT
    if synthetic:
        rnd.title = f"{rnd.title}（合成演示数据）"
    rnd.save(update_fields=["status", "title"])
    manual = {name for name, rule in rules.ensure_loaded().items() if rule.manual}
    items = list(
        ItemScore.objects.filter(assessment__round=rnd, rule_type__in=manual).order_by("assessment_id", "order")
    )
    for it in items:
        it.self_points = rules.q(it.max_points * rng.choices(SHARES, WEIGHTS)[0])
        it.self_note = rng.choice(NOTES)
    adjusted = 0
    for it in items:
        if rng.random() < 0.12 and it.self_points > 0:
            cut = min(it.self_points, Decimal(rng.choice(["0.5", "1"])))
            it.verified_points = it.self_points - cut
            it.verify_reason = f"{rng.choice(ADJUST_REASONS)}，扣 {cut} 分"
            adjusted += 1
        else:
            it.verified_points, it.verify_reason = it.self_points, "采纳自评分"
    ItemScore.objects.bulk_update(
        items, ["self_points", "self_note", "verified_points", "verify_reason"], batch_size=500
    )
    now = clock.now()
    rnd.assessments.update(status=UnitStatus.VERIFIED, submitted_at=now, verified_at=now)
    rnd.status = RoundStatus.VERIFICATION
    rnd.save(update_fields=["status"])
    if not synthetic:
        veto_unit = rnd.assessments.select_related("unit").get(unit__code="469027").unit  # 乐东黎族自治县
        services.veto_record(
            user=None, rnd=rnd, unit=veto_unit, code="V1", occurred_on=dt.date(year, 8, 16),
            description="辖区内多家企业同类农产品农药残留超标，形成区域性质量安全事件（演示数据）",
        )  # fmt: skip
    services.round_close(user=None, rnd=rnd)
    # the demo round closed early in the following year, as real rounds do (the 通报 is numbered by that year)
    type(rnd).objects.filter(pk=rnd.pk).update(closed_at=timezone.make_aware(dt.datetime(year + 1, 2, 28, 10, 0)))
    return {"units": rnd.assessments.count(), "adjusted_items": adjusted}
