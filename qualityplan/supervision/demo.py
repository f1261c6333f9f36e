"""Demo 督查督办: items from every source in every state (with reports, a returned report, an extension,
rectification items) and the notices the escalation job issued during the year. Idempotent, fixed dates."""

from __future__ import annotations

import datetime as dt

from qualityplan.orgs.models import Unit, User
from qualityplan.standards.workdays import add_workdays
from qualityplan.supervision import services
from qualityplan.supervision.choices import ItemSource
from qualityplan.supervision.escalation import supervision_escalate
from qualityplan.supervision.models import SupervisionItem

D = dt.date

# title, source, lead, cooperating, workdays, assigned (month, day), path of actions
ITEMS = [
    (
        "落实省领导关于旅游服务质量投诉处理的批示",
        ItemSource.LEADER_INSTRUCTION,
        "TOURISM",
        ["SAIC", "460200"],
        15,
        (3, 6),
        ["assign", "accept", "submit_report", "start_review", "close"],
    ),
    (
        "海口市电动自行车产品质量监督抽查不合格问题整改",
        ItemSource.INSPECTION_FINDING,
        "460100",
        ["QTS"],
        20,
        (4, 10),
        [
            "assign",
            "accept",
            "rect",
            "submit_report",
            "start_review",
            "return",
            "submit_report",
            "start_review",
            "close",
        ],
    ),
    (
        "12345热线反映琼海市农贸市场计量器具问题",
        ItemSource.HOTLINE,
        "469002",
        ["QTS"],
        10,
        (5, 8),
        ["assign", "accept", "submit_report", "start_review", "return"],
    ),
    (
        "食品安全监督抽检不合格产品核查处置",
        ItemSource.INSPECTION_FINDING,
        "FDA",
        ["460100", "469002"],
        15,
        (6, 5),
        ["assign", "accept", "request_extension", "approve_extension"],
    ),
    (
        "推进农产品质量安全县创建督办",
        ItemSource.LEADER_INSTRUCTION,
        "AGRI",
        ["469002", "469023"],
        30,
        (7, 3),
        ["assign", "accept", "request_extension"],
    ),
    (
        "重点工程质量安全检查发现问题整改",
        ItemSource.INSPECTION_FINDING,
        "HOUSING",
        ["460100"],
        15,
        (8, 14),
        ["assign", "accept", "submit_report"],
    ),
    (
        "省质监局特种设备安全隐患排查督办",
        ItemSource.LEADER_INSTRUCTION,
        "QTS",
        ["ENV", "SAFETY"],
        10,
        (9, 11),
        ["assign", "accept", "submit_report", "start_review"],
    ),
    (
        "12345热线反映海口市商品房质量投诉",
        ItemSource.HOTLINE,
        "460100",
        ["HOUSING"],
        10,
        (10, 16),
        ["assign", "accept"],
    ),
    (
        "环境空气质量改善措施落实情况督办",
        ItemSource.LEADER_INSTRUCTION,
        "ENV",
        ["460100", "460200"],
        15,
        (11, 6),
        ["assign"],
    ),
    ("出口农产品质量安全示范区建设督办", ItemSource.INSPECTION_FINDING, "CIQ", ["AGRI"], 20, (11, 20), []),
]
DATA = {
    "submit_report": {"text": "已按督办要求完成办理，具体情况如下：一是……二是……"},
    "return": {"comment": "报告未说明整改措施和长效机制，请补充后重新报告。", "workdays": 10},
    "request_extension": {"reason": "涉及多个市县，需延长办理时间。"},
}


def load_demo(*, year: int = 2017, overdue_tasks=()) -> dict:
    """The demo's 督办 items and their history; ``overdue_tasks`` (ledger tasks, handed in by ``bootstrap``, which
    knows the ledger) gives the task one item is opened from."""
    if SupervisionItem.objects.filter(year=year).exists():
        return {"items": 0}
    office = User.objects.filter(username="office").first() or User.objects.filter(role="office").first()
    if office is None:
        return {"skipped": "no office user"}
    reporters = {u.unit_id: u for u in User.objects.filter(role__in=("dept_reporter", "city_reporter"))}
    units = {u.code: u for u in Unit.objects.all()}
    created = []
    for title, source, lead, coop, workdays, (month, day), path in ITEMS:
        item = services.item_create(
            user=office,
            title=title,
            source=source,
            requirement=f"请{units[lead].name}按要求抓好落实，书面报告办理情况。",
            lead_unit=units[lead],
            cooperating_units=[units[c] for c in coop],
            deadline_workdays=workdays,
            year=year,
        )
        lead_user = reporters.get(item.lead_unit_id) or _demo_reporter(item.lead_unit)
        today = D(year, month, day)
        for action in path:
            if action == "rect":
                rect = services.rectification_add(user=office, item=item, title="建立不合格产品后处理长效机制")
                services.rectification_transition(
                    user=lead_user, rectification=rect, action="submit_plan", data={"text": "整改方案：……"}, today=today
                )
                services.rectification_transition(
                    user=lead_user,
                    rectification=rect,
                    action="submit_report",
                    data={"text": "整改报告：……"},
                    today=today,
                )
                services.rectification_transition(user=office, rectification=rect, action="verify_pass", today=today)
                continue
            data = dict(DATA.get(action, {}))
            if action == "request_extension":
                data["until"] = add_workdays(item.deadline, 10)
                today = add_workdays(item.deadline, -2)
            actor = (
                office if action in ("assign", "approve_extension", "start_review", "return", "close") else lead_user
            )
            item = services.item_transition(user=actor, item=item, action=action, data=data, today=today)
            today = add_workdays(today, 3 if action != "accept" else max(2, workdays - 3))
        created.append(item)
    overdue = next(iter(overdue_tasks or ()), None)
    if overdue is not None:
        item = services.item_create_from_task(user=office, task=overdue, year=year)
        services.item_transition(user=office, item=item, action="assign", today=D(year, 11, 1))
        created.append(item)
    notices = 0
    day = D(year, 3, 1)
    while day <= D(year, 12, 29):
        r = supervision_escalate(today=day, notify=day >= D(year, 12, 1))
        notices += r["reminder"] + r["urge"] + r["circular"]
        day += dt.timedelta(days=1)
    return {"items": len(created), "notices": notices}


def _demo_reporter(unit):
    """A reporter of ``unit`` for the demo workflow (units without a demo login get a disabled one)."""
    role = "city_reporter" if unit.is_local_government else "dept_reporter"
    user, _ = User.objects.get_or_create(
        username=f"demo-{unit.code.lower()}",
        defaults={"role": role, "unit": unit, "full_name": f"{unit.name}联络员", "is_active": False},
    )
    return user
