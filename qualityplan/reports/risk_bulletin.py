"""The monthly quality-risk bulletin (质量安全风险监测月报, GB/T 9704 layout), from plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualityplan.reports.assessment_docs import ISSUER, cn
from qualityplan.reports.gbt9704 import Imprint, OfficialDocument

LEVEL_NAMES = {"I": "I级（红色）", "II": "II级（橙色）", "III": "III级（黄色）", "IV": "IV级（蓝色）"}


@dataclass
class BulletinRisk:
    number: str
    title: str
    region: str
    level: str
    stage: str


@dataclass
class BulletinSignal:
    category: str
    unit: str
    failed: int
    total: int
    rate: float
    province_rate: float
    rule: str


@dataclass
class RiskBulletin:
    year: int
    month: int
    doc_number: str
    date_text: str
    open_by_level: dict[str, int]
    new_risks: list[BulletinRisk]
    closed: int
    signals: list[BulletinSignal]
    overdue: list[tuple[str, str, str, str]]  # number, measure, owner, due date
    imprint: Imprint | None = None
    notes: list[str] = field(default_factory=list)


def build_risk_bulletin(b: RiskBulletin) -> bytes:
    d = OfficialDocument()
    d.doc_number(b.doc_number)
    d.title(f"{b.year}年{b.month}月质量安全风险监测月报")
    d.addressee("各市县市场监督管理局，省直有关部门：")
    total_open = sum(b.open_by_level.values())
    d.para(
        f"现将{b.year}年{b.month}月全省质量安全风险信息采集、监测、研判和处置情况通报如下。本月新登记风险信息 "
        f"{len(b.new_risks)} 条，结案 {b.closed} 条；月末在办风险 {total_open} 条。"
    )
    d.heading1("一、在办风险分级情况")
    levels = "，".join(f"{LEVEL_NAMES[k]} {b.open_by_level.get(k, 0)} 条" for k in LEVEL_NAMES)
    unassessed = b.open_by_level.get("-", 0)
    d.para(levels + (f"，尚未研判 {unassessed} 条。" if unassessed else "。"))
    d.heading1("二、本月统计监测信号")
    if b.signals:
        for i, s in enumerate(b.signals, start=1):
            d.heading2(f"（{cn(i) if i <= 99 else i}）{s.unit}{s.category}")
            d.para(
                f"抽检 {s.total} 批次，不合格 {s.failed} 批次，不合格率 {s.rate:.1%}，全省同类同期 {s.province_rate:.1%}"
                f"（判据：{s.rule}）。"
            )
    else:
        d.para("本月抽检数据未出现统计异常信号。")
    d.heading1("三、本月新登记风险")
    if b.new_risks:
        rows = [[r.number, r.title, r.region or "—", LEVEL_NAMES.get(r.level, "未研判"), r.stage] for r in b.new_risks]
        d.table(["编号", "风险", "市县", "等级", "环节"], rows, widths_mm=[30, 60, 22, 26, 18])
    else:
        d.para("本月无新登记风险信息。")
    d.heading1("四、逾期处置任务")
    if b.overdue:
        for number, measure, owner, due in b.overdue:
            d.para(f"{number} {measure}（{owner}，期限 {due}）逾期未完成，已纳入督查督办。")
    else:
        d.para("本月无逾期处置任务。")
    d.heading1("五、有关要求")
    d.para(
        "各地各部门要对I级、II级风险落实专人跟踪，按期完成风险警示、告知、抽查和召回等处置措施，"
        "处置结果及时录入系统；对统计监测信号要组织工作研判，必要时开展专业研判。"
    )
    for note in b.notes:
        d.para(note)
    d.signature(ISSUER, b.date_text)
    if b.imprint is not None:
        d.imprint(b.imprint)
    return d.to_bytes()
