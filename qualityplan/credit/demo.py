"""Demo credit archive (demo only): failing 监督抽检 results of the demo year become credit events after their recheck
windows, and a small set of penalties, list memberships, a recall and an honour for the same enterprises. Fixed
dates relative to the demo year; idempotent (skipped when the archive already has events)."""

from __future__ import annotations

import datetime as dt

from qualityplan.core.middleware import acting_as
from qualityplan.credit import services
from qualityplan.credit.models import CreditEvent
from qualityplan.monitoring.models import SamplingRecord
from qualityplan.orgs.models import Unit, User

# (penalties, lower_amount, fine, restrict_years, domain, month, day)
PENALTIES = [
    (["通报批评"], None, None, None, "其他", 3, 31),
    (["罚款"], True, 3000, None, "食品", 5, 31),
    (["罚款", "没收"], False, 120000, None, "食品", 2, 28),
    (["警告"], None, None, None, "其他", 6, 15),
    (["责令停产停业", "罚款"], False, 200000, None, "特种设备", 8, 31),
    (["罚款", "限制从业"], False, 500000, 5, "药品", 9, 29),
]


def load_demo(*, year: int) -> dict:
    if CreditEvent.objects.exists():
        return {"events": 0}
    user = User.objects.filter(username="qts").first()
    qts = Unit.objects.filter(code="QTS").first()
    if user is None or qts is None:
        return {"events": 0}
    fails = list(
        SamplingRecord.objects.filter(result="不合格", sample_type="监督抽检", sampling_date__year=year)
        .exclude(uscc="")
        .order_by("sampling_date", "id")[:24]
    )
    n = 0
    with acting_as(user):
        for rec in fails:
            services.sample_event_sync(
                user=user, sampling_record=rec, received_on=rec.sampling_date + dt.timedelta(days=10)
            )
            n += 1
        ents = [e.enterprise for e in CreditEvent.objects.filter(kind="sample_fail").select_related("enterprise")]
        seen = list(dict.fromkeys(ents))
        for i, (kinds, lower, fine, years, domain, month, day) in enumerate(PENALTIES):
            if i >= len(seen):
                break
            services.event_create(
                user=user,
                enterprise=seen[i],
                kind="penalty",
                date=dt.date(year, month, day),
                decision_no=f"琼质监罚〔{year}〕{i + 1}号",
                penalties=kinds,
                lower_amount=lower,
                fine_yuan=fine,
                restrict_years=years,
                domain=domain,
                unit=qts,
            )
            n += 1
        extra = [
            (4, "blacklist_in", dt.date(year, 10, 16), {}),
            (1, "abnormal_in", dt.date(year, 4, 10), {}),
            (1, "abnormal_out", dt.date(year, 7, 3), {}),
            (2, "abnormal_in", dt.date(year, 9, 1), {}),
            (3, "recall", dt.date(year, 6, 20), {"recall_kind": "voluntary", "note": "主动召回问题批次产品"}),
            (5, "honour", dt.date(year, 12, 1), {"note": "海南省政府质量奖提名"}),
        ]
        for idx, kind, day, kw in extra:
            if idx < len(seen):
                services.event_create(user=user, enterprise=seen[idx], kind=kind, date=day, unit=qts, **kw)
                n += 1
    return {"events": n}
