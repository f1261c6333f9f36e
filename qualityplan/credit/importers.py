"""``credit load``: a CSV/XLSX file of credit events, all-or-nothing, with an error per bad row and field.

Columns (English or Chinese headers): ``uscc, enterprise, city, event, date, published, decision_no, penalties,
fine_yuan, lower_amount, restrict_years, domain, note`` (optional ``department``, ``industry``, ``recall``).
Rows are applied in date order (file order within a day), each through the same service as entry on the web, so
every rule and check is the same; one error anywhere rolls the whole file back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from qualityplan.core.audit import log_bulk
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.credit import policies, services
from qualityplan.credit.choices import EventKind, RecallKind
from qualityplan.credit.models import CreditEvent
from qualityplan.credit.tables import ImportFailed, RowError, Table, read_table
from qualityplan.orgs.selectors import NameResolver

ALIASES = {
    "统一社会信用代码": "uscc",
    "信用代码": "uscc",
    "企业名称": "enterprise",
    "企业": "enterprise",
    "名称": "enterprise",
    "市县": "city",
    "所在市县": "city",
    "事件": "event",
    "事件类型": "event",
    "日期": "date",
    "决定日期": "date",
    "公示日期": "published",
    "决定书文号": "decision_no",
    "文号": "decision_no",
    "处罚种类": "penalties",
    "罚款金额": "fine_yuan",
    "罚款金额（元）": "fine_yuan",
    "较低数额": "lower_amount",
    "较低数额罚款": "lower_amount",
    "限制从业年限": "restrict_years",
    "领域": "domain",
    "备注": "note",
    "部门": "department",
    "录入部门": "department",
    "行业": "industry",
    "召回方式": "recall",
}
REQUIRED = ("enterprise", "event", "date")
YES = {"是", "yes", "y", "true", "1", "较低数额"}
NO = {"否", "no", "n", "false", "0"}
RECALLS = {
    "主动召回": RecallKind.VOLUNTARY,
    "主动": RecallKind.VOLUNTARY,
    "责令召回": RecallKind.ORDERED,
    "责令": RecallKind.ORDERED,
}
MAX_NOTE = 2000


def _date(v: str) -> dt.date:
    v = v.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {v!r} (YYYY-MM-DD)")


def _parse_row(table: Table, i: int, resolver: NameResolver, errors: list[RowError]) -> dict | None:
    row_no = table.row_number(i)
    before = len(errors)

    def cell(name: str) -> str:
        col = table.columns.get(name)
        return (col[i] if col is not None else "").strip()

    def err(field: str, msg: str) -> None:
        errors.append(RowError(table.name, row_no, field, msg))

    out: dict = {"row": row_no}
    out["enterprise"] = cell("enterprise")
    if not out["enterprise"]:
        err("enterprise", "value is required")
    elif len(out["enterprise"]) > 200:
        err("enterprise", "longer than 200 characters")
    out["uscc"] = cell("uscc")
    kind = EventKind.from_label().get(cell("event")) or (cell("event") if cell("event") in EventKind.values else None)
    if kind is None or kind == EventKind.SAMPLE_FAIL:
        err("event", f"unknown event {cell('event')!r} (one of {', '.join(EventKind.from_label())})")
    out["kind"] = kind
    for name in ("date", "published"):
        v = cell(name)
        out[name] = None
        if v:
            try:
                out[name] = _date(v)
            except ValueError as exc:
                err(name, str(exc))
        elif name == "date":
            err("date", "value is required")
    out["decision_no"] = cell("decision_no")
    if len(out["decision_no"]) > 100:
        err("decision_no", "longer than 100 characters")
    out["penalties"] = [p for p in cell("penalties").replace("；", ";").split(";") if p.strip()]
    v = cell("fine_yuan")
    out["fine_yuan"] = None
    if v:
        try:
            out["fine_yuan"] = Decimal(v.replace(",", ""))
            if out["fine_yuan"] < 0 or out["fine_yuan"] >= Decimal("1e12"):
                err("fine_yuan", f"out of range: {v}")
        except InvalidOperation:
            err("fine_yuan", f"not a number: {v!r}")
    v = cell("lower_amount").lower()
    out["lower_amount"] = True if v in YES else False if v in NO else None
    if v and out["lower_amount"] is None:
        err("lower_amount", f"not yes/no: {v!r} (是/否)")
    v = cell("restrict_years")
    out["restrict_years"] = None
    if v:
        if v.isdigit() and 1 <= int(v) <= 99:
            out["restrict_years"] = int(v)
        else:
            err("restrict_years", f"not a whole number of years 1–99: {v!r}")
    out["domain"] = cell("domain") or "其他"
    out["note"] = cell("note")
    if len(out["note"]) > MAX_NOTE:
        err("note", f"longer than {MAX_NOTE} characters")
    out["industry"] = cell("industry")
    v = cell("recall")
    out["recall_kind"] = RECALLS.get(v, "") if v else ""
    if v and not out["recall_kind"]:
        err("recall", f"unknown recall kind {v!r} (主动召回/责令召回)")
    out["region"] = None
    v = cell("city")
    if v:
        unit = resolver.resolve(v).unit
        if unit is None:
            err("city", f"unknown city/county {v!r} (name or GB/T 2260 code)")
        out["region"] = unit
    out["department"] = None
    v = cell("department")
    if v:
        unit = resolver.resolve(v).unit
        if unit is None:
            err("department", f"unknown department {v!r}")
        out["department"] = unit
    return out if len(errors) == before else None


def credit_load(*, data: bytes, name: str, user=None) -> dict:
    """Load a credit file; raise :class:`ImportFailed` (nothing written) listing every bad row and field."""
    user = user or policies.SYSTEM
    if not policies.can_import(user):
        raise ApplicationError("无权导入信用档案。", {"field": "user", "code": "forbidden"})
    table = read_table(data, name, ALIASES)
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise ImportFailed([RowError(name, 1, c, "missing column") for c in missing])
    resolver = NameResolver.load()
    errors: list[RowError] = []
    rows = [_parse_row(table, i, resolver, errors) for i in range(table.n)]
    if errors:
        raise ImportFailed(errors)
    rows.sort(key=lambda r: (r["date"], r["row"]))
    counts: dict[str, int] = {}
    audit_user = user if getattr(user, "pk", None) else None
    with acting_as(audit_user), transaction.atomic():
        for r in rows:
            try:
                with transaction.atomic():
                    ent = services.enterprise_get_or_create(
                        uscc=r["uscc"], name=r["enterprise"], region=r["region"], industry=r["industry"], on=r["date"]
                    )
                    services.event_create(
                        user=user,
                        enterprise=ent,
                        kind=r["kind"],
                        date=r["date"],
                        unit=r["department"],
                        published_on=r["published"],
                        decision_no=r["decision_no"],
                        penalties=r["penalties"],
                        fine_yuan=r["fine_yuan"],
                        lower_amount=r["lower_amount"],
                        restrict_years=r["restrict_years"],
                        domain=r["domain"],
                        recall_kind=r["recall_kind"],
                        note=r["note"],
                    )
            except ApplicationError as exc:
                errors.append(RowError(name, r["row"], exc.extra.get("field", "row"), exc.message))
                continue
            counts[r["kind"]] = counts.get(r["kind"], 0) + 1
        if errors:
            errors.sort(key=lambda e: e.row)
            transaction.set_rollback(True)
        else:
            log_bulk(
                CreditEvent, action="create", summary={"title": f"信用档案导入 {name}", "rows": len(rows), **counts}
            )
    if errors:
        raise ImportFailed(errors)
    return {"rows": len(rows), "events": counts}
