"""Benchmark of qualityplan.standards against aqi-hub and python-aqi (same data, same run).

Run: ``.venv/bin/python bench/bench_standards.py --out var/bench/standards.md``

1. Daily AQI for 1,000,000 station-days × 6 pollutants.  qualityplan runs on all rows; the two
   libraries are per-row Python calls and are timed on a random subsample (``--lib-rows``) and
   extrapolated linearly (stated in the output).  aqi-hub is timed (best of 3, like qualityplan) on two
   nested subsample sizes, ``--lib-rows`` and half of it, and both per-row costs are reported so the
   linearity of the extrapolation can be checked in the same run.  Agreement is measured on the subsample:
   aqi-hub 0.3.3 implements the HJ 633-2026 breakpoints → compared with ``standard="HJ633-2026"``;
   python-aqi 0.6.1 ``ALGO_MEP`` implements the 2012 breakpoints → compared with ``"HJ633-2012"``.
2. Hourly → daily for 100 stations × 365 days × 24 h (876,000 rows), against a baseline measured in
   the same run: a plain NumPy mean over the same values reshaped to (station-day, 24).

Input data are synthetic (fixed seed) and reported at publication resolution: integer µg/m³, CO 0.1 mg/m³.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

from qualityplan.standards.air.daily import daily_from_hourly
from qualityplan.standards.air.hj633 import daily_aqi, iaqi

POLS = ("SO2", "NO2", "PM10", "PM2_5", "CO", "O3_8h")


def synthetic_daily(n: int, seed: int = 20260301) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    pm25 = np.rint(rng.lognormal(np.log(35), 0.7, n))
    return {
        "SO2": np.rint(rng.lognormal(np.log(12), 0.9, n)),  # a tail above 150 exposes the SO2 table defect
        "NO2": np.rint(rng.lognormal(np.log(30), 0.5, n)),
        "PM10": np.rint(pm25 * rng.uniform(1.2, 2.0, n)),
        "PM2_5": pm25,
        "CO": np.round(rng.lognormal(np.log(0.9), 0.5, n), 1),
        "O3_8h": np.rint(rng.lognormal(np.log(95), 0.45, n)),
    }


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    best, res = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t0)
    return best, res


def run_aqi_hub(data: dict[str, np.ndarray], idx: np.ndarray, repeat: int = 1):
    """Time aqi-hub over the rows ``idx`` (best of ``repeat`` passes; list conversion not timed)."""
    from aqi_hub.aqi_cn.aqi import cal_aqi_cn

    cols = [data[p][idx].tolist() for p in ("PM2_5", "PM10", "SO2", "NO2", "CO", "O3_8h")]

    def one_pass():
        out = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for pm25, pm10, so2, no2, co, o3 in zip(*cols, strict=True):
                out.append(cal_aqi_cn(pm25, pm10, so2, no2, co, o3, data_type="daily"))
        return out

    return best_of(one_pass, repeat=repeat)


PYAQI_KEYS = {"SO2": "so2_24h", "NO2": "no2_24h", "PM10": "pm10", "PM2_5": "pm25", "CO": "co_24h", "O3_8h": "o3_8h"}


def run_python_aqi(data: dict[str, np.ndarray], idx: np.ndarray):
    from aqi.algos import get_algo
    from aqi.constants import ALGO_MEP

    algo = get_algo(ALGO_MEP)
    cols = [[repr(v) for v in data[p][idx].tolist()] for p in POLS]
    keys = [PYAQI_KEYS[p] for p in POLS]
    out = []
    t0 = time.perf_counter()
    for row in zip(*cols, strict=True):
        try:
            out.append(int(algo.aqi(list(zip(keys, row, strict=True)))))
        except (IndexError, TypeError):
            out.append(None)
    return time.perf_counter() - t0, out, algo


def classify_aqi_hub(data, idx, ours, hub) -> Counter:
    """Explain each AQI disagreement by the per-pollutant IAQI that differs."""
    name = {"PM2.5": "PM2_5", "PM10": "PM10", "SO2": "SO2", "NO2": "NO2", "CO": "CO", "O3": "O3_8h"}
    classes: Counter = Counter()
    for j, (aqi_h, iaqis_h) in enumerate(hub):
        our_aqi = ours.aqi[idx[j]]
        if aqi_h == our_aqi:
            continue
        diffs = {
            name[k]: (v, ours.iaqi[name[k]][idx[j]]) for k, v in iaqis_h.items() if v != ours.iaqi[name[k]][idx[j]]
        }
        if "SO2" in diffs:
            classes["SO2 24-h breakpoints (aqi-hub uses the 1-h column)"] += 1
        elif all(h - o == 1 for h, o in diffs.values()):
            classes["float error before ceil (exact result n → n+1)"] += 1
        else:
            classes["other"] += 1
    return classes


def classify_python_aqi(data, idx, ours, pyaqi_out, algo) -> Counter:
    """Explain each python-aqi disagreement: error, CO truncation, rounding mode, or segment layout."""
    from decimal import ROUND_DOWN, Decimal

    classes: Counter = Counter()
    for j, a in enumerate(pyaqi_out):
        i = idx[j]
        our_aqi = ours.aqi[i]
        if a is None:
            classes["python-aqi error (above its table / O3 8-h > 800)"] += 1
            continue
        if a == our_aqi:
            continue
        co = data["CO"][i]
        co_theirs = int(algo.iaqi("co_24h", repr(float(co))))
        co_ours = ours.iaqi["CO"][i]
        if co != int(co) and co_theirs != co_ours and max(co_theirs, co_ours) >= min(a, our_aqi):
            classes["CO truncated to an integer mg/m³ (ROUND_DOWN)"] += 1
            continue
        # python-aqi's own segments, but rounded up as HJ 633 requires: does that reproduce HJ 633?
        ceil_aqi = 0
        for p in POLS:
            c = Decimal(repr(float(data[p][i]))).quantize(Decimal("1."), rounding=ROUND_DOWN)
            segs = algo.piecewise["bp"][PYAQI_KEYS[p]]
            k = next(k for k, (lo, hi) in enumerate(segs) if lo <= c <= hi)
            lo, hi = segs[k]
            ilo, ihi = algo.piecewise["aqi"][k]
            raw = (Decimal(ihi) - ilo) / (hi - lo) * (c - lo) + ilo
            ceil_aqi = max(ceil_aqi, int(-(-raw // 1)))
        if ceil_aqi == our_aqi:
            classes["index rounded half-even instead of up (HJ 633 6.2)"] += 1
        else:
            classes["EPA-style discontinuous segments (IAQI 51–100 ↔ BP+1…) instead of 式 1"] += 1
    return classes


def table(rows: list[list[str]], header: list[str]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def bench_aqi(n: int, lib_rows: int, pyaqi_rows: int) -> str:
    data = synthetic_daily(n)
    rng = np.random.default_rng(7)
    t26, r26 = best_of(lambda: daily_aqi(*(data[p] for p in POLS), standard="HJ633-2026"))
    t12, r12 = best_of(lambda: daily_aqi(*(data[p] for p in POLS), standard="HJ633-2012"))
    t_iaqi, _ = best_of(lambda: iaqi("PM25_24H", data["PM2_5"], standard="HJ633-2026"))
    idx_hub = np.sort(rng.choice(n, size=min(lib_rows, n), replace=False))
    idx_py = np.sort(rng.choice(n, size=min(pyaqi_rows, n), replace=False))
    t_hub, hub = run_aqi_hub(data, idx_hub, repeat=3)
    idx_half = idx_hub[: idx_hub.size // 2]  # nested half-size subsample: linearity check
    t_half, _ = run_aqi_hub(data, idx_half, repeat=3)
    us_full, us_half = t_hub / idx_hub.size * 1e6, t_half / max(idx_half.size, 1) * 1e6
    t_py, pyout, algo = run_python_aqi(data, idx_py)
    hub_full = t_hub * n / idx_hub.size
    py_full = t_py * n / idx_py.size
    hub_aqi = np.array([np.nan if a is None else a for a, _ in hub], dtype=float)
    py_aqi = np.array([np.nan if a is None else a for a in pyout], dtype=float)
    agree_hub = np.mean(hub_aqi == r26.aqi[idx_hub])
    agree_py = np.mean(py_aqi == r12.aqi[idx_py])
    lvl = lambda a: np.searchsorted([50, 100, 150, 200, 300], a, side="left")  # noqa: E731
    lvl_hub = np.mean(lvl(hub_aqi) == lvl(r26.aqi[idx_hub]))
    lvl_py = np.mean(lvl(py_aqi) == lvl(r12.aqi[idx_py]))
    c_hub = classify_aqi_hub(data, idx_hub, r26, hub)
    c_py = classify_python_aqi(data, idx_py, r12, pyout, algo)
    lines = [
        f"### Daily AQI: {n:,} station-days × 6 pollutants",
        "",
        "Synthetic daily concentrations (lognormal, fixed seed), integer µg/m³ and CO to 0.1 mg/m³.",
        f"qualityplan timed on all {n:,} rows (best of 3).  aqi-hub was timed on a random subsample of "
        f"{idx_hub.size:,} rows (best of 3) and python-aqi on {idx_py.size:,} rows (one pass); both are per-row "
        "Python calls and their full-size times are **extrapolated linearly** from the subsample.  Inputs are "
        "the same arrays (the subsample rows of the same synthetic data set); converting them to Python lists "
        "for the libraries is not timed.",
        "",
        f"Linearity check (aqi-hub, best of 3 each): {idx_half.size:,} rows {t_half:.3f} s = {us_half:.2f} µs/row; "
        f"{idx_hub.size:,} rows {t_hub:.3f} s = {us_full:.2f} µs/row (ratio of per-row costs "
        f"{us_full / us_half:.2f}; 1.00 = perfectly linear).",
        "",
        table(
            [
                ['qualityplan `daily_aqi(standard="HJ633-2026")`', f"{n:,}", f"{t26:.3f}", f"{t26:.3f}", "1.0×"],
                ['qualityplan `daily_aqi(standard="HJ633-2012")`', f"{n:,}", f"{t12:.3f}", f"{t12:.3f}", "—"],
                [
                    'aqi-hub 0.3.3 `cal_aqi_cn(..., data_type="daily")`',
                    f"{idx_hub.size:,}",
                    f"{t_hub:.3f}",
                    f"{hub_full:.1f} (extrapolated)",
                    f"**{hub_full / t26:.0f}× slower**",
                ],
                [
                    "python-aqi 0.6.1 `ALGO_MEP` `.aqi()`",
                    f"{idx_py.size:,}",
                    f"{t_py:.3f}",
                    f"{py_full:.1f} (extrapolated)",
                    f"**{py_full / t12:.0f}× slower** (vs 2012 run)",
                ],
            ],
            ["implementation", "rows timed", "time [s]", f"time for {n:,} rows [s]", "ratio to qualityplan"],
        ),
        "",
        f'(single-item `iaqi("PM25_24H", …)` on {n:,} values: {t_iaqi * 1000:.1f} ms.)',
        "",
        "### Agreement",
        "",
        table(
            [
                [
                    "aqi-hub 0.3.3 vs HJ633-2026",
                    f"{idx_hub.size:,}",
                    f"{agree_hub * 100:.2f} %",
                    f"{lvl_hub * 100:.2f} %",
                ],
                [
                    "python-aqi 0.6.1 vs HJ633-2012",
                    f"{idx_py.size:,}",
                    f"{agree_py * 100:.2f} %",
                    f"{lvl_py * 100:.2f} %",
                ],
            ],
            ["comparison", "rows", "same AQI", "same level"],
        ),
        "",
        "Disagreements by class (each row counted once, by its first explanation):",
        "",
        table(
            [["aqi-hub", k, f"{v:,}"] for k, v in c_hub.most_common()]
            + [["python-aqi", k, f"{v:,}"] for k, v in c_py.most_common()],
            ["library", "class", "rows"],
        ),
        "",
        "Explanations by the standard's text:",
        "",
        "* **SO2 24-h breakpoints** — HJ 633-2012 表 1 / HJ 633-2026 表 3 give SO2 24-h breakpoints "
        "0/50/150/475/800/1600/2100/2620 µg/m³; aqi-hub uses 0/150/500/650/800 (the 1-hour column) for the "
        "24-h item, so every day with SO2 > 50 µg/m³ gets a lower SO2 IAQI, and the AQI differs whenever SO2 "
        "drives it.",
        '* **float error before ceil** — 式 1 followed by "全部向上进位取整数" (HJ 633-2026 4.2.6): aqi-hub divides '
        "before multiplying in binary floats, so exact-integer results (e.g. CO 2.2 mg/m³ → 55) become 55.000…01 "
        "and are rounded up to 56.  qualityplan computes the ceiling exactly on scaled integers.",
        "* **python-aqi discontinuous segments** — python-aqi's MEP table pairs IAQI 51–100 with "
        "concentrations BP+1…, like the US EPA table, instead of the continuous segments of HJ 633 式 1 "
        "(IAQI_Lo at BP_Lo), so results differ inside ordinary segments, not only at edges.",
        "* **python-aqi rounding** — python-aqi rounds the index half-even; HJ 633-2012 6.2 requires rounding "
        "up (进位取整数).",
        "* **python-aqi CO truncation** — python-aqi truncates every concentration to an integer "
        "(ROUND_DOWN), also CO in mg/m³ (1.9 → 1); HJ 633-2026 4.2.2 rounds CO to 0.1 mg/m³ (GB/T 8170).",
        "* **python-aqi errors** — IndexError above the top breakpoint and TypeError for O3 8-h > 800; HJ 633 "
        "caps at 500 (2026 4.1.1) / uses the O3 1-h IAQI (2012 表 1 注 3).",
        "",
    ]
    return "\n".join(lines)


def bench_hourly(stations: int = 100, days: int = 365) -> str:
    rng = np.random.default_rng(11)
    n = stations * days * 24
    st = np.repeat(np.array([f"{i + 1001}A" for i in range(stations)]), days * 24)
    offsets = np.tile(np.repeat(np.arange(days), 24), stations).astype("timedelta64[D]")
    date = np.datetime64("2025-01-01", "D") + offsets
    hour = np.tile(np.arange(24), stations * days)
    city = np.repeat(np.array([f"city{i // 10}" for i in range(stations)]), days * 24)
    vals = {p: np.rint(rng.lognormal(np.log(m), 0.6, n)) for p, m in
            (("SO2", 10), ("NO2", 30), ("PM10", 60), ("PM2_5", 35), ("O3", 90))}  # fmt: skip
    vals["CO"] = np.round(rng.lognormal(np.log(0.8), 0.5, n), 1)
    for p in vals:  # 3 % invalid hours
        vals[p][rng.random(n) < 0.03] = np.nan
    t_qp, res = best_of(lambda: daily_from_hourly(st, date, hour, vals, standard="HJ633-2026", city=city), repeat=3)

    def baseline():
        return [np.nanmean(vals[p].reshape(stations * days, 24), axis=1) for p in vals]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_base, _ = best_of(baseline, repeat=3)
    return "\n".join(
        [
            f"### Hourly → daily: {stations} stations × {days} days × 24 h = {n:,} rows",
            "",
            '`daily_from_hourly(..., standard="HJ633-2026", city=...)`: validity rules (≥ 20 h, O3 8-h windows ≥ 6 h, '
            "MDA8 ≥ 14 windows), station-days and city-days (10 cities), AQI, categories, primary pollutants.  "
            "3 % of hours are invalid.  Baseline, same run: `np.nanmean` over the six hourly arrays reshaped to "
            "(station-day, 24) — the arithmetic floor without grouping, validity or AQI.",
            "",
            table(
                [
                    [
                        "qualityplan `daily_from_hourly`",
                        f"{t_qp:.3f}",
                        f"{t_qp / t_base:.1f}×",
                        f"{len(res['date']):,} rows ({stations * days:,} station-days + {len(res['date']) - stations * days:,} city-days)",
                    ],
                    ["baseline `np.nanmean` reshape", f"{t_base:.3f}", "1.0×", f"{stations * days:,} × 6 means"],
                ],
                ["implementation", "time [s] (best of 3)", "ratio to baseline", "output"],
            ),
            "",
            f"Goal < 2 s: {'met' if t_qp < 2 else 'NOT met'}.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="var/bench/standards.md")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--lib-rows", type=int, default=100_000, help="aqi-hub subsample size")
    ap.add_argument("--pyaqi-rows", type=int, default=50_000, help="python-aqi subsample size")
    a = ap.parse_args(argv)
    head = [
        "## Standards engine benchmark",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}; "
        f"run {time.strftime('%Y-%m-%d %H:%M')}, load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} CPUs.  All ratios are against figures measured in the same run.",
        "",
    ]
    text = "\n".join(head) + bench_aqi(a.rows, a.lib_rows, a.pyaqi_rows) + "\n" + bench_hourly()
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
