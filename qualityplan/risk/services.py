"""Writes of the risk module. Every write checks its policy, validates, is audited (``BaseModel`` change log) with
the real actor (:func:`audited`: the web, the API and the CLI alike) and uses optimistic locking
(:class:`~qualityplan.core.concurrency.VersionedModel`, :func:`~qualityplan.core.concurrency.version_check`) where two
people may edit the same row."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.concurrency import version_check
from qualityplan.core.evidence import evidence_validate
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.files import original_name
from qualityplan.core.middleware import acting_as
from qualityplan.credit.models import Enterprise
from qualityplan.credit.services import uscc_normalise
from qualityplan.monitoring.models import SamplingRecord
from qualityplan.orgs.models import Unit
from qualityplan.orgs.selectors import unit_get_by_name_or_code
from qualityplan.risk import policies, rules
from qualityplan.risk.choices import REVIEW_STAGES, DisposalKind, DisposalStatus, SourceType, Stage
from qualityplan.risk.detection import signal_ref
from qualityplan.risk.models import Disposal, Review, Risk, RiskEvidence, RiskSample

FAIL = "不合格"


def _db_user(user):
    return user if getattr(user, "pk", None) else None


def _denied() -> ApplicationError:
    return ApplicationError(_("无权进行此操作。"), {"field": "user", "code": "forbidden"})


def _clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(" ".join(messages), {"field": "row" if field == "__all__" else field}) from exc


def audited(func):
    """Run a service in one transaction with its ``user`` as the change log's actor (a command-line run without a
    user, ``SYSTEM``, is logged as "system")."""

    @functools.wraps(func)
    def wrapper(*args, user, **kwargs):
        with acting_as(_db_user(user)), transaction.atomic():
            return func(*args, user=user, **kwargs)

    return wrapper


def _text(value, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(_("%(field)s 不能为空。") % {"field": field}, {"field": field})
    if len(value) > limit:
        raise ApplicationError(_("%(field)s 超过 %(limit)s 字。") % {"field": field, "limit": limit}, {"field": field})
    return value


def _next_number(year: int) -> str:
    """``FX-<year>-<seq>``, ``seq`` from 0001; past 9999 it grows a digit, so the highest is the longest, then the
    highest as text ("FX-2017-10000" sorts before "FX-2017-9999" as text)."""
    prefix = f"FX-{year}-"
    last = (
        Risk.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def enterprise_link(uscc: str) -> tuple[str, Enterprise | None]:
    """The USCC as stored and the credit-archive entry when the archive has it (never creates one)."""
    code, _valid, _problem = uscc_normalise(uscc)
    if len(code) > 18:
        raise ApplicationError(_("统一社会信用代码超过 18 个字符。"), {"field": "uscc"})
    return code, (Enterprise.objects.filter(uscc=code).first() if code else None)


@audited
def risk_create(
    *,
    user,
    source_type: str,
    product_category: str,
    description: str,
    title: str = "",
    source_ref: str = "",
    product_name: str = "",
    region: Unit | None = None,
    uscc: str = "",
    enterprise_name: str = "",
    reporter: str = "",
    received_on: dt.date | None = None,
    evidence=None,
    signal: dict | None = None,
) -> Risk:
    """Register risk information. The handling unit is the reporter's own unit; for the office, the region (else the
    office's unit)."""
    if not policies.can_create_risk(user):
        raise _denied()
    if source_type not in SourceType.values:
        raise ApplicationError(_("未知的信息来源：%(v)s") % {"v": source_type}, {"field": "source_type"})
    category = _text(product_category, "product_category", 100, required=True)
    description = _text(description, "description", 5000, required=True)
    received_on = received_on or clock.today()
    if received_on > clock.today():
        raise ApplicationError(_("接收日期晚于今天。"), {"field": "received_on"})
    code, enterprise = enterprise_link(uscc)
    unit = (region or getattr(user, "unit", None)) if user.is_office else user.unit
    if unit is None:
        raise ApplicationError(_("请选择市县（承办单位）。"), {"field": "region"})
    risk = Risk(
        number=_next_number(received_on.year),
        title=_text(title, "title", 200)
        or f"{category}{'：' + enterprise_name.strip() if enterprise_name else ''}"[:200],
        source_type=source_type,
        source_ref=_text(source_ref, "source_ref", 100),
        product_category=category,
        product_name=_text(product_name, "product_name", 200),
        region=region,
        unit=unit,
        uscc=code,
        enterprise_name=_text(enterprise_name, "enterprise_name", 200) or (enterprise.name if enterprise else ""),
        enterprise=enterprise,
        description=description,
        reporter=_text(reporter, "reporter", 100) or getattr(user, "username", ""),
        received_on=received_on,
        signal=signal,
        created_by=_db_user(user),
    )
    _clean(risk)
    risk.save()
    if evidence is not None:
        evidence_add(user=user, risk=risk, upload=evidence)
    return risk


@audited
def evidence_add(*, user, risk: Risk, upload) -> RiskEvidence:
    """Keep a file with a risk: private storage under a random name, served only by ``/files/`` after the data-scope
    check; the user's file name is kept in ``file_name``."""
    if not policies.can_add_evidence(user, risk):
        raise _denied()
    evidence_validate(upload, field="evidence")
    doc = RiskEvidence(
        risk=risk, file_name=original_name(upload, 255), size=getattr(upload, "size", 0) or 0,
        uploaded_by=_db_user(user),
    )  # fmt: skip
    doc.file.save(doc.file_name, upload, save=False)
    _clean(doc)
    doc.save()
    return doc


CSV_COLUMNS = {
    "信息来源": "source_type",
    "来源编号": "source_ref",
    "产品类别": "product_category",
    "产品名称": "product_name",
    "市县": "region",
    "统一社会信用代码": "uscc",
    "企业名称": "enterprise_name",
    "风险描述": "description",
    "报告人": "reporter",
    "接收日期": "received_on",
}
REQUIRED_COLUMNS = ("信息来源", "产品类别", "风险描述", "接收日期")
SOURCE_BY_LABEL = {str(label): value for value, label in SourceType.choices}


def _parse_row(n: int, row: dict) -> tuple[dict, list[dict]]:
    errors: list[dict] = []
    data: dict = {}

    def err(column: str, message: str) -> None:
        errors.append({"row": n, "column": column, "message": message})

    for column, field in CSV_COLUMNS.items():
        data[field] = (row.get(column) or "").strip()
    label = data["source_type"]
    data["source_type"] = SOURCE_BY_LABEL.get(label, label if label in SourceType.values else "")
    if not data["source_type"]:
        err("信息来源", _("未知的信息来源“%(v)s”") % {"v": label})
    for column in ("产品类别", "风险描述"):
        if not data[CSV_COLUMNS[column]]:
            err(column, _("不能为空"))
    try:
        data["received_on"] = dt.date.fromisoformat(data["received_on"])
        if data["received_on"] > clock.today():
            err("接收日期", _("晚于今天"))
    except ValueError:
        err("接收日期", _("不是 YYYY-MM-DD 日期：“%(v)s”") % {"v": data["received_on"]})
    region = data["region"]
    data["region"] = None
    if region:
        data["region"] = unit_get_by_name_or_code(region)
        if data["region"] is None:
            err("市县", _("未知的市县“%(v)s”") % {"v": region})
    if data["uscc"]:
        code, valid, _problem = uscc_normalise(data["uscc"])
        if not valid:
            err("统一社会信用代码", _("“%(v)s”未通过 GB 32100 校验") % {"v": data["uscc"]})
    limits = {"source_ref": 100, "product_category": 100, "product_name": 200, "enterprise_name": 200,
              "description": 5000, "reporter": 100}  # fmt: skip
    for column, field in CSV_COLUMNS.items():
        if field in limits and len(data[field]) > limits[field]:
            err(column, _("超过 %(n)s 字") % {"n": limits[field]})
    return data, errors


@audited
def risk_import_csv(*, user, data: bytes) -> list[Risk]:
    """Import risk information from a CSV file (UTF-8, header row): all rows or none. Errors name row and column."""
    if not policies.can_import_risks(user):
        raise _denied()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(_("文件不是 UTF-8 编码的 CSV。"), {"field": "file"}) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ApplicationError(
            _("缺少列：%(cols)s") % {"cols": "、".join(missing)},
            {"field": "file", "errors": [{"row": 1, "column": c, "message": _("缺少列")} for c in missing]},
        )
    parsed, errors = [], []
    for n, row in enumerate(reader, start=2):
        values, row_errors = _parse_row(n, row)
        parsed.append(values)
        errors.extend(row_errors)
    if not parsed:
        raise ApplicationError(_("文件没有数据行。"), {"field": "file"})
    if errors:
        first = errors[0]
        raise ApplicationError(
            _("%(n)s 处错误，未导入任何记录。第 %(row)s 行“%(column)s”：%(message)s") % {"n": len(errors), **first},
            {"field": "file", "errors": errors},
        )
    return [risk_create(user=user, **values) for values in parsed]


STAGE_ORDER = {Stage.WORK: (Stage.INTAKE, Stage.WORK), Stage.EXPERT: (Stage.WORK, Stage.EXPERT),
               Stage.CENTRAL: (Stage.WORK, Stage.EXPERT, Stage.CENTRAL, Stage.DISPOSAL)}  # fmt: skip


@audited
def risk_review(
    *,
    user,
    risk: Risk,
    stage: str,
    probability: int,
    severity: int,
    opinion: str,
    version: int | None = None,
    expert: str = "",
    info_grade: str = "",
) -> Review:
    """Record a 研判: 工作研判 first, then 专业研判 (one opinion per expert), then (quarterly) 集中研判 — which may
    also re-grade a risk under disposal. The latest opinion sets the risk's probability, severity, score and level."""
    if not policies.can_review(user, risk):
        raise _denied()
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    version_check(risk, version)
    if stage not in REVIEW_STAGES:
        raise ApplicationError(_("未知的研判环节：%(v)s") % {"v": stage}, {"field": "stage"})
    if not policies.can_review_stage(user, risk, stage):
        raise _denied()
    if risk.stage not in STAGE_ORDER[stage]:
        raise ApplicationError(
            _("当前环节“%(cur)s”不能进行“%(next)s”。") % {"cur": risk.get_stage_display(), "next": Stage(stage).label},
            {"field": "stage"},
        )
    opinion = _text(opinion, "opinion", 5000, required=True)
    expert = _text(expert, "expert", 100, required=stage == Stage.EXPERT)
    score = rules.score_of(probability, severity)
    level = rules.level_for(score)
    if info_grade and info_grade not in ("1", "2", "3"):
        raise ApplicationError(_("信息分级须为一级、二级或三级。"), {"field": "info_grade"})
    review = Review(
        risk=risk, stage=stage, expert=expert or getattr(user, "username", ""), opinion=opinion,
        probability=probability, severity=severity, score=score, level=level.level, reviewed_on=clock.today(),
        created_by=_db_user(user),
    )  # fmt: skip
    _clean(review)
    review.save()
    risk.probability, risk.severity, risk.score, risk.level = probability, severity, score, level.level
    if info_grade:
        risk.info_grade = info_grade
    if risk.stage != Stage.DISPOSAL:
        risk.stage = stage
    risk.save()
    return review


@audited
def disposal_create(
    *, user, risk: Risk, kind: str, owner: Unit, instruction: str = "", planned_samples: int | None = None
) -> Disposal:
    """Assign a disposal task; its deadline comes from the risk's level (``LevelRule.disposal_workdays``).

    The risk is read again under a row lock: a risk closed or re-graded meanwhile is judged as it is now."""
    if not policies.can_assign_disposal(user, risk):
        raise _denied()
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if kind not in DisposalKind.values:
        raise ApplicationError(_("未知的处置措施：%(v)s") % {"v": kind}, {"field": "kind"})
    if not risk.is_open:
        raise ApplicationError(_("风险已结案。"), {"field": "risk"})
    if not risk.level:
        raise ApplicationError(_("请先完成研判并确定风险等级。"), {"field": "risk"})
    if kind == DisposalKind.SAMPLING and not planned_samples:
        raise ApplicationError(_("监督抽查须填写计划抽样批次。"), {"field": "planned_samples"})
    rule = next(r for r in rules.level_rules() if r.level == risk.level)
    today = clock.today()
    disposal = Disposal(
        risk=risk, kind=kind, owner=owner, instruction=_text(instruction, "instruction", 5000),
        assigned_on=today, due_on=rules.due_date(today, rule.disposal_workdays),
        planned_samples=planned_samples if kind == DisposalKind.SAMPLING else None, created_by=_db_user(user),
    )  # fmt: skip
    _clean(disposal)
    disposal.save()
    if risk.stage != Stage.DISPOSAL:
        risk.stage = Stage.DISPOSAL
        risk.save(update_fields=["stage", "updated_at"])
    return disposal


@audited
def disposal_complete(*, user, disposal: Disposal, result: str, version: int | None = None) -> Disposal:
    if not policies.can_complete_disposal(user, disposal):
        raise _denied()
    disposal = Disposal.objects.select_for_update().get(pk=disposal.pk)
    version_check(disposal, version)
    if disposal.status == DisposalStatus.DONE:
        raise ApplicationError(_("该任务已完成。"), {"field": "disposal"})
    disposal.result = _text(result, "result", 5000, required=True)
    disposal.status = DisposalStatus.DONE
    disposal.done_on = clock.today()
    disposal.save()
    return disposal


def _targeted_samples(risk: Risk, since: dt.date):
    qs = SamplingRecord.objects.filter(product_category=risk.product_category, sampling_date__gte=since)
    if risk.uscc:
        return qs.filter(uscc=risk.uscc)
    if risk.region_id:
        return qs.filter(unit_id=risk.region_id)
    return qs.none()


@audited
def risk_collect_samples(*, user, risk: Risk) -> int:
    """Bring the results of the risk's targeted sampling back into it: records of the risk's category (and
    enterprise, else city/county) sampled since its first 监督抽查 task was assigned. Returns the new links."""
    if not policies.can_collect_samples(user, risk):
        raise _denied()
    task = risk.disposals.filter(kind=DisposalKind.SAMPLING).order_by("assigned_on", "id").first()
    if task is None:
        raise ApplicationError(_("该风险没有监督抽查任务。"), {"field": "risk"})
    have = set(risk.sample_links.values_list("sampling_record_id", flat=True))
    new = [
        RiskSample(risk=risk, sampling_record_id=pk, disposal=task)
        for pk in _targeted_samples(risk, task.assigned_on).values_list("pk", flat=True)
        if pk not in have
    ]
    for link in new:
        link.save()
    return len(new)


@audited
def risk_from_sample(*, user, sampling_record: SamplingRecord) -> Risk:
    """Open a risk from a failing sampling result (the sample is linked to it)."""
    if not policies.can_open_from_sample(user):
        raise _denied()
    if sampling_record.result != FAIL:
        raise ApplicationError(_("只有不合格结果可以生成风险。"), {"field": "sampling_record"})
    if RiskSample.objects.filter(sampling_record=sampling_record, disposal__isnull=True).exists():
        raise ApplicationError(_("该抽检记录已生成风险。"), {"field": "sampling_record"})
    risk = risk_create(
        user=user,
        source_type=SourceType.ENFORCEMENT,
        source_ref=sampling_record.sample_no,
        product_category=sampling_record.product_category,
        product_name=sampling_record.product_name,
        region=sampling_record.unit,
        uscc=sampling_record.uscc,
        enterprise_name=sampling_record.enterprise,
        description=f"{sampling_record.sample_type}不合格：{sampling_record.failing_items or '—'}",
        received_on=min(clock.today(), sampling_record.sampling_date),
    )
    RiskSample.objects.create(risk=risk, sampling_record=sampling_record)
    return risk


@audited
def risk_from_signal(*, user, signal: dict, received_on: dt.date | None = None) -> Risk:
    """Open a risk from a statistical signal (the caller recomputed it; its numbers are kept with the risk)."""
    if not policies.can_open_from_signal(user):
        raise _denied()
    ref = signal_ref(signal["key"])
    if Risk.objects.filter(source_ref=ref).exists():
        raise ApplicationError(_("该信号已生成风险。"), {"field": "signal"})
    region = Unit.objects.filter(code=signal["unit_code"]).first()
    subject = f"（{signal['subject']}）" if signal.get("subject") else ""
    return risk_create(
        user=user,
        source_type=SourceType.MONITORING,
        source_ref=ref,
        title=f"{signal['unit']}{signal['category']}{signal['period']}抽检不合格率异常{subject}"[:200],
        product_category=signal["category"],
        region=region,
        description=(
            f"{signal['period']} {signal['unit']} {signal['category']}：不合格 {signal['failed']}/{signal['total']}"
            f"（{signal['rate']:.1%}），全省同类 {signal['province_rate']:.1%}，上控制限 {signal['limit']:.1%}，"
            f"判据 {signal['rule']}{subject}。"
        ),
        received_on=received_on,
        signal=signal,
    )


@audited
def risk_close(*, user, risk: Risk, result: str, version: int | None = None) -> Risk:
    """结案: every disposal task done, the result of the measures written, and — when targeted sampling was
    ordered — its results back in the risk."""
    if not policies.can_close_risk(user, risk):
        raise _denied()
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    version_check(risk, version)
    if risk.stage != Stage.DISPOSAL:
        raise ApplicationError(_("只有处置中的风险可以结案。"), {"field": "stage"})
    if risk.disposals.filter(status=DisposalStatus.OPEN).exists():
        raise ApplicationError(_("仍有未完成的处置任务。"), {"field": "disposals"})
    if (
        risk.disposals.filter(kind=DisposalKind.SAMPLING).exists()
        and not risk.sample_links.filter(disposal__isnull=False).exists()
    ):
        raise ApplicationError(_("监督抽查结果尚未回流，不能结案。"), {"field": "samples"})
    risk.close_result = _text(result, "result", 5000, required=True)
    risk.stage = Stage.CLOSED
    risk.closed_on = clock.today()
    risk.save()
    return risk


@audited
def disposals_escalate(*, user, today: dt.date | None = None) -> int:
    """Overdue open disposal tasks enter the supervision ladder: one 督办单 each (提醒 → 催办通知 → 通报 from there)."""
    from qualityplan.supervision.choices import ItemSource
    from qualityplan.supervision.services import item_create

    if not policies.can_escalate(user):
        raise _denied()
    today = today or clock.today()
    n = 0
    overdue = Disposal.objects.filter(status=DisposalStatus.OPEN, due_on__lt=today, supervision_item__isnull=True)
    for d in overdue.select_related("risk", "owner").order_by("due_on", "id"):
        d.supervision_item = item_create(
            user=user,
            title=f"督办风险处置：{d.risk.number} {d.get_kind_display()}"[:300],
            source=ItemSource.INSPECTION_FINDING,
            source_ref=f"风险 {d.risk.number}"[:200],
            requirement=f"风险处置任务“{d.get_kind_display()}”已于 {d.due_on:%Y年%m月%d日} 到期未完成，请立即办理并书面报告。",
            lead_unit=d.owner,
            deadline_workdays=3,
            year=today.year,
        )
        d.save(update_fields=["supervision_item", "updated_at"])
        n += 1
    return n


@audited
def level_rule_update(*, user, rule, min_score: int, disposal_workdays: int, version: int | None = None):
    """Edit one band of the matrix (office): its lowest score and the disposal working days. The bands must stay
    ordered I > II > III > IV, and IV must start at 1 so that every score 1–16 has a level."""
    from qualityplan.risk.models import LevelRule

    if not policies.can_edit_levels(user):
        raise _denied()
    rule = LevelRule.objects.select_for_update().get(pk=rule.pk)
    version_check(rule, version)
    if not 1 <= int(min_score) <= 16:
        raise ApplicationError(_("最低分值须在 1–16 之间。"), {"field": "min_score"})
    if not 0 <= int(disposal_workdays) <= 60:
        raise ApplicationError(_("处置时限须在 0–60 个工作日之间。"), {"field": "disposal_workdays"})
    order = ["I", "II", "III", "IV"]
    bands = {r.level: r.min_score for r in LevelRule.objects.all()}
    bands[rule.level] = int(min_score)
    scores = [bands[level] for level in order if level in bands]
    if any(a <= b for a, b in zip(scores, scores[1:], strict=False)) or bands.get("IV", 1) != 1:
        raise ApplicationError(_("各等级最低分值须依次递减，IV 级须从 1 分起。"), {"field": "min_score"})
    rule.min_score, rule.disposal_workdays = int(min_score), int(disposal_workdays)
    _clean(rule)
    rule.save()
    return rule
