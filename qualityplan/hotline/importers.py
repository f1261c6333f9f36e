"""Import of work orders from the hotline platform's export (CSV or XLSX) — all or nothing.

Every row is validated (``services.order_clean``); one bad row and nothing is written: the result lists every bad
row with the field and the reason. Headers may be the field names or their Chinese labels. A valid file is inserted
in one transaction with one ``register`` event per order and one summary audit entry (``log_bulk``); the caller's
data never enters the audit summary.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.audit import log_bulk
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.hotline import policies, services
from qualityplan.hotline.models import OrderEvent, WorkOrder

HEADERS = {
    "number": ("number", "工单编号"),
    "received_at": ("received_at", "受理时间"),
    "channel": ("channel", "渠道"),
    "caller_name": ("caller_name", "来电人"),
    "caller_phone": ("caller_phone", "联系电话"),
    "category": ("category", "诉求类别"),
    "subject": ("subject", "诉求对象"),
    "enterprise_uscc": ("enterprise_uscc", "企业统一社会信用代码"),
    "enterprise_name": ("enterprise_name", "企业名称"),
    "region": ("region", "区域"),
    "title": ("title", "标题"),
    "content": ("content", "诉求内容"),
}
REQUIRED = ("number", "received_at", "category", "subject", "title", "content")
MAX_ROWS = 50_000


@dataclass
class ImportResult:
    created: int = 0
    errors: list[dict] = field(default_factory=list)  # {"row": n, "field": f, "message": m}

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ApplicationError(_("file：无法识别文件编码（应为 UTF-8 或 GB18030）。"), {"field": "file"})
    return list(csv.reader(io.StringIO(text)))


def _rows_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a broken file is a user error
        raise ApplicationError(
            _("file：无法读取 XLSX 文件。"), {"field": "file", "detail": type(exc).__name__}
        ) from None
    ws = wb.worksheets[0]
    return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]


def read_table(name: str, data: bytes) -> list[list]:
    ext = Path(name).suffix.lower()
    if ext == ".csv":
        return _rows_csv(data)
    if ext == ".xlsx":
        return _rows_xlsx(data)
    raise ApplicationError(_("file：只支持 .csv 和 .xlsx 文件。"), {"field": "file"})


def max_bytes() -> int:
    """Largest work-order file (setting ``HOTLINE_IMPORT_MAX_BYTES``, default 20 MB: about 50,000 orders)."""
    return int(getattr(settings, "HOTLINE_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def size_check(size: int) -> None:
    """Refuse a file over :func:`max_bytes` before it is read (the rows are validated in memory, all or none)."""
    limit = max_bytes()
    if size > limit:
        raise ApplicationError(
            _("file：文件超过 %(mb)s MB，请按月份分批导入。") % {"mb": f"{limit / 1024 / 1024:g}"}, {"field": "file"}
        )


def orders_import(*, user, name: str, data: bytes) -> ImportResult:
    """Validate every row, then create all orders or none."""
    if not policies.can_intake(user):
        raise ApplicationError(_("只有12345热线话务员或领导小组办公室可以导入工单。"), {"field": "file"})
    size_check(len(data))
    table = [r for r in read_table(name, data) if any(str(c).strip() for c in r)]
    if not table:
        raise ApplicationError(_("file：文件为空。"), {"field": "file"})
    header = [str(h).strip() for h in table[0]]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        raise ApplicationError(
            _("file：缺少列 %(cols)s。") % {"cols": "、".join(missing)}, {"field": "file", "missing": missing}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ApplicationError(_("file：一次最多导入 %(n)s 行。") % {"n": MAX_ROWS}, {"field": "file"})
    result = ImportResult()
    units = services._unit_keys()
    seen: dict[str, int] = {}
    cleaned = []
    numbers = []
    for line, raw in enumerate(table[1:], start=2):
        values = {k: (raw[i] if i < len(raw) else "") for k, i in columns.items()}
        clean, errors = services.order_clean(values, units_by_key=units)
        number = clean.get("number", "")
        if not number:
            errors.setdefault("number", _("number：工单编号不能为空。"))
        elif number in seen:
            errors.setdefault("number", _("number：与第 %(row)s 行工单编号重复。") % {"row": seen[number]})
        else:
            seen[number] = line
        for f, message in errors.items():
            result.errors.append({"row": line, "field": f, "message": message})
        cleaned.append((line, clean))
        numbers.append(number)
    existing = set(WorkOrder.objects.filter(number__in=[n for n in numbers if n]).values_list("number", flat=True))
    for line, clean in cleaned:
        if clean.get("number") in existing:
            result.errors.append(
                {
                    "row": line,
                    "field": "number",
                    "message": _("number：工单编号 %(n)s 已存在。") % {"n": clean["number"]},
                }
            )
    if result.errors:
        result.errors.sort(key=lambda e: (e["row"], e["field"]))
        return result
    now = clock.now()
    with acting_as(user), transaction.atomic():
        orders = WorkOrder.objects.bulk_create(
            [WorkOrder(**clean, created_by=user if user.is_authenticated else None) for _line, clean in cleaned],
            batch_size=2000,
        )
        OrderEvent.objects.bulk_create(
            [
                OrderEvent(
                    order=o,
                    action="register",
                    at=now,
                    from_status="",
                    to_status=o.status,
                    user=user,
                    data={"import": name},
                )
                for o in orders
            ],
            batch_size=2000,
        )
        log_bulk(
            WorkOrder,
            action="create",
            summary={"title": f"导入热线工单 {name}", "file": name, "rows": len(orders)},
        )
    result.created = len(orders)
    return result
