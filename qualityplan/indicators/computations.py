"""Indicator values per unit and period from records, registries and reports — each with its provenance.

Every function returns ``{unit_id | None: Value}`` (``None`` = the province) for the period
``[start, end]``; regulatory arithmetic goes through :mod:`qualityplan.monitoring.rules`
(i.e. ``qualityplan.standards``).  Month-additive counts are fetched once per year and sliced.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from qualityplan.indicators.choices import Method, SubmissionStatus, ValueType
from qualityplan.indicators.definitions import COMPUTATIONS
from qualityplan.indicators.models import Indicator, RegistryItem, ReportedValue
from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import NoisePeriod, SampleScope, SamplingResult, StationKind, WaterBody
from qualityplan.monitoring.models import AirDaily, NoiseMeasurement, SamplingRecord, SeaSample, WaterSample
from qualityplan.monitoring.selectors import sample_scope


@dataclass
class Value:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    basis: str = ""
    provenance: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def _nan(x) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def _fmt(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "—"
    return f"{float(rules.round_half_even(x, digits)):.{digits}f}"


class Calculator:
    """Computes indicator values for one year; caches per-year aggregates across periods."""

    def __init__(self, year: int):
        self.year = year
        self._cache: dict = {}

    # ---- dispatch
    def compute(self, indicator: Indicator, start: dt.date, end: dt.date) -> dict[int | None, Value]:
        if indicator.method == Method.COUNTED:
            return self.counted(indicator, start, end)
        if indicator.method == Method.REPORTED:
            return self.reported(indicator, start, end)
        fn = getattr(self, indicator.computation)
        return fn(indicator, start, end)

    # ---- sampling pass rates
    def _sampling_months(self, group: str):
        key = ("sampling", group)
        if key not in self._cache:
            rows = (
                SamplingRecord.objects.filter(product_group=group, sampling_date__year=self.year)
                .annotate(month=ExtractMonth("sampling_date"))
                .values("unit_id", "month", "sample_type")
                .annotate(n=Count("id"), q=Count("id", filter=Q(result=SamplingResult.PASS)))
                .order_by()
            )
            self._cache[key] = list(rows)
        return self._cache[key]

    def pass_rate(self, indicator: Indicator, start: dt.date, end: dt.date) -> dict[int | None, Value]:
        """Pass rate over the sampling the office counts for this group (``sample_scope``); the other scope's rate
        is kept beside it (``extra.other_scope``). 风险监测 never counts."""
        group = indicator.product_group
        own = indicator.sample_scope or SampleScope.from_wording(indicator.name)
        # the office's choice for this indicator wins; else its group's row or setting; else the target's wording
        scope = SampleScope(own) if indicator.method_match == "confirmed" else sample_scope(group, default=own)
        counted, other = set(scope.sample_types()), set(scope.other().sample_types())
        acc: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # q, n, risk, other q, other n
        for r in self._sampling_months(group):
            if not start.month <= r["month"] <= end.month:
                continue
            for key in (r["unit_id"], None):
                if r["sample_type"] in counted:
                    acc[key][0] += r["q"]
                    acc[key][1] += r["n"]
                elif r["sample_type"] not in other:
                    acc[key][2] += r["n"]
                if r["sample_type"] in other:
                    acc[key][3] += r["q"]
                    acc[key][4] += r["n"]
        out = {}
        for unit_id, (q, n, risk, oq, on) in acc.items():
            res = rules.pass_rate(q, n)
            rate, low, high = res if res else (None, None, None)
            other_rate = rules.pass_rate(oq, on)
            basis = (f"{scope.label}：合格 {q}/{n} 批次（不含风险监测 {risk} 批次），95% 置信区间（Wilson 法）{_fmt(low)}–{_fmt(high)}%；"
                     f"{scope.other().label}：{_fmt(other_rate[0]) if other_rate else '—'}%（{oq}/{on}）")  # fmt: skip
            flt = {"product_group": group, "sample_type__in": sorted(counted), "from": start, "to": end}
            if unit_id:
                flt["unit"] = unit_id
            other_scope = {"scope": scope.other().value, "qualified": oq, "sampled": on,
                           "rate": other_rate[0] if other_rate else None}  # fmt: skip
            out[unit_id] = Value(rate, q, n, low, high, basis,
                                 {"records": "sampling", "filter": flt, "count": n, "scope": scope.value,
                                  "other_scope": other_scope},
                                 {"risk_excluded": risk})  # fmt: skip
        return out

    # ---- air
    def _air_days(self, year: int):
        key = ("air", year)
        if key not in self._cache:
            rows = list(
                AirDaily.objects.filter(station__isnull=True, date__year=year)
                .order_by()
                .values_list("unit_id", "date", "aqi", "valid", "pm10", "standard")
            )
            if rows:
                cols = list(zip(*rows, strict=True))
                data = {
                    "unit": np.array(cols[0], dtype=np.int64),
                    "date": np.array([d.isoformat() for d in cols[1]], dtype="datetime64[D]"),
                    "aqi": np.array([np.nan if v is None else v for v in cols[2]], dtype=float),
                    "valid": np.array(cols[3], dtype=bool),
                    "pm10": np.array([np.nan if v is None else v for v in cols[4]], dtype=float),
                    "standard": sorted(set(cols[5])),
                }
            else:
                data = None
            self._cache[key] = data
        return self._cache[key]

    def air_good_day_ratio(self, indicator, start, end):
        d = self._air_days(self.year)
        if d is None:
            return {}
        m = (d["date"] >= np.datetime64(start)) & (d["date"] <= np.datetime64(end))
        if not m.any():
            return {}
        res = rules.good_day_ratio(d["aqi"][m], valid=d["valid"][m], groups=d["unit"][m])
        total = rules.good_day_ratio(d["aqi"][m], valid=d["valid"][m])
        edition = "/".join(d["standard"])
        out = {}
        for unit_id, vd, gd, ratio in zip(
            res.groups[0].tolist(), res.valid_days, res.good_days, res.ratio_percent, strict=True
        ):
            out[unit_id] = self._air_value(int(gd), int(vd), float(ratio), edition, start, end, unit_id)
        out[None] = self._air_value(
            int(total.good_days[0]), int(total.valid_days[0]), float(total.ratio_percent[0]), edition, start, end, None
        )
        return out

    @staticmethod
    def _air_value(gd, vd, ratio, edition, start, end, unit_id):
        flt = {"from": start, "to": end, "scope": "city"}
        if unit_id:
            flt["unit"] = unit_id
        pooled = "；全省为各市县城市日合计" if unit_id is None else ""
        return Value(_nan(ratio), gd, vd, basis=f"优良天数 {gd}/{vd} 有效天（{edition}{pooled}）",
                     provenance={"records": "air_daily", "filter": flt, "count": vd, "rule": edition},
                     extra={"period_days": (end - start).days + 1})  # fmt: skip

    def pm10_change(self, indicator, start, end):
        cur = self._air_days(self.year)
        prev = self._air_days(self.year - 1)
        if cur is None or prev is None:
            return {}
        m = (cur["date"] >= np.datetime64(start)) & (cur["date"] <= np.datetime64(end))
        out = {}
        for unit_id in [None, *sorted(set(cur["unit"][m].tolist()))]:
            cm = m if unit_id is None else m & (cur["unit"] == unit_id)
            pm = np.ones(prev["unit"].size, bool) if unit_id is None else prev["unit"] == unit_id
            if not cm.any() or not pm.any():
                continue
            if unit_id is None:  # HJ 663 regional value: arithmetic mean of the cities' annual values
                c, p = self._regional_mean(cur, cm), self._regional_mean(prev, pm)
                method = "全省值为各市县年均值的算术平均（HJ 663 区域评价）"
            else:
                c = rules.annual_mean({"PM10": cur["pm10"][cm]})["PM10"]["mean"]
                p = rules.annual_mean({"PM10": prev["pm10"][pm]})["PM10"]["mean"]
                method = "HJ 663 年均值"
            if np.isnan(c) or np.isnan(p):
                continue
            change = rules.yoy_change(c, p)
            flt = {"from": start, "to": end, "scope": "city"}
            if unit_id:
                flt["unit"] = unit_id
            out[unit_id] = Value(change, c, p, basis=f"PM10 均值 {_fmt(c)} µg/m³，上年 {_fmt(p)} µg/m³（{method}）",
                                 provenance={"records": "air_daily", "filter": flt, "count": int(cm.sum())},
                                 extra={"current": c, "previous": p})  # fmt: skip
        return out

    @staticmethod
    def _regional_mean(d, mask) -> float:
        """Arithmetic mean of the units' HJ 663 annual PM10 means (units without a valid annual mean left out)."""
        means = [rules.annual_mean({"PM10": d["pm10"][mask & (d["unit"] == u)]})["PM10"]["mean"]
                 for u in sorted(set(d["unit"][mask].tolist()))]  # fmt: skip
        means = [m for m in means if not np.isnan(m)]
        return float(np.mean(means)) if means else float("nan")

    # ---- water / sea: class of the period mean per station, then the share
    def _station_means(self, model, kinds, start, end, extra_filter=None):
        qs = model.objects.filter(station__kind__in=kinds, station__assessed=True, date__gte=start, date__lte=end)
        if extra_filter:
            qs = qs.filter(**extra_filter)
        sums: dict[int, dict] = {}
        meta: dict[int, tuple] = {}
        for sid, unit_id, body, items in qs.order_by().values_list(
            "station_id", "station__unit_id", "station__water_body", "items"
        ):
            s = sums.setdefault(sid, defaultdict(list))
            meta[sid] = (unit_id, body)
            for k, v in items.items():
                s[k].append(v)
        ids = sorted(sums)
        keys = sorted({k for s in sums.values() for k in s})
        means = {k: np.array([np.mean(sums[i][k]) if sums[i].get(k) else np.nan for i in ids]) for k in keys}
        units = np.array([meta[i][0] for i in ids], dtype=np.int64)
        bodies = np.array([meta[i][1] or WaterBody.RIVER for i in ids], dtype=object)
        return ids, units, bodies, means, qs.count()

    def _shares(self, classes, units, share_fn, label, good_label, records, flt, n_samples, edition):
        out = {}
        for unit_id in [None, *sorted(set(units.tolist()))]:
            m = np.ones(units.size, bool) if unit_id is None else units == unit_id
            c = classes[m]
            assessed = int(np.count_nonzero(c > 0))
            if not assessed:
                continue
            share = share_fn(c)
            good = int(round(share * assessed / 100.0))
            f = dict(flt, **({"unit": unit_id} if unit_id else {}))
            out[unit_id] = Value(share, good, assessed, basis=f"{good_label} {good}/{assessed} 个{label}（{edition}）",
                                 provenance={"records": records, "filter": f, "count": n_samples, "rule": edition})  # fmt: skip
        return out

    def water_iii_share(self, indicator, start, end, extra=None, label="考核断面"):
        ids, units, bodies, means, n = self._station_means(WaterSample, [StationKind.SURFACE], start, end, extra)
        if not ids:
            return {}
        classes, _ = rules.water_classes(means, bodies)
        flt = {"from": start, "to": end, "kind": StationKind.SURFACE}
        return self._shares(classes, units, rules.water_share_iii, label, "达到或优于Ⅲ类", "water", flt, n,
                            COMPUTATIONS["water_iii_share"])  # fmt: skip

    def river_annual_iii(self, indicator, start, end):
        return self.water_iii_share(indicator, start, end, {"station__water_body": WaterBody.RIVER}, "主要河流断面")

    def sea_good_share(self, indicator, start, end):
        ids, units, _bodies, means, n = self._station_means(SeaSample, [StationKind.SEA], start, end)
        if not ids:
            return {}
        classes = rules.sea_classes(means)
        flt = {"from": start, "to": end, "kind": StationKind.SEA}
        return self._shares(classes, units, rules.sea_good_share, "站位", "一、二类", "sea", flt, n,
                            COMPUTATIONS["sea_good_share"])  # fmt: skip

    # ---- counts of compliant samples / point-times
    def _ratio_counts(self, qs, ok: Q, records: str, flt: dict, what: str, edition: str):
        rows = qs.values("station__unit_id").annotate(n=Count("id"), k=Count("id", filter=ok)).order_by()
        acc: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            for key in (r["station__unit_id"], None):
                acc[key][0] += r["k"]
                acc[key][1] += r["n"]
        out = {}
        for unit_id, (k, n) in acc.items():
            f = dict(flt, **({"unit": unit_id} if unit_id else {}))
            out[unit_id] = Value(k * 100.0 / n if n else None, k, n, basis=f"达标 {k}/{n} {what}（{edition}）",
                                 provenance={"records": records, "filter": f, "count": n, "rule": edition})  # fmt: skip
        return out

    def drinking_compliance(self, indicator, start, end):
        qs = WaterSample.objects.filter(station__kind=StationKind.DRINKING, date__gte=start, date__lte=end)
        flt = {"from": start, "to": end, "kind": StationKind.DRINKING}
        return self._ratio_counts(qs, Q(water_class__lte=3, water_class__gte=1), "water", flt, "次（Ⅲ类及以上）",
                                  COMPUTATIONS["drinking_compliance"])  # fmt: skip

    def _noise(self, period, start, end, key):
        qs = NoiseMeasurement.objects.filter(period=period, date__gte=start, date__lte=end)
        flt = {"from": start, "to": end, "period": period}
        return self._ratio_counts(qs, Q(compliant=True), "noise", flt, "点次", COMPUTATIONS[key])

    def noise_day(self, indicator, start, end):
        return self._noise(NoisePeriod.DAY, start, end, "noise_day")

    def noise_night(self, indicator, start, end):
        return self._noise(NoisePeriod.NIGHT, start, end, "noise_night")

    # ---- registry counts
    def counted(self, indicator, start, end):
        qs = RegistryItem.objects.filter(kind=indicator.registry_kind, date__gte=start, date__lte=end)
        rows = list(qs.values("unit_id").annotate(n=Count("id")).order_by())
        total = sum(r["n"] for r in rows)
        if not total:
            return {}  # nothing registered yet: no data rather than a count of 0
        flt = {"kind": indicator.registry_kind, "from": start, "to": end}
        out = {
            None: Value(
                float(total),
                basis=f"已登记 {total} 项",
                provenance={"records": "registry", "filter": flt, "count": total},
            )
        }
        return out

    # ---- unit reports
    def reported(self, indicator, start, end):
        qs = (
            ReportedValue.objects.filter(
                indicator=indicator,
                submission__status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED],
                submission__period_start__gte=start,
                submission__period_start__lte=end,  # open periods count with what has been submitted so far
            )
            .select_related("submission")
            .order_by("submission__period_end")
        )
        by_unit: dict[int, list] = defaultdict(list)
        for rv in qs:
            by_unit[rv.submission.unit_id].append(rv)
        out: dict[int | None, Value] = {}
        for unit_id, values in by_unit.items():
            out[unit_id] = self._reported_value(indicator, values, unit_id)
        if not out:
            return out
        if indicator.value_type == ValueType.RATIO:
            num = sum(v.numerator or 0 for v in out.values())
            den = sum(v.denominator or 0 for v in out.values())
            pending = any(v.extra.get("pending") for v in out.values())
            through = max((v.extra["through"] for v in out.values() if v.extra.get("through")), default=None)
            out[None] = Value(num * 100.0 / den if den else None, num, den, basis=f"{_fmt(num, 0)}/{_fmt(den, 0)}（{len(out)} 个单位填报）",
                              provenance={"records": "reported", "filter": {"indicator": indicator.pk, "from": start, "to": end}, "count": len(out)},
                              extra={"pending": pending, "through": through})  # fmt: skip
        elif len(out) == 1:
            out[None] = next(iter(out.values()))
        else:
            vals = [v.value for v in out.values() if v.value is not None]
            agg = sum(vals) if indicator.value_type == ValueType.COUNT else (min(vals) if vals else None)
            out[None] = Value(
                agg,
                basis=f"{len(out)} 个单位填报",
                provenance={"records": "reported", "filter": {"indicator": indicator.pk}, "count": len(out)},
            )
        return out

    @staticmethod
    def _reported_value(indicator, values, unit_id) -> Value:
        pending = any(v.submission.status == SubmissionStatus.SUBMITTED for v in values)
        flt = {"indicator": indicator.pk, "unit": unit_id}
        prov = {
            "records": "reported",
            "filter": flt,
            "count": len(values),
            "submissions": [v.submission_id for v in values],
        }
        last = values[-1]
        note = "（含待审核数据）" if pending else ""
        if indicator.value_type == ValueType.RATIO:
            num = sum(float(v.numerator or 0) for v in values)
            den = sum(float(v.denominator or 0) for v in values)
            return Value(num * 100.0 / den if den else None, num, den, basis=f"累计 {_fmt(num, 0)}/{_fmt(den, 0)}，{last.submission.period} 止{note}",
                         provenance=prov, extra={"pending": pending, "through": last.submission.period_end})  # fmt: skip
        if indicator.value_type == ValueType.QUALITATIVE:
            ach = last.achieved
            return Value(None if ach is None else float(ach), basis=f"{last.submission.period} 填报：{'达成' if ach else '未达成'}{note}",
                         provenance=prov, extra={"pending": pending, "qualitative": True})  # fmt: skip
        return Value(_nan(float(last.value)) if last.value is not None else None, basis=f"{last.submission.period} 填报{note}",
                     provenance=prov, extra={"pending": pending})  # fmt: skip
