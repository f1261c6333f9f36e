"""What the office can publish: a small registry of kinds.

A kind knows which items exist (``items(user)`` → ``[(key, label)]``), how to freeze one into a snapshot from public
fields only (``build(key, user)`` → dict with ``title``), which template shows it on the portal, and (optionally) the
open-data table of a snapshot (``fields`` + ``rows(data)``). Other apps' kinds plug in with :func:`register` from their
own code run by this app; the built-in ones are registered at the bottom of this module.

Snapshots never carry user names, callers, contacts, notes or files: each builder lists the fields it copies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    type: str = "string"  # string | number | date | integer
    unit: str = ""  # unit of measurement ("%", "件"…), empty when none applies


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    description: str
    items: Callable  # (user) -> list[(key, label)]
    build: Callable  # (key, user) -> dict (JSON-serialisable; has "title")
    template: str
    fields: tuple[Field, ...] = ()
    rows: Callable | None = None  # (data) -> list[dict] keyed by field names
    frequency: str = "irregular"  # DCAT accrualPeriodicity-style word
    extra: dict = field(default_factory=dict)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError as exc:
        raise ApplicationError(_("未知的公开类别"), {"field": "kind"}) from exc


def _num(value):
    if value is None:
        return None
    f = float(value)
    return int(f) if f.is_integer() else round(f, 4)


# Plan of a year ---------------------------------------------------------------------------------------------


def _plan_items(user):
    from qualityplan.plans.selectors import plan_visible

    years = sorted({p.year for p in plan_visible(user=None)}, reverse=True)
    return [(str(y), _("%(year)s 年度工作计划") % {"year": y}) for y in years]


def _responsible(mu) -> str:
    if mu.unit_id:
        return mu.unit.name
    if mu.group_id:
        return mu.group.name
    return mu.written


def _plan_build(key, user):
    from qualityplan.plans.choices import UnitRole
    from qualityplan.plans.selectors import plan_current

    year = _year(key)
    plan = plan_current(user=None, year=year)  # the public sees published plans only
    if plan is None or plan.year != year:
        raise ApplicationError(_("该年度没有已发布的计划"), {"field": "key"})
    measures = []
    for m in plan.measures.order_by("order").prefetch_related("responsibilities__unit", "responsibilities__group"):
        roles = sorted(m.responsibilities.all(), key=lambda r: r.position)
        measures.append(
            {
                "number": m.number,
                "title": m.title,
                "text": m.text,
                "lead": [_responsible(r) for r in roles if r.role == UnitRole.LEAD],
                "cooperating": [_responsible(r) for r in roles if r.role == UnitRole.COOPERATING],
            }
        )
    targets = [
        {
            "code": t.code,
            "indicator": t.indicator,
            "text": t.text,
            "comparator": t.get_comparator_display(),
            "value": _num(t.value),
            "value_max": _num(t.value_max),
            "unit": t.unit,
            "measure": t.measure.number if t.measure_id else "",
        }
        for t in plan.targets.order_by("order").select_related("measure")
    ]
    return {
        "title": plan.title,
        "year": plan.year,
        "issuer": plan.issuer,
        "date": plan.date.isoformat() if plan.date else None,
        "measures": measures,
        "targets": targets,
    }


def _year(key) -> int:
    try:
        year = int(key)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("年度无效"), {"field": "key"}) from exc
    if not 2000 <= year <= 2100:
        raise ApplicationError(_("年度无效"), {"field": "key"})
    return year


# Target statuses of a year (the last evaluation) -------------------------------------------------------------

PLAIN = {
    "met": _("已经达到目标。"),
    "on_track": _("按目前进度，预计年底能够达到目标。"),
    "at_risk": _("按目前进度，年底可能达不到目标，需要加把劲。"),
    "missed": _("没有达到目标。"),
    "no_data": _("还没有可用的数据，暂时无法判断。"),
}


def _evaluation_items(user):
    from qualityplan.indicators.selectors import evaluation_years

    return [(str(y), _("%(year)s 年度目标进展") % {"year": y}) for y in evaluation_years()]


def _evaluation_build(key, user):
    from qualityplan.indicators.choices import Status
    from qualityplan.indicators.selectors import evaluations_visible, latest_period

    year = _year(key)
    period = latest_period(year)
    rows = list(evaluations_visible(user=user, year=year, period=period).order_by("target__order", "unit__sort_order"))
    if not rows:
        raise ApplicationError(_("该年度还没有评估结果"), {"field": "key"})
    labels = dict(Status.choices)
    targets: dict[str, dict] = {}
    for e in rows:
        t = targets.setdefault(
            e.target.code or str(e.target_id),
            {
                "code": e.target.code or str(e.target_id),
                "indicator": e.target.indicator,
                "unit": e.target.unit,
                "comparator": e.target.get_comparator_display(),
                "target_value": _num(e.target.value),
                "status": Status.NO_DATA.value,
                "status_label": str(labels[Status.NO_DATA]),
                "value": None,
                "explanation": "",
                "plain": str(PLAIN["no_data"]),
                "regions": [],
            },
        )
        if e.unit_id is None:
            t.update(
                status=e.status,
                status_label=str(labels.get(e.status, e.status)),
                value=_num(e.value),
                target_value=_num(e.target_value) if e.target_value is not None else t["target_value"],
                explanation=e.explanation,
                plain=str(PLAIN.get(e.status, "")),
            )
        else:
            t["regions"].append(
                {
                    "name": e.unit.name,
                    "value": _num(e.value),
                    "status": e.status,
                    "status_label": str(labels.get(e.status, e.status)),
                }
            )
    as_of = max(e.as_of for e in rows)
    return {
        "title": str(_("%(year)s 年度目标进展（截至 %(as_of)s）") % {"year": year, "as_of": as_of.isoformat()}),
        "year": year,
        "period": period,
        "as_of": as_of.isoformat(),
        "targets": list(targets.values()),
    }


def _evaluation_rows(data):
    out = []
    for t in data["targets"]:
        out.append(_evaluation_row(data, t, "全省", t["value"], t["status"]))
        out.extend(_evaluation_row(data, t, r["name"], r["value"], r["status"]) for r in t["regions"])
    return out


def _evaluation_row(data, t, region, value, status):
    return {
        "year": data["year"],
        "period": data["period"],
        "as_of": data["as_of"],
        "target_code": t["code"],
        "indicator": t["indicator"],
        "region": region,
        "value": value,
        "target_value": t["target_value"],
        "unit": t["unit"],
        "status": status,
    }


# Registries (brands, awards, benchmark firms) -----------------------------------------------------------------


def _registry_items(user):
    from qualityplan.indicators.choices import RegistryKind

    return [(value, label) for value, label in RegistryKind.choices]


def _registry_build(key, user):
    from qualityplan.indicators.choices import RegistryKind
    from qualityplan.indicators.models import RegistryItem

    labels = dict(RegistryKind.choices)
    if key not in labels:
        raise ApplicationError(_("未知的登记类别"), {"field": "key"})
    items = (
        RegistryItem.objects.restrict(user, "view")
        .filter(kind=key)
        .select_related("region", "unit")
        .order_by("-date", "name")
    )
    return {
        "title": str(labels[key]),
        "registry": key,
        "items": [
            {
                "name": i.name,
                "holder": i.holder,
                "region": (i.region or i.unit).name,
                "date": i.date.isoformat(),
                "certificate_no": i.certificate_no,
            }
            for i in items
        ],
    }


# Sampling announcements ---------------------------------------------------------------------------------------

SAMPLING_DISCLAIMER = _(
    "本公告仅对所抽样品负责，不代表同批次或其他批次产品的质量状况。标称生产企业对抽检结果有异议的，可自收到检验"
    "结果之日起 15 日内向组织抽检的部门提出书面复检申请。"
)


def _sampling_items(user):
    from qualityplan.monitoring.models import SamplingRecord

    names = (
        SamplingRecord.objects.exclude(announcement="")
        .order_by("-sampling_date")
        .values_list("announcement", flat=True)
    )
    seen: dict[str, None] = {}
    for name in names.iterator():
        seen.setdefault(name, None)
    return [(name, _("抽检结果公告 %(no)s") % {"no": name}) for name in seen]


def _sampling_build(key, user):
    from qualityplan.monitoring.choices import SampleType
    from qualityplan.monitoring.models import SamplingRecord

    rows = (
        SamplingRecord.objects.filter(announcement=key, sample_type__in=SampleType.official())
        .select_related("unit")
        .order_by("sampling_date", "sample_no")
    )
    items = [
        {
            "no": n,
            "sample_no": r.sample_no,
            "enterprise": r.enterprise,
            "region": r.unit.name,
            "product_name": r.product_name,
            "product_category": r.product_category,
            "sampling_date": r.sampling_date.isoformat(),
            "sample_type": r.sample_type,
            "result": r.result,
            "failing_items": r.failing_items,
            "announcement": r.announcement,
        }
        for n, r in enumerate(rows, 1)
    ]
    if not items:
        raise ApplicationError(_("没有该期公告的抽检结果"), {"field": "key"})
    return {
        "title": str(_("产品质量抽检结果公告（%(no)s）") % {"no": key}),
        "announcement": key,
        "disclaimer": str(SAMPLING_DISCLAIMER),
        "failed": sum(1 for i in items if i["result"] == "不合格"),
        "items": items,
    }


# Credit blacklist ---------------------------------------------------------------------------------------------


def _blacklist_items(user):
    return [("current", _("严重违法失信名单"))]


def _blacklist_build(key, user):
    from qualityplan.credit.selectors import public_blacklist

    if key != "current":
        raise ApplicationError(_("未知的条目"), {"field": "key"})
    as_of = clock.today()
    items = [
        {
            "uscc": ev.ent_uscc,
            "enterprise": ev.ent_name,
            "region": ev.enterprise.region.name if ev.enterprise.region_id else "",
            "listed_on": ev.starts_on.isoformat(),
            "listed_until": ev.last_day.isoformat() if ev.last_day else None,
            "decision_no": ev.decision_no,
        }
        for ev in public_blacklist(as_of=as_of)
    ]
    return {"title": str(_("严重违法失信名单")), "as_of": as_of.isoformat(), "items": items}


def _items_rows(data):
    return list(data["items"])


register(
    Kind(
        code="plan",
        label=_("年度工作计划"),
        description=_("年度质量工作计划的目标、措施与责任单位。"),
        items=_plan_items,
        build=_plan_build,
        template="public/plan.html",
        fields=(
            Field("code", _("指标代码")),
            Field("indicator", _("指标")),
            Field("comparator", _("比较")),
            Field("value", _("目标值"), "number"),
            Field("value_max", _("目标上限"), "number"),
            Field("unit", _("计量单位")),
            Field("measure", _("所属措施")),
        ),
        rows=lambda data: [
            {k: t[k] for k in ("code", "indicator", "comparator", "value", "value_max", "unit", "measure")}
            for t in data["targets"]
        ],
        frequency="annual",
    )
)
register(
    Kind(
        code="evaluation",
        label=_("目标进展"),
        description=_("各项目标按全省和市县的达成状况（最近一次发布的评估）。"),
        items=_evaluation_items,
        build=_evaluation_build,
        template="public/evaluation.html",
        fields=(
            Field("year", _("年度"), "integer"),
            Field("period", _("周期")),
            Field("as_of", _("评估截至"), "date"),
            Field("target_code", _("指标代码")),
            Field("indicator", _("指标")),
            Field("region", _("地区")),
            Field("value", _("数值"), "number", _("见计量单位")),
            Field("target_value", _("目标值"), "number", _("见计量单位")),
            Field("unit", _("计量单位")),
            Field(
                "status", _("状态（met 已达成、on_track 进展正常、at_risk 存在风险、missed 未达成、no_data 无数据）")
            ),
        ),
        rows=_evaluation_rows,
        frequency="monthly",
    )
)
register(
    Kind(
        code="registry",
        label=_("品牌与奖项名录"),
        description=_("名牌产品、著名商标、优质工程等认定名录。"),
        items=_registry_items,
        build=_registry_build,
        template="public/registry.html",
        fields=(
            Field("name", _("名称")),
            Field("holder", _("企业/单位")),
            Field("region", _("所在市县")),
            Field("date", _("认定/发证日期"), "date"),
            Field("certificate_no", _("证书/文号")),
        ),
        rows=_items_rows,
        frequency="annual",
    )
)
register(
    Kind(
        code="sampling",
        label=_("抽检结果公告"),
        description=_("产品质量监督抽检结果（监督抽检、评价性抽检）。"),
        items=_sampling_items,
        build=_sampling_build,
        template="public/sampling.html",
        fields=(
            Field("no", _("序号"), "integer"),
            Field("sample_no", _("抽样单编号")),
            Field("enterprise", _("标称生产企业")),
            Field("region", _("被抽样单位所在市县")),
            Field("product_name", _("样品名称")),
            Field("product_category", _("产品类别")),
            Field("sampling_date", _("抽样日期"), "date"),
            Field("sample_type", _("抽检类型")),
            Field("result", _("检验结论")),
            Field("failing_items", _("不合格项目")),
            Field("announcement", _("公告号")),
        ),
        rows=_items_rows,
        frequency="quarterly",
    )
)
register(
    Kind(
        code="blacklist",
        label=_("严重违法失信名单"),
        description=_("列入严重违法失信名单的企业（发布当日仍在名单内的）。"),
        items=_blacklist_items,
        build=_blacklist_build,
        template="public/blacklist.html",
        fields=(
            Field("uscc", _("统一社会信用代码")),
            Field("enterprise", _("企业名称")),
            Field("region", _("所在市县")),
            Field("listed_on", _("列入日期"), "date"),
            Field("listed_until", _("届满日期"), "date"),
            Field("decision_no", _("决定文书号")),
        ),
        rows=_items_rows,
        frequency="weekly",
    )
)
