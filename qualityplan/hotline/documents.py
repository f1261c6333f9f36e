"""The monthly 12345 通报 on quality work orders (.docx, GB/T 9704) — builder from plain data, and its view.

``hotline`` sits above ``reports`` in the layers (ADR 0005): the hotline reads its own KPIs and renders them with the
GB/T 9704 writer of ``reports``, which knows nothing of the hotline. No caller data ever reaches the document.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from qualityplan.reports.gbt9704 import Imprint, OfficialDocument

ISSUER = "海南省质量强省建设协调推进工作领导小组办公室"
ISSUER_MARK = "海南省质量强省建设协调推进工作领导小组办公室"


def pct(v) -> str:
    return "—" if v is None else f"{v}%"


@dataclass
class CircularRow:
    unit_name: str
    dispatched: int
    closed: int
    sign_rate: object
    on_time_rate: object
    close_rate: object
    first_time_rate: object
    satisfaction_rate: object
    resolution_rate: object
    avg_hours: object


@dataclass
class HotlineCircular:
    year: int
    month: int
    doc_number: str
    date_text: str
    total: int
    by_category: list[tuple[str, int]]
    rows: list[CircularRow]
    overdue: list[tuple[str, str, str, str]]  # number, title, unit, deadline
    circulated: list[tuple[str, str]]  # notice number, unit
    imprint: Imprint
    satisfaction_target: float = 90.0
    below_target: list[str] = field(default_factory=list)


def build_hotline_circular(c: HotlineCircular) -> bytes:
    d = OfficialDocument()
    d.issuer_mark(ISSUER_MARK + "文件")
    d.doc_number(c.doc_number)
    d.title(f"关于{c.year}年{c.month}月12345热线质量类工单办理情况的通报")
    d.addressee("各市县人民政府，洋浦经济开发区管委会，省政府直属各有关单位：")
    d.para(
        f"按照“一号对外、按责转办、限时办结、统一督办”工作机制，现将{c.year}年{c.month}月12345政务服务便民热线"
        f"转办的质量类工单办理情况通报如下。"
    )
    d.heading1("一、总体情况")
    parts = "、".join(f"{label} {n} 件" for label, n in c.by_category if n) or "无"
    d.para(f"本月受理并转办质量类工单 {c.total} 件，其中{parts}。")
    d.heading1("二、各单位办理情况")
    if c.rows:
        d.table(
            [
                "承办单位",
                "派单",
                "办结",
                "签收及时率",
                "按时办结率",
                "办结率",
                "一次性办结率",
                "满意率",
                "解决率",
                "平均时长(h)",
            ],
            [
                [
                    r.unit_name,
                    str(r.dispatched),
                    str(r.closed),
                    pct(r.sign_rate),
                    pct(r.on_time_rate),
                    pct(r.close_rate),
                    pct(r.first_time_rate),
                    pct(r.satisfaction_rate),
                    pct(r.resolution_rate),
                    "—" if r.avg_hours is None else str(r.avg_hours),
                ]
                for r in c.rows
            ],
            widths_mm=[30, 11, 11, 16, 16, 14, 16, 14, 14, 14],
        )
    else:
        d.para("本月无转办工单。")
    if c.below_target:
        d.para(f"满意率低于 {c.satisfaction_target:g}% 的单位：{'、'.join(c.below_target)}。")
    d.heading1("三、超期未办结工单")
    if c.overdue:
        d.table(["工单编号", "标题", "承办单位", "办理期限"], [list(r) for r in c.overdue], widths_mm=[36, 70, 30, 24])
    else:
        d.para("本月无超期未办结工单。")
    if c.circulated:
        d.heading1("四、通报批评")
        d.para(
            "下列工单经催办后仍未按期办结，予以通报批评："
            + "；".join(f"{num}（{unit}）" for num, unit in c.circulated)
            + "。"
        )
    d.heading1(f"{'五' if c.circulated else '四'}、有关要求")
    d.para(
        "各承办单位要严格落实首接负责和限时办结要求，规范退单和延期，不得推诿扯皮；对超期工单要立即办理并书面说明原因，"
        "切实提高按时办结率和群众满意率。"
    )
    d.signature(ISSUER, c.date_text)
    d.imprint(c.imprint)
    return d.to_bytes()


def circular_data(*, year: int, month: int, today: dt.date) -> HotlineCircular:
    from django.db.models import Count

    from qualityplan.hotline.choices import Category, Status
    from qualityplan.hotline.kpi import kpi_rows, population
    from qualityplan.hotline.models import OrderNotice, WorkOrder

    start = dt.date(year, month, 1)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    rows = kpi_rows(date_from=start, date_to=end, as_of=min(end, today))
    counts = dict(population(start, end).order_by().values_list("category").annotate(n=Count("id")))
    overdue = (
        WorkOrder.objects.filter(status__in=Status.clock_running(), deadline__lt=min(end, today))
        .select_related("lead_unit")
        .order_by("deadline")[:50]
    )
    circulated = OrderNotice.objects.filter(kind="circular", issued_on__gte=start, issued_on__lte=end).select_related(
        "unit"
    )
    return HotlineCircular(
        year=year,
        month=month,
        doc_number=f"琼质强办通〔{year}〕{month}号",
        date_text=f"{today.year}年{today.month}月{today.day}日",
        total=sum(counts.values()),
        by_category=[(str(label), counts.get(v, 0)) for v, label in Category.choices],
        rows=[
            CircularRow(
                r.name,
                r.dispatched,
                r.closed,
                r.sign_rate,
                r.on_time_rate,
                r.close_rate,
                r.first_time_rate,
                r.satisfaction_rate,
                r.resolution_rate,
                r.avg_hours,
            )
            for r in rows
        ],
        overdue=[(o.number, o.title, o.lead_unit.name, f"{o.deadline:%Y-%m-%d}") for o in overdue],
        circulated=[(n.number, n.unit.name) for n in circulated],
        below_target=[r.name for r in rows if r.satisfaction_rate is not None and r.satisfaction_rate < 90],
        imprint=Imprint(
            cc="省政府办公厅，省12345热线管理机构",
            printer=ISSUER,
            printed_on=f"{today.year}年{today.month}月{today.day}日",
        ),
    )


def circular_view(request):
    """``/hotline/circular.docx?month=YYYY-MM``: the office (and the hotline) download the monthly 通报."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse, HttpResponseBadRequest

    from qualityplan.core import clock
    from qualityplan.hotline.policies import can_intake

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_intake(request.user):
        raise PermissionDenied
    today = clock.today()
    raw = request.GET.get("month") or f"{today:%Y-%m}"
    try:
        year, month = (int(x) for x in raw.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return HttpResponseBadRequest("month: YYYY-MM")
    data = build_hotline_circular(circular_data(year=year, month=month, today=today))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="hotline-circular-{year}-{month:02d}.docx"'
    return response
