"""Synthetic 2017 monitoring dataset for every city/county (演示数据, clearly not official statistics).

Generated with NumPy from a fixed seed and loaded through the same importers as real files (so the
imports page shows the batches), except that nothing is re-read when a file with the same hash was
already imported: a second run adds nothing.  The data run to 30 Nov 2017 — the state the office
sees when it drafts the 5 December year-end summary — so open-year projections show which targets
are at risk.

* air: 2 automatic stations per city/county (40), hourly SO2/NO2/PM10/PM2.5/CO/O3 for 1 Jan–30 Nov
  2017 (≈ 320,000 rows), plus 2016 city-day values generated directly (baseline of "PM10 −3 %");
* surface water: 3 sections per unit, monthly; drinking-water sources: 1 per unit, monthly;
* coastal water: 2 stations per coastal unit, quarterly; noise: 3 functional-zone points per unit,
  quarterly day and night;
* sampling inspections: ≈ 4,000 SAMR-style records (food, agricultural, industrial, drug, export;
  a share of 风险监测 samples), with GB 32100-valid USCCs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np

from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.ingest.runner import import_file
from qualityplan.monitoring.models import AirDaily, ImportBatch
from qualityplan.monitoring.tables import file_sha256
from qualityplan.orgs.selectors import local_government_units

SEED = 2017
END = dt.date(2017, 11, 30)
# Units with more polluted days (west-coast industry, winter haze drift) -> below 98 % good days.
POLLUTED = {"469007": 9, "460400": 8, "YANGPU": 10, "460100": 5}
COASTAL_INLAND = {"469001", "469022", "469025", "469029", "469030", "469021"}  # no coastline
WEST = {"469007", "460400", "YANGPU", "469026", "469024", "469023", "469027"}


def _csv(header: list[str], rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode()


def _load(kind: str, name: str, data: bytes) -> int:
    if ImportBatch.objects.filter(kind=kind, sha256=file_sha256(data), status=ImportStatus.DONE).exists():
        return 0
    batch = import_file(kind=kind, name=name, data=data)
    if batch.status != ImportStatus.DONE:
        raise RuntimeError(f"demo {kind} import failed: {batch.errors[:5]}")
    return batch.created_rows


def _units():
    return list(local_government_units().order_by("sort_order", "code"))


def air_file(units, rng) -> bytes:
    days = np.arange(np.datetime64("2017-01-01"), np.datetime64(END) + 1)
    nd = days.size
    doy = np.arange(nd)
    season = 1 + 0.45 * np.cos(2 * np.pi * (doy - 10) / 365)  # winter peak
    lines = []
    for u in units:
        episodes = np.zeros(nd, dtype=bool)
        n_ep = POLLUTED.get(u.code, int(rng.integers(0, 4)))
        winter = np.flatnonzero((doy < 75) | (doy > 300))
        episodes[rng.choice(winter, size=n_ep, replace=False)] = True
        base_pm25 = (24 if u.code in WEST else 17) * season
        for s in range(2):
            code = f"D-{u.code}-A{s + 1}"
            daily = base_pm25 * rng.lognormal(0, 0.25, nd)
            daily = np.where(episodes, rng.uniform(82, 110, nd), daily)
            hourly_shape = 1 + 0.25 * np.sin(2 * np.pi * (np.arange(24) - 8) / 24)
            pm25 = np.clip(daily[:, None] * hourly_shape[None, :] * rng.lognormal(0, 0.12, (nd, 24)), 1, None)
            pm10 = pm25 * rng.uniform(1.55, 1.85, (nd, 1))
            o3 = np.clip(
                60 + 45 * np.sin(np.pi * (np.arange(24) - 6) / 16)[None, :] * rng.uniform(0.6, 1.3, (nd, 1)), 5, None
            )
            so2 = rng.uniform(3, 9, (nd, 24))
            no2 = rng.uniform(6, 22, (nd, 24)) * (1.4 if u.code == "460100" else 1)
            co = rng.uniform(0.3, 0.9, (nd, 24))
            missing = rng.random((nd, 24)) < 0.01
            for d in range(nd):
                date = str(days[d])
                for h in range(24):
                    if missing[d, h]:
                        lines.append(f"{u.name},{code},{date},{h},,,,,,\n")
                    else:
                        lines.append(
                            f"{u.name},{code},{date},{h},{so2[d, h]:.0f},{no2[d, h]:.0f},{pm10[d, h]:.0f},"
                            f"{pm25[d, h]:.0f},{co[d, h]:.2f},{o3[d, h]:.0f}\n"
                        )
    header = "city,station,date,hour,SO2,NO2,PM10,PM2_5,CO,O3\n"
    return (header + "".join(lines)).encode()


def air_2016(units, rng) -> int:
    """2016 city-day values, generated directly (baseline for the PM10 year-over-year target)."""
    if AirDaily.objects.filter(date__year=2016).exists():
        return 0
    days = [dt.date(2016, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    objs = []
    for u in units:
        factor = 1.02 if u.code in ("469007", "YANGPU") else 1.055  # two units barely improved in 2017
        base = (24 if u.code in WEST else 17) * 1.7 * factor
        for i, d in enumerate(days):
            pm10 = base * (1 + 0.45 * np.cos(2 * np.pi * (i - 10) / 365)) * rng.lognormal(0, 0.25)
            objs.append(AirDaily(unit=u, date=d, pm10=round(float(pm10), 1), aqi=round(float(pm10) * 0.7, 0), valid=True,
                                 standard="HJ633-2012", source="daily"))  # fmt: skip
    AirDaily.objects.bulk_create(objs, batch_size=5000)
    return len(objs)


def water_file(units, rng) -> bytes:
    rows = []
    months = range(1, 12)
    bad_sections = {("460100", 2), ("469007", 1), ("469024", 0), ("460400", 2), ("469023", 1)}
    for u in units:
        for s in range(3):
            code = f"D-{u.code}-W{s + 1}"
            bad = (u.code, s) in bad_sections
            for m in months:
                do = rng.uniform(6.2, 7.8) if not bad else rng.uniform(3.2, 4.6)
                nh3n = rng.uniform(0.08, 0.45) if not bad else rng.uniform(1.1, 1.6)
                tp = rng.uniform(0.03, 0.09) if not bad else rng.uniform(0.21, 0.28)
                rows.append([u.name, code, f"{u.short_name or u.name}{s + 1}号断面（演示）", f"2017-{m:02d}-08", "surface",
                             "river", f"{rng.uniform(6.8, 7.9):.2f}", f"{do:.1f}", f"{rng.uniform(1.2, 3.6):.1f}",
                             f"{rng.uniform(6, 14):.0f}", f"{rng.uniform(1.0, 2.8):.1f}", f"{nh3n:.3f}", f"{tp:.3f}"])  # fmt: skip
        code = f"D-{u.code}-S1"
        for m in months:
            nh3n = 0.62 if (u.code == "469027" and m == 8) else rng.uniform(0.05, 0.3)  # one class-IV sample
            rows.append([u.name, code, f"{u.short_name or u.name}水源地（演示）", f"2017-{m:02d}-05", "drinking", "lake",
                         f"{rng.uniform(6.9, 7.6):.2f}", f"{rng.uniform(6.5, 7.9):.1f}", f"{rng.uniform(1.0, 2.4):.1f}",
                         f"{rng.uniform(5, 12):.0f}", f"{rng.uniform(0.8, 2.2):.1f}", f"{nh3n:.3f}", f"{rng.uniform(0.005, 0.02):.3f}"])  # fmt: skip
    header = [
        "city",
        "station",
        "station_name",
        "date",
        "kind",
        "water_body",
        "pH",
        "DO",
        "CODMn",
        "COD",
        "BOD5",
        "NH3N",
        "TP",
    ]
    return _csv(header, rows)


def sea_file(units, rng) -> bytes:
    rows = []
    for u in units:
        if u.code in COASTAL_INLAND:
            continue
        for s in range(2):
            bad = (u.code, s) in {("460100", 1), ("YANGPU", 0)}
            for m in (2, 5, 8, 11):
                rows.append([u.name, f"D-{u.code}-C{s + 1}", f"{u.short_name or u.name}近岸{s + 1}（演示）", f"2017-{m:02d}-15",
                             f"{rng.uniform(7.9, 8.3):.2f}", f"{rng.uniform(6.2, 7.2):.1f}", f"{rng.uniform(0.5, 1.6):.2f}",
                             f"{(rng.uniform(0.32, 0.38) if bad else rng.uniform(0.05, 0.18)):.3f}",
                             f"{rng.uniform(0.004, 0.012):.3f}", f"{rng.uniform(0.005, 0.03):.3f}"])  # fmt: skip
    return _csv(["city", "station", "station_name", "date", "pH", "DO", "COD", "DIN", "PO4", "Petroleum"], rows)


def noise_file(units, rng) -> bytes:
    rows = []
    zones = ["1", "2", "4a"]
    for u in units:
        for s, zone in enumerate(zones):
            for m in (3, 6, 9):
                day_limit = {"1": 55, "2": 60, "4a": 70}[zone]
                night_limit = {"1": 45, "2": 50, "4a": 55}[zone]
                day = day_limit - rng.normal(3.5, 2.2)
                night = night_limit - rng.normal(1.6, 2.4)
                rows.append(
                    [
                        u.name,
                        f"D-{u.code}-N{s + 1}",
                        f"{u.short_name or u.name}{zone}类区（演示）",
                        zone,
                        f"2017-{m:02d}-12",
                        "day",
                        f"{day:.1f}",
                    ]
                )
                rows.append(
                    [
                        u.name,
                        f"D-{u.code}-N{s + 1}",
                        f"{u.short_name or u.name}{zone}类区（演示）",
                        zone,
                        f"2017-{m:02d}-12",
                        "night",
                        f"{night:.1f}",
                    ]
                )
    return _csv(["city", "station", "station_name", "zone", "date", "period", "leq_dBA"], rows)


CATEGORIES = {
    # group: ([(category, product)…], n samples, official pass probability)
    "food": ([("糕点", "月饼"), ("饮料", "椰子汁"), ("粮食加工品", "大米"), ("调味品", "酱油"), ("酒类", "米酒"), ("茶叶及相关制品", "绿茶")], 2000, 0.979),
    "agri": ([("蔬菜", "豇豆"), ("水果", "芒果"), ("畜禽产品", "猪肉"), ("水产品", "罗非鱼")], 900, 0.984),
    "industrial": ([("塑料管材产品", "PE给水管"), ("电线电缆产品", "BV电线"), ("建筑用钢筋产品", "热轧带肋钢筋"), ("化肥产品", "复混肥料")], 650, 0.915),
    "drug": ([("化学药品", "片剂"), ("中成药", "颗粒剂"), ("中药饮片", "黄芪")], 300, 0.972),
    "export": ([("出口食品", "冻罗非鱼片"), ("出口工业品", "天然橡胶")], 300, 0.993),
}  # fmt: skip
FAILING = {"food": "菌落总数", "agri": "克百威", "industrial": "拉伸强度", "drug": "含量测定", "export": "标签"}


def _uscc(region: str, rng) -> str:
    from qualityplan.standards.codes import uscc_check_character

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + region + "".join(rng.choice(list("0123456789"), 8)) + rng.choice(list(alphabet))
    return body + uscc_check_character(body)


def sampling_file(units, rng) -> bytes:
    rows = []
    weights = np.array([6 if u.code in ("460100", "460200") else 2 for u in units], dtype=float)
    weights /= weights.sum()
    n = 0
    for group, (cats, count, p_pass) in CATEGORIES.items():
        for _ in range(count):
            n += 1
            u = units[rng.choice(len(units), p=weights)]
            cat, product = cats[rng.integers(len(cats))]
            risk = rng.random() < 0.08
            ok = rng.random() < (p_pass - (0.08 if risk else 0))
            day = dt.date(2017, 1, 3) + dt.timedelta(days=int(rng.integers(0, (END - dt.date(2017, 1, 3)).days + 1)))
            region = u.gb_code or "460400"
            rows.append([f"D-2017-{n:05d}", f"海南{product}演示企业{int(rng.integers(1, 400)):03d}有限公司", _uscc(region, rng), u.name,
                         cat, product, day.isoformat(), "合格" if ok else "不合格", "" if ok else FAILING[group],
                         "风险监测" if risk else ("评价性抽检" if rng.random() < 0.1 else "监督抽检"),
                         f"2017年第{day.month}期（演示）"])  # fmt: skip
    header = ["抽样编号", "标称生产企业名称", "统一社会信用代码", "被抽样单位所在市县", "产品类别", "样品名称", "抽样日期",
              "检验结果", "不合格项目", "抽检类型", "公告号"]  # fmt: skip
    return _csv(header, rows)


def load_demo(*, year: int = 2017) -> dict:
    if year != 2017:
        return {"skipped": f"demo data exist for 2017 only, not {year}"}
    _catalogue_ensure()  # shipped by migration 0003; a flushed test database needs it again
    rng = np.random.default_rng(SEED)
    units = _units()
    counts = {
        "air_hours": _load("air", "demo-2017-air-hourly.csv", air_file(units, rng)),
        "air_2016_days": air_2016(units, rng),
        "water": _load("water", "demo-2017-water.csv", water_file(units, rng)),
        "sea": _load("sea", "demo-2017-sea.csv", sea_file(units, rng)),
        "noise": _load("noise", "demo-2017-noise.csv", noise_file(units, rng)),
        "sampling": _load("sampling", "demo-2017-sampling.csv", sampling_file(units, rng)),
    }
    return counts


def _catalogue_ensure() -> None:
    """Create the shipped product-catalogue entries that are missing (the same loader migration 0003 runs)."""
    from importlib import import_module

    from django.apps import apps as django_apps

    import_module("qualityplan.monitoring.migrations.0003_product_catalogue_data").load(django_apps, None)
