"""Demo data of the risk module (演示数据): a planted cluster in the sampling records, and a few risks.

The planted cluster (documented in docs/risk.md): in September 2017, 14 batches of 豇豆 (category 蔬菜) sampled in
琼海市 (469002), 7 of them failing on 毒死蜱 — 6 from one enterprise, 海南琼海豇豆演示合作社 —, beside a routine
round of 10 豇豆 batches in every other city/county (2 failing on 克百威, one each in two units). Loaded through the
sampling importer as its own file (``demo-2017-risk-cluster.csv``), so it shows on the imports page; a second run
adds nothing. ``qualityplan risk scan --year 2017 --period 2017-09`` raises it (p-chart, enterprise and item
clusters); the 蔬菜 rates of the other cities and counties that month stay within their limits.

Every row is 风险监测 (risk-monitoring sampling), which never counts towards the pass-rate indicators
(``SAMPLING_SCOPE``), so loading the cluster with ``bootstrap --demo`` leaves the 2017 indicator baseline as it was.
"""

from __future__ import annotations

import datetime as dt

from qualityplan.monitoring.demo import _csv, _load
from qualityplan.standards.codes import uscc_check_character

CLUSTER_UNIT = "琼海市"
CLUSTER_BODY = "93469002MA5T0C0R"  # 93 = 农民专业合作社


def _uscc(body: str) -> str:
    body = body + "1"
    return body + uscc_check_character(body)


CLUSTER_USCC = _uscc(CLUSTER_BODY)
CLUSTER_ENTERPRISE = "海南琼海豇豆演示合作社"


def cluster_file(units) -> bytes:
    """The cluster, plus a routine 豇豆 sampling round of 10 batches in every other city/county the same month (two
    of them with one failing batch: within the limits, not raised)."""
    rows = []
    n = 14
    for i, unit in enumerate(u for u in units if u.name != CLUSTER_UNIT):
        for k in range(10):
            n += 1
            ok = not (k == 0 and i in (0, 5))
            region = unit.gb_code or "460400"
            rows.append([f"R-2017-{n:05d}", f"海南{unit.name}演示农场{k:02d}", _uscc(f"9346{region[2:]}MA5T1{i:02d}{k}"),
                         unit.name, "蔬菜", "豇豆", dt.date(2017, 9, 11 + k).isoformat(), "合格" if ok else "不合格",
                         "" if ok else "克百威", "风险监测", "2017年第9期（演示）"])  # fmt: skip
    for k in range(14):
        day = dt.date(2017, 9, 4 + k)
        if k < 6:
            ent, uscc, ok = CLUSTER_ENTERPRISE, CLUSTER_USCC, False
        elif k == 6:
            ent, uscc, ok = "海南琼海演示蔬菜批发部", _uscc("92469002MA5T0C0Q"), False
        else:
            ent, uscc, ok = f"海南琼海演示农场{k:02d}", _uscc(f"93469002MA5T0D{k:02d}"), True
        rows.append([f"R-2017-{k + 1:05d}", ent, uscc, CLUSTER_UNIT, "蔬菜", "豇豆", day.isoformat(),
                     "合格" if ok else "不合格", "" if ok else "毒死蜱", "风险监测", "2017年第9期（演示）"])  # fmt: skip
    header = ["抽样编号", "标称生产企业名称", "统一社会信用代码", "被抽样单位所在市县", "产品类别", "样品名称", "抽样日期",
              "检验结果", "不合格项目", "抽检类型", "公告号"]  # fmt: skip
    return _csv(header, rows)


def ensure_level_rules() -> None:
    """The shipped risk matrix bands (the data migration's loader): a flushed database (browser tests) has none."""
    import importlib

    from django.apps import apps

    importlib.import_module("qualityplan.risk.migrations.0002_level_rules").seed(apps, None)


def load_demo(*, year: int = 2017) -> dict:
    if year != 2017:
        return {"skipped": f"demo data exist for 2017 only, not {year}"}
    from qualityplan.monitoring.demo import _units

    ensure_level_rules()
    return {"cluster_samples": _load("sampling", "demo-2017-risk-cluster.csv", cluster_file(_units()))}
