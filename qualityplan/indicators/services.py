"""Writes for indicators: catalogue sync, evaluation runs, the reporting workflow (submit → review → lock)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qualityplan.core import clock
from qualityplan.core.audit import log_bulk
from qualityplan.core.evidence import evidence_validate
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.files import original_name
from qualityplan.core.middleware import acting_as
from qualityplan.indicators.attainment import judge, summarise_units
from qualityplan.indicators.catalogue import (  # noqa: F401 (re-exported: callers use services.*)
    _indicator_fields,
    indicator_method_set,
    indicators_sync,
    plan_for_year,
)
from qualityplan.indicators.choices import Method, PeriodType, ReporterScope, Status, SubmissionStatus, ValueType
from qualityplan.indicators.computations import Calculator
from qualityplan.indicators.models import (
    ComputedValue,
    Evaluation,
    EvaluationRun,
    Indicator,
    RegistryItem,
    ReportedValue,
    RunTrigger,
    Submission,
)
from qualityplan.indicators.periods import Period, evaluation_periods, period_get, periods_of_year
from qualityplan.monitoring.models import AirDaily, NoiseMeasurement, SamplingRecord, SeaSample, WaterSample
from qualityplan.notifications.choices import NotificationKind
from qualityplan.notifications.services import notify_office, notify_units
from qualityplan.orgs.models import Unit
from qualityplan.orgs.selectors import local_government_units
from qualityplan.plans.choices import TargetScope
from qualityplan.plans.models import Plan

# ------------------------------------------------------------------------------------------ evaluation


def data_as_of(year: int) -> dt.date:
    """Evaluation date: today within the year; for a past year the latest data date (capped at 31 Dec)."""
    today = clock.today()
    year_end = dt.date(year, 12, 31)
    if today.year == year:
        return today
    if today < dt.date(year, 1, 1):
        return dt.date(year, 1, 1)
    dates = [
        AirDaily.objects.filter(date__year=year).aggregate(m=Max("date"))["m"],
        SamplingRecord.objects.filter(sampling_date__year=year).aggregate(m=Max("sampling_date"))["m"],
        WaterSample.objects.filter(date__year=year).aggregate(m=Max("date"))["m"],
        SeaSample.objects.filter(date__year=year).aggregate(m=Max("date"))["m"],
        NoiseMeasurement.objects.filter(date__year=year).aggregate(m=Max("date"))["m"],
        RegistryItem.objects.filter(date__year=year).aggregate(m=Max("date"))["m"],
        _date(Submission.objects.filter(year=year).aggregate(m=Max("first_submitted_at"))["m"]),
    ]
    dates = [d for d in dates if d is not None]
    return min(max(dates), year_end) if dates else year_end


def _date(value):
    return timezone.localtime(value).date() if value is not None else None


def _cv(ind, unit_id, period: Period, end, v) -> ComputedValue:
    return ComputedValue(
        indicator=ind,
        unit_id=unit_id,
        period=period.label,
        period_start=period.start if period.type != PeriodType.QUARTER else dt.date(period.start.year, 1, 1),
        period_end=end,
        value=v.value,
        numerator=v.numerator,
        denominator=v.denominator,
        ci_low=v.ci_low,
        ci_high=v.ci_high,
        rule_edition=(ind.standard_edition or v.provenance.get("rule", ""))[:120],
        basis=v.basis[:300],
        provenance=_json_safe(v.provenance),
    )


def _json_safe(obj):
    if isinstance(obj, dict):
        return {k: _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def evaluation_inputs(*, plan: Plan, year: int) -> dict:
    """The versions of what an evaluation reads: the plan and, per record table, how many rows and the newest id."""
    tables = {
        "air_daily": AirDaily.objects.filter(date__year=year),
        "sampling": SamplingRecord.objects.filter(sampling_date__year=year),
        "water": WaterSample.objects.filter(date__year=year),
        "sea": SeaSample.objects.filter(date__year=year),
        "noise": NoiseMeasurement.objects.filter(date__year=year),
        "registry": RegistryItem.objects.filter(date__year=year),
        "submissions": Submission.objects.filter(year=year),
    }
    out = {"plan": {"id": plan.pk, "year": plan.year, "version": plan.version,
                    "updated_at": plan.updated_at.isoformat() if plan.updated_at else None}}  # fmt: skip
    for name, qs in tables.items():
        agg = qs.aggregate(n=Count("pk"), last=Max("pk"))
        out[name] = {"rows": agg["n"], "last_id": agg["last"]}
    return out


@transaction.atomic
def evaluation_run(
    *, year: int, as_of: dt.date | None = None, trend: bool = True, user=None, trigger: str = RunTrigger.CLI
) -> dict:
    """Recompute every computed value and every target × unit × period evaluation of ``year``.

    Periods: each quarter that has ended by ``as_of`` (year to date through its end) and the year as of
    ``as_of``.  Monthly values (not cumulative) are stored too, for the trend chart. The run itself is kept as an
    :class:`EvaluationRun` record (as-of date, who started it, input versions, results); the previous runs stay.
    """
    plan = plan_for_year(year)
    if as_of is not None and as_of.year != year:
        raise ApplicationError(
            _("评估截至日期须在 %(year)s 年内。") % {"year": year}, {"field": "as_of", "as_of": as_of.isoformat()}
        )
    indicators_sync(plan=plan)
    as_of = as_of or data_as_of(year)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    Evaluation.objects.filter(year=year).delete()
    ComputedValue.objects.filter(period__startswith=str(year)).delete()
    calc = Calculator(year)
    local = list(local_government_units())
    targets = list(plan.targets.select_related("indicator_definition").order_by("order"))
    cvs: list[ComputedValue] = []
    evals: list[tuple[Evaluation, ComputedValue | None]] = []
    for period in evaluation_periods(year, as_of):
        p_as_of = min(period.end, as_of)
        for target in targets:
            ind = getattr(target, "indicator_definition", None)
            values = calc.compute(ind, year_start, p_as_of) if ind is not None else {}
            cv_of = {}
            for unit_id, v in values.items():
                cv = _cv(ind, unit_id, period, p_as_of, v)
                cvs.append(cv)
                cv_of[unit_id] = cv
            common = {"target": target, "indicator": ind, "year": year, "period": period.label, "as_of": p_as_of,
                      "comparator": target.comparator}  # fmt: skip
            per_unit = target.scope == TargetScope.EACH_UNIT
            unit_rows = per_unit or (
                ind is not None and (ind.method == Method.COMPUTED or ind.reporter_scope == ReporterScope.LOCAL)
            )
            judgements = {}
            if unit_rows:
                for unit in local:
                    v = values.get(unit.pk)
                    if v is None and not per_unit:
                        continue
                    j = judge(
                        target=target, indicator=ind, v=v, period_start=year_start, period_end=year_end, as_of=p_as_of
                    )
                    judgements[unit.pk] = j
                    evals.append((Evaluation(unit=unit, value=v.value if v else None, target_value=j.target_value,
                                             reading=j.reading, status=j.status, explanation=j.explanation,
                                             projection=j.projection, **common), cv_of.get(unit.pk)))  # fmt: skip
            v = values.get(None)
            j = judge(target=target, indicator=ind, v=v, period_start=year_start, period_end=year_end, as_of=p_as_of)
            row = Evaluation(unit=None, value=v.value if v else None, target_value=j.target_value, reading=j.reading,
                             status=j.status, explanation=j.explanation, projection=j.projection, **common)  # fmt: skip
            if per_unit:
                status, summary, good = summarise_units(target, judgements, len(local), p_as_of >= year_end)
                row.status = status
                row.units_met, row.units_total = good, len(local)
                prov = f"全省 {j.explanation.split('；')[0]}" if v is not None and v.value is not None else ""
                row.explanation = "；".join(
                    x for x in (summary, prov, f"截至 {p_as_of:%m-%d}" if p_as_of < year_end else "") if x
                )[:500]
            evals.append((row, cv_of.get(None)))
    if trend:
        months = [p for p in periods_of_year(year, PeriodType.MONTH) if p.start <= as_of]
        for target in targets:
            ind = getattr(target, "indicator_definition", None)
            if ind is None or ind.method != Method.COMPUTED:
                continue
            for m in months:
                end = min(m.end, as_of)
                for unit_id, v in calc.compute(ind, m.start, end).items():
                    cv = _cv(ind, unit_id, m, end, v)
                    cv.period_start = m.start
                    cvs.append(cv)
    ComputedValue.objects.bulk_create(cvs, batch_size=2000)
    for ev, cv in evals:
        ev.computed = cv
    Evaluation.objects.bulk_create([e for e, _c in evals], batch_size=2000)
    counts: dict[str, int] = {}
    results: dict[str, dict] = {}
    unit_codes = {u.pk: u.code for u in local}
    for e, _c in evals:
        if e.unit_id is None and e.period == str(year):
            counts[e.status] = counts.get(e.status, 0) + 1
        row = results.setdefault(e.period, {}).setdefault(e.target.code or f"T{e.target_id}", {"units": {}})
        if e.unit_id is None:
            row.update(status=e.status, value=None if e.value is None else round(e.value, 6), as_of=e.as_of.isoformat())
        else:
            row["units"][unit_codes.get(e.unit_id, str(e.unit_id))] = e.status
    run = EvaluationRun.objects.create(
        plan=plan, year=year, as_of=as_of, started_by=user if getattr(user, "pk", None) else None,
        started_by_name=getattr(user, "username", "") or str(RunTrigger(trigger).label), started_at=clock.now(),
        trigger=trigger, inputs=evaluation_inputs(plan=plan, year=year), totals=counts, results=results,
    )  # fmt: skip
    with acting_as(user if getattr(user, "pk", None) else None):
        log_bulk(EvaluationRun, action="create", summary={"title": str(run), "run": run.pk, "year": year,
                 "as_of": as_of.isoformat(), "trigger": trigger, "totals": counts})  # fmt: skip
    return {"as_of": as_of.isoformat(), "evaluations": len(evals), "computed_values": len(cvs), "targets": counts,
            "run": run.pk}  # fmt: skip


# ------------------------------------------------------------------------------------------ reporting


TRANSITIONS = {
    # action: (from states, to state, who)
    "submit": ((SubmissionStatus.DRAFT, SubmissionStatus.RETURNED), SubmissionStatus.SUBMITTED, "unit"),
    "approve": ((SubmissionStatus.SUBMITTED,), SubmissionStatus.APPROVED, "office"),
    "return": ((SubmissionStatus.SUBMITTED,), SubmissionStatus.RETURNED, "office"),
    "reopen": ((SubmissionStatus.APPROVED,), SubmissionStatus.RETURNED, "office"),
}


ACTION_LABELS = {
    "submit": _lazy("提交"),
    "approve": _lazy("审核通过"),
    "return": _lazy("退回"),
    "reopen": _lazy("重新开放"),
}
FIELD_LABELS = {
    "value": _lazy("数值"),
    "numerator": _lazy("分子"),
    "denominator": _lazy("分母"),
    "achieved": _lazy("是否达成"),
}


def _field_error(errors: dict, code: str, key: str, message) -> None:
    """Record ``message`` for ``<code>.<key>`` as a sentence naming the field by its label: "T25 分子：…"."""
    errors[f"{code}.{key}"] = _("%(code)s %(label)s：%(message)s") % {
        "code": code,
        "label": FIELD_LABELS[key],
        "message": message,
    }


def _check_transition(submission: Submission, action: str, user) -> SubmissionStatus:
    sources, target, who = TRANSITIONS[action]
    if who == "office" and not user.is_office:
        raise ApplicationError(_("只有领导小组办公室可以审核填报。"), {"action": action})
    if who == "unit" and not (user.is_office or user.unit_id == submission.unit_id):
        raise ApplicationError(_("只有填报单位可以提交本单位的数据。"), {"action": action})
    if submission.status not in sources:
        raise ApplicationError(
            _("这份填报当前为“%(status)s”，不能%(action)s。")
            % {"status": submission.get_status_display(), "action": ACTION_LABELS[action]},
            {"action": action, "status": submission.status},
        )
    return target


def indicators_reported_by(unit: Unit, *, plan: Plan, period_type: str | None = None):
    qs = Indicator.objects.filter(plan=plan, method=Method.REPORTED)
    if period_type:
        qs = qs.filter(period_type=period_type)
    if unit.is_local_government:
        return qs.filter(reporter_scope=ReporterScope.LOCAL, responsible_units=unit).order_by("target__order")
    return qs.filter(reporter_scope=ReporterScope.LEAD_UNITS, responsible_units=unit).order_by("target__order")


@transaction.atomic
def submission_get_or_create(*, unit: Unit, period: str) -> Submission:
    """The unit's data set for ``period`` with one (empty) value per indicator it reports in that period."""
    p = period_get(period)
    plan = plan_for_year(p.start.year)
    indicators = list(indicators_reported_by(unit, plan=plan, period_type=p.type))
    if not indicators:
        raise ApplicationError(
            _("%(unit)s在 %(period)s 周期没有需要填报的指标。") % {"unit": unit, "period": period}, {"period": period}
        )
    timely = max(i.timely_days for i in indicators)
    sub, _created = Submission.objects.get_or_create(
        unit=unit,
        period=p.label,
        defaults={
            "year": p.start.year,
            "period_type": p.type,
            "period_start": p.start,
            "period_end": p.end,
            "due_date": p.due(timely),
        },  # fmt: skip
    )
    have = set(sub.values.values_list("indicator_id", flat=True))
    ReportedValue.objects.bulk_create(
        [ReportedValue(submission=sub, indicator=i) for i in indicators if i.pk not in have]
    )
    return sub


def _dec(raw, code: str, key: str, errors: dict) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        d = Decimal(str(raw).strip())
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite():
        _field_error(errors, code, key, _("“%(raw)s”不是有效的数字。") % {"raw": str(raw).strip()[:40]})
        return None
    return d


def _validate_value(rv: ReportedValue, errors: dict, *, complete: bool) -> None:
    code = rv.indicator.code
    vt = rv.indicator.value_type
    required = _("提交前必须填写。")
    if vt == ValueType.QUALITATIVE:
        if complete and rv.achieved is None:
            _field_error(errors, code, "achieved", required)
        return
    if vt == ValueType.RATIO:
        if complete and rv.numerator is None:
            _field_error(errors, code, "numerator", required)
        if complete and rv.denominator is None:
            _field_error(errors, code, "denominator", required)
        if rv.denominator is not None and rv.denominator <= 0:
            _field_error(errors, code, "denominator", _("分母必须大于 0。"))
        if rv.numerator is not None and rv.numerator < 0:
            _field_error(errors, code, "numerator", _("分子不能为负数。"))
        if rv.numerator is not None and rv.denominator is not None and rv.numerator > rv.denominator:
            _field_error(errors, code, "numerator", _("分子不能大于分母。"))
        return
    if complete and rv.value is None:
        _field_error(errors, code, "value", required)
    if rv.value is not None:
        if vt == ValueType.RATE and not (Decimal(0) <= rv.value <= Decimal(100)):
            _field_error(errors, code, "value", _("比率须在 0–100 之间。"))
        if vt in (ValueType.COUNT, ValueType.NUMBER) and rv.value < 0:
            _field_error(errors, code, "value", _("不能为负数。"))


@transaction.atomic
def submission_save(
    *, submission: Submission, user, values: dict[str, dict], comment: str | None = None, evidence=None
) -> Submission:
    """Save draft values: ``values`` maps indicator code → {value, numerator, denominator, achieved, comment}."""
    if not (user.is_office or user.unit_id == submission.unit_id):
        raise ApplicationError(_("只有填报单位可以修改本单位的数据。"), {"unit": submission.unit_id})
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ApplicationError(
            _("这份填报已%(status)s，不能修改。") % {"status": submission.get_status_display()},
            {"status": submission.status},
        )
    if evidence is not None:
        evidence_validate(evidence, label=_("证明材料"))
    errors: dict[str, str] = {}
    rows = list(submission.values.select_related("indicator"))
    for rv in rows:
        data = values.get(rv.indicator.code)
        if data is None:
            continue
        code = rv.indicator.code
        if "value" in data:
            rv.value = _dec(data.get("value"), code, "value", errors)
        if "numerator" in data:
            rv.numerator = _dec(data.get("numerator"), code, "numerator", errors)
        if "denominator" in data:
            rv.denominator = _dec(data.get("denominator"), code, "denominator", errors)
        if rv.indicator.value_type == ValueType.RATIO and rv.numerator is not None and rv.denominator:
            rv.value = (rv.numerator * 100 / rv.denominator).quantize(Decimal("0.0001"))
        if "achieved" in data:
            a = data.get("achieved")
            rv.achieved = None if a in (None, "") else str(a).lower() in ("1", "true", "yes", "on", "达成")
        if "comment" in data:
            rv.comment = data.get("comment") or ""
        _validate_value(rv, errors, complete=False)
    if errors:
        raise ApplicationError("; ".join(errors.values()), {"errors": errors})
    for rv in rows:
        rv.save()
    changed = []
    if comment is not None and comment != submission.comment:
        submission.comment = comment
        changed.append("comment")
    if evidence is not None:
        submission.evidence = evidence
        submission.evidence_name = original_name(evidence)
        changed += ["evidence", "evidence_name"]
    if changed:
        submission.save(update_fields=[*changed, "updated_at"])
    return submission


@transaction.atomic
def submission_submit(*, submission: Submission, user) -> Submission:
    target = _check_transition(submission, "submit", user)
    errors: dict[str, str] = {}
    for rv in submission.values.select_related("indicator"):
        _validate_value(rv, errors, complete=True)
    if errors:
        raise ApplicationError("; ".join(errors.values()), {"errors": errors})
    now = clock.now()
    submission.status = target
    submission.submitted_at = now
    submission.submitted_by = user
    submission.first_submitted_at = submission.first_submitted_at or now
    submission.save()
    notify_office(
        title=_("%(unit)s提交了 %(period)s 指标填报，请审核") % {"unit": submission.unit, "period": submission.period},
        body=_("提交人：%(user)s") % {"user": user},
        url=_report_url(submission),
        kind=NotificationKind.SUBMISSION,
        unit_id=submission.unit_id,
    )
    return submission


def _report_url(submission: Submission) -> str:
    return reverse("indicators:report", args=[submission.pk])


def _notify_unit(submission: Submission, title: str, body: str = "") -> None:
    notify_units(
        unit_ids=[submission.unit_id],
        title=title,
        body=body,
        url=_report_url(submission),
        kind=NotificationKind.SUBMISSION,
    )


@transaction.atomic
def submission_approve(*, submission: Submission, user) -> Submission:
    submission.status = _check_transition(submission, "approve", user)
    submission.reviewed_at = clock.now()
    submission.reviewed_by = user
    submission.return_reason = ""
    submission.save()
    _notify_unit(submission, _("%(period)s 指标填报已审核通过") % {"period": submission.period})
    return submission


@transaction.atomic
def submission_return(*, submission: Submission, user, reason: str) -> Submission:
    target = _check_transition(submission, "return", user)
    if not (reason or "").strip():
        raise ApplicationError(_("退回原因：退回必须说明原因。"), {"field": "reason"})
    submission.status = target
    submission.reviewed_at = clock.now()
    submission.reviewed_by = user
    submission.return_reason = reason.strip()
    submission.save()
    _notify_unit(
        submission,
        _("%(period)s 指标填报被退回，请修改后重新提交") % {"period": submission.period},
        _("退回原因：%(reason)s") % {"reason": submission.return_reason},
    )
    return submission


@transaction.atomic
def submission_reopen(*, submission: Submission, user, reason: str) -> Submission:
    target = _check_transition(submission, "reopen", user)
    if not (reason or "").strip():
        raise ApplicationError(_("重新开放原因：重新开放必须说明原因。"), {"field": "reason"})
    submission.status = target
    submission.return_reason = f"重新开放：{reason.strip()}"
    submission.reviewed_at = clock.now()
    submission.reviewed_by = user
    submission.save()
    _notify_unit(
        submission,
        _("%(period)s 指标填报已重新开放，请修改后重新提交") % {"period": submission.period},
        submission.return_reason,
    )
    return submission


REMIND_DAYS = 3  # calendar days before a report's due date


def submissions_remind(*, today: dt.date | None = None) -> dict:
    """Daily job: tell a unit its report is due in ``REMIND_DAYS`` days or has passed its due date (idempotent).

    Draft and returned submissions only; each reminder is sent once per submission and kind — a message with the
    same link and kind already in the unit's inbox means it was sent.
    """
    from qualityplan.core import clock
    from qualityplan.notifications.models import Notification

    today = today or clock.today()
    open_states = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    qs = Submission.objects.filter(status__in=open_states).select_related("unit")
    due_soon = qs.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=REMIND_DAYS))
    overdue = qs.filter(due_date__lt=today)
    sent = {"reminders": 0, "overdue": 0}
    for key, rows, kind in (
        ("reminders", due_soon, NotificationKind.TASK_REMINDER),
        ("overdue", overdue, NotificationKind.TASK_OVERDUE),
    ):
        for sub in rows:
            url = _report_url(sub)
            if Notification.objects.filter(unit_id=sub.unit_id, url=url, kind=kind).exists():
                continue
            if kind == NotificationKind.TASK_REMINDER:
                title = _("%(period)s 指标填报将于 %(due)s 截止") % {
                    "period": sub.period,
                    "due": f"{sub.due_date:%Y-%m-%d}",
                }
            else:
                title = _("%(period)s 指标填报已超过报送期限 %(due)s") % {
                    "period": sub.period,
                    "due": f"{sub.due_date:%Y-%m-%d}",
                }
            if notify_units(unit_ids=[sub.unit_id], title=title, url=url, kind=kind):
                sent[key] += 1
    return sent


__all__ = [
    "Status",
    "data_as_of",
    "evaluation_run",
    "indicators_sync",
    "submission_approve",
    "submission_get_or_create",
    "submission_reopen",
    "submission_return",
    "submission_save",
    "submission_submit",
]
