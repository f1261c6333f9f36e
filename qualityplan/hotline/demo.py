"""Demo 12345 work orders (2017, fixed dates): the hotline agent ``hotline``, a dispatch catalogue and orders in
every state — closed and rated, returned and re-dispatched, extended, redone, merged, answered directly, overdue —
plus the 催办 notices the daily job issued. Idempotent. Callers are fictitious (phone numbers 1380000xxxx)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qualityplan.core import clock
from qualityplan.hotline import services
from qualityplan.hotline.escalation import hotline_escalate
from qualityplan.hotline.models import DispatchRule, WorkOrder
from qualityplan.orgs.demo import DEMO_PASSWORD
from qualityplan.orgs.models import Unit, User
from qualityplan.orgs.roles import Role

# subject, region code (None: province-wide), lead, cooperating, department matter, basis
CATALOGUE = [
    ("product", None, "QTS", [], False, "省质监局“三定”规定：产品质量监督"),
    ("product", "460100", "460100", ["QTS"], False, "属地管理：海口市产品质量投诉"),
    ("product", "469002", "469002", ["QTS"], False, "属地管理：琼海市产品质量投诉"),
    ("food", None, "FDA", [], True, "省食品药品监管局“三定”规定：食品安全监管（省级事权）"),
    ("service", None, "SAIC", ["TOURISM"], False, "省工商局：消费维权"),
    ("construction", None, "HOUSING", [], True, "省住房城乡建设厅：工程质量监督（省级事权）"),
    ("special_equipment", None, "QTS", [], True, "省质监局：特种设备安全监察"),
    ("measurement", None, "QTS", [], False, "省质监局：计量监督"),
]

# number suffix, received (m, d, h), category, subject, region, title, path [(action, (m, d, h), data, actor)]
AG, UN, OF = "hotline", "unit", "office"
ORDERS = [
    ("001", (3, 6, 9), "complaint", "product", "460100", "电热水壶使用中漏电", [
        ("dispatch", (3, 6, 10), {}, AG), ("sign", (3, 6, 15), {}, UN), ("start", (3, 7, 9), {}, UN),
        ("reply", (3, 20, 10), {"text": "经抽样检验不合格，已责令商家退货并立案查处。"}, UN),
        ("review", (3, 21, 9), {}, AG), ("review_pass", (3, 21, 9), {}, AG),
        ("visit", (3, 22, 10), {"satisfaction": "very_satisfied", "resolved": True}, AG)]),
    ("002", (4, 10, 14), "complaint", "product", "469002", "购买的电动自行车电池鼓包", [
        ("dispatch", (4, 10, 15), {}, AG),
        ("return", (4, 11, 9), {"reason": "生产企业在海口，属地不符", "basis": "属地管理原则"}, UN),
        ("reassign", (4, 11, 14), {"unit": "QTS", "cooperating_units": []}, OF),
        ("sign", (4, 12, 9), {}, UN), ("start", (4, 12, 10), {}, UN),
        ("request_extension", (4, 25, 9), {"reason": "需委托检验机构检验", "days": 5}, UN),
        ("approve_extension", (4, 25, 15), {}, OF),
        ("reply", (5, 5, 10), {"text": "检验结论为不合格，已督促企业召回。"}, UN),
        ("review", (5, 8, 9), {}, AG), ("review_pass", (5, 8, 9), {}, AG),
        ("visit", (5, 9, 10), {"satisfaction": "satisfied", "resolved": True}, AG)]),
    ("003", (5, 15, 10), "report", "food", "460100", "某餐馆使用过期食材", [
        ("dispatch", (5, 15, 11), {}, AG), ("sign", (5, 15, 16), {}, UN), ("start", (5, 16, 9), {}, UN),
        ("reply", (5, 26, 10), {"text": "已现场检查，没收过期食材并罚款。"}, UN),
        ("review", (5, 31, 9), {}, AG), ("review_pass", (5, 31, 9), {}, AG),
        ("visit", (6, 1, 10), {"satisfaction": "", "resolved": None, "note": "来电人拒绝评价"}, AG)]),
    ("004", (6, 5, 9), "consult", "measurement", None, "家用电表计量是否准确如何申请检定", [
        ("direct_answer", (6, 5, 9), {"text": "依据知识库答复：可向当地计量检定机构申请检定，费用标准见……"}, AG)]),
    ("005", (6, 12, 10), "complaint", "service", "460100", "旅行社强制购物", [
        ("dispatch", (6, 12, 11), {}, AG), ("sign", (6, 13, 9), {}, UN), ("start", (6, 13, 10), {}, UN),
        ("reply", (6, 28, 10), {"text": "已约谈旅行社。"}, UN),
        ("review", (6, 29, 9), {}, AG), ("review_pass", (6, 29, 9), {}, AG),
        ("visit_redo", (6, 30, 10), {"satisfaction": "dissatisfied", "resolved": False,
                                     "comment": "未退还强制消费款项，承办单位原因"}, AG),
        ("reply", (7, 10, 10), {"text": "已责令旅行社退还款项 2,300 元。"}, UN),
        ("review", (7, 11, 9), {}, AG), ("review_pass", (7, 11, 9), {}, AG),
        ("visit", (7, 12, 10), {"satisfaction": "basic", "resolved": True}, AG)]),
    ("006", (6, 13, 15), "complaint", "service", "460100", "旅行社强制购物（再次来电）", [
        ("merge", (6, 13, 16), {"into": "001-005"}, AG)]),
    ("007", (9, 29, 10), "complaint", "special_equipment", "460100", "小区电梯频繁困人", [
        ("dispatch", (9, 29, 11), {}, AG), ("sign", (9, 30, 9), {}, UN), ("start", (10, 9, 9), {}, UN)]),
    ("008", (11, 20, 10), "help", "product", "469002", "网购空调安装后不制冷", [
        ("dispatch", (11, 20, 11), {}, AG), ("sign", (11, 22, 9), {}, UN)]),
    ("009", (12, 18, 10), "suggestion", "construction", "460100", "建议加强保障房质量监督", [
        ("dispatch", (12, 18, 11), {}, AG)]),
    ("010", (12, 27, 9), "complaint", "product", "460100", "儿童玩具有异味", []),
]  # fmt: skip


def _at(year, m, d, h):
    return timezone.make_aware(dt.datetime(year, m, d, h, 0))


def load_demo(*, year: int = 2017) -> dict:
    units = {u.code: u for u in Unit.objects.all()}
    agent, created = User.objects.get_or_create(
        username="hotline", defaults={"role": Role.HOTLINE, "unit": None, "full_name": "孙热线"}
    )
    if created:
        agent.set_password(DEMO_PASSWORD)
        agent.save()
    office = User.objects.filter(username="office").first() or agent
    if not DispatchRule.objects.exists():
        for subject, region, lead, coop, dept, basis in CATALOGUE:
            rule = DispatchRule.objects.create(
                subject=subject,
                region=units.get(region) if region else None,
                lead_unit=units[lead],
                department_matter=dept,
                basis=basis,
            )
            rule.cooperating_units.set([units[c] for c in coop])
    prefix = f"QZ{year}"
    if WorkOrder.objects.filter(number__startswith=prefix).exists():
        return {"orders": 0}
    by_suffix = {}
    now = clock.now()  # the demo pins "today" (2017-11-30): nothing after it is created
    for n, (suffix, (m, d, h), category, subject, region, title, path) in enumerate(ORDERS):
        if _at(year, m, d, h) > now:
            continue
        order = services.order_create(
            user=agent,
            data={
                "number": f"{prefix}{suffix.zfill(6)}",
                "received_at": _at(year, m, d, h),
                "channel": "phone",
                "caller_name": ["王小明", "李红", "陈大伟", "林芳", "黄志强", "黄志强", "吴海", "郑丽", "周强", "许敏"][
                    n
                ],
                "caller_phone": f"1380000{n:04d}" if suffix != "006" else "13800000004",
                "category": category,
                "subject": subject,
                "region": region or "",
                "title": title,
                "content": f"{title}。来电人要求有关部门核实处理。",
            },
        )
        by_suffix[suffix] = order
        for action, (am, ad, ah), data, who in path:
            if _at(year, am, ad, ah) > now or (action == "merge" and "005" not in by_suffix):
                break
            data = dict(data)
            if action == "merge":
                data["into"] = by_suffix["005"].pk
            actor = {"hotline": agent, "office": office}.get(who)
            if who == "unit":
                order.refresh_from_db()
                actor = User.objects.filter(unit=order.lead_unit, role__in=Role.reporters(), is_active=True).first()
                if actor is None:
                    actor = User.objects.create(
                        username=f"hotline_{order.lead_unit.code.lower()}",
                        role=Role.CITY_REPORTER if order.lead_unit.is_local_government else Role.DEPT_REPORTER,
                        unit=order.lead_unit,
                    )
                    actor.set_unusable_password()  # stands in for the unit's handler in the demo history only
                    actor.save()
            order = services.order_transition(
                user=actor, order=order, action=action, version=order.version, data=data, now=_at(year, am, ad, ah)
            )
    notices = {}
    for day in (dt.date(year, 10, 27), dt.date(year, 10, 30), dt.date(year, 11, 6), dt.date(year, 12, 5)):
        if day > now.date():
            continue
        for k, v in hotline_escalate(today=day, notify=False).items():
            notices[k] = notices.get(k, 0) + v
    return {"orders": len(by_suffix), "notices": notices}
