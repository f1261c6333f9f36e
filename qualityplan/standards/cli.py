"""``qualityplan standards …`` — CSV/XLSX in, CSV out (stdout or ``-o FILE``).

Sub-commands (see docs/standards.md for the columns):

* ``iaqi IN --standard S`` — ``item,concentration[,fallback_concentration]`` → ``iaqi``
* ``aqi IN --standard S`` — ``SO2,NO2,PM10,PM2_5,CO,O3_8h[,O3_1h_max]`` → ``iaqi_<p>…, aqi, level,
  category, primary_pollutants``
* ``air-daily IN --standard S`` — hourly ``city,station,date,hour,SO2,NO2,PM10,PM2_5,CO,O3`` →
  ``scope,entity,date,SO2,NO2,PM10,PM2_5,CO,O3_8h,O3_1h_max,aqi,level,category,primary_pollutants,valid``
* ``good-days IN --period year|month`` — IN = output of ``air-daily`` →
  ``scope,entity,period,valid_days,good_days,ratio_percent``
* ``water IN [--method national2011|all_items]`` → ``class,class_label,exceed_iii``
* ``sea IN`` → ``class,class_label``
* ``noise IN`` — ``zone,period,leq_dBA`` → ``limit,compliant,exceed_db``
* ``uscc CODE… | --file IN`` → ``code,valid,reason``

Input columns not used by a command pass through (row-wise commands).  Blank cells are missing
values.  Row-wise commands (``iaqi``, ``aqi``, ``water``, ``sea``, ``noise``, ``uscc``) write exactly one
output row per input data row, in input order: a row whose cells are all blank is answered with empty
values, and ``uscc`` reports an empty or blank code as invalid with reason ``empty``; a row that has data
but a blank key cell (item, water_body, zone, period) is a bad row (``item: empty``).  The aggregating
commands (``air-daily``, ``good-days``) write one row per group; an all-blank input row there is a bad row
(``empty row``).  A bad row (unparseable number, unknown item/zone, negative concentration, bad date/hour,
duplicate hour) is reported on stderr as ``row N: reason`` (N = line in the file, header = 1); the
command then exits with status 1 and writes nothing, unless ``--skip-bad`` is given, in which case
the bad rows are skipped (listed on stderr, followed by ``N bad row(s) skipped``) and the rest is processed.  Missing values in the
output are empty cells; booleans are ``1``/``0``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .air.daily import HOURLY_POLLUTANTS, daily_from_hourly, good_day_ratio, period_key
from .air.hj633 import DAILY_POLLUTANTS, ITEMS, daily_aqi, iaqi
from .codes.gb32100 import validate_uscc
from .editions import AIR_EDITIONS
from .errors import StandardsError
from .noise.gb3096 import PERIODS, ZONES, compliance
from .rounding import round_half_even
from .sea import gb3097
from .water import gb3838


class InputError(Exception):
    """A problem with the whole input (missing column, unreadable file) → exit status 2."""


Rows = list[dict[str, str]]


# ----------------------------------------------------------------------------------------- I/O
def read_table(path: str) -> tuple[list[str], Rows, list[int]]:
    """Read CSV (UTF-8, BOM ok) or XLSX (first sheet) → (header, rows, line numbers).

    Every data row is returned, blank ones included (cells stripped), so that row-wise commands can
    answer each input row in order.  Only trailing all-empty XLSX rows (sheet padding) are dropped.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        it = wb.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(it, ())]
        rows, lines = [], []
        for n, values in enumerate(it, start=2):
            rows.append({h: _cell(v) for h, v in zip(header, values or (), strict=False) if h})
            lines.append(n)
        wb.close()
        while rows and not any(rows[-1].values()):  # sheet padding below the data
            rows.pop()
            lines.pop()
        return [h for h in header if h], rows, lines
    with p.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        rows, lines, empty_lines = [], [], []
        for values in reader:  # an empty line is a blank row (csv.DictReader would drop it) …
            rows.append({h: v.strip() for h, v in zip(header, values, strict=False) if h})
            lines.append(reader.line_num)
            empty_lines.append(not values)
        while rows and empty_lines[-1]:  # … except empty lines at the end of the file
            rows.pop()
            lines.pop()
            empty_lines.pop()
        return [h for h in header if h], rows, lines


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def fmt(v: Any, decimals: int | None = None) -> str:
    """Format a value for CSV: NaN → '', bools → 1/0, integral floats without '.0'."""
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return ""
        if decimals is not None:
            return f"{round_half_even(float(v), decimals):.{decimals}f}"
        return str(int(v)) if float(v).is_integer() else repr(float(v))
    if isinstance(v, (np.integer, int)):
        return str(int(v))
    return "" if v is None else str(v)


def write_csv(out: str | None, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    if out:
        Path(out).write_text(buf.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buf.getvalue())


# ----------------------------------------------------------------------------------- parsing
class Bad:
    """Collects bad rows: index → reason (first reason wins)."""

    def __init__(self, lines: list[int]):
        self.lines = lines
        self.reasons: dict[int, str] = {}

    def add(self, i: int, reason: str) -> None:
        self.reasons.setdefault(i, reason)

    def mask(self, n: int) -> np.ndarray:
        m = np.zeros(n, dtype=bool)
        if self.reasons:
            m[list(self.reasons)] = True
        return m

    def report(self, skipped: bool) -> None:
        verb = "skipped" if skipped else "bad"
        for i in sorted(self.reasons):
            print(f"row {self.lines[i]}: {self.reasons[i]} ({verb})", file=sys.stderr)
        if skipped and self.reasons:
            print(f"{len(self.reasons)} bad row(s) skipped", file=sys.stderr)


def require(header: list[str], columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)}")


def numbers(rows: Rows, col: str, bad: Bad, *, nonnegative: bool = True) -> np.ndarray:
    """Column → float array (blank → NaN); unparseable / negative values are bad rows."""
    out = np.full(len(rows), np.nan)
    for i, r in enumerate(rows):
        s = r.get(col, "")
        if s == "" or s.upper() == "NA":
            continue
        try:
            v = float(s)
        except ValueError:
            bad.add(i, f"{col}: not a number {s!r}")
            continue
        if not math.isfinite(v):
            bad.add(i, f"{col}: not a finite number {s!r}")
        elif nonnegative and v < 0:
            bad.add(i, f"{col}: negative value {s}")
        else:
            out[i] = v
    return out


def blank_rows(rows: Rows) -> np.ndarray:
    """Rows whose cells are all blank: answered with empty values by the row-wise commands."""
    return np.array([not any(r.values()) for r in rows], dtype=bool)


def choice(rows: Rows, col: str, allowed: Sequence[str], bad: Bad, what: str) -> np.ndarray:
    """A key column; blank in a row that has data → bad row ``<col>: empty`` (all-blank rows pass)."""
    vals = np.array([r.get(col, "") for r in rows], dtype=object)
    for i, v in enumerate(vals):
        if v == "":
            if any(rows[i].values()):
                bad.add(i, f"{col}: empty")
        elif v not in allowed:
            bad.add(i, f"unknown {what} {v!r}")
    return vals


def reject_blank_rows(rows: Rows, bad: Bad) -> None:
    """Aggregating commands cannot place an all-blank row in any group: it is a bad row."""
    for i in np.flatnonzero(blank_rows(rows)).tolist():
        bad.add(i, "empty row")


def finish(bad: Bad, skip_bad: bool) -> int | None:
    """Report bad rows; return an exit status when processing must stop."""
    if bad.reasons and not skip_bad:
        bad.report(skipped=False)
        print(f"{len(bad.reasons)} bad row(s); nothing written (use --skip-bad to skip them)", file=sys.stderr)
        return 1
    bad.report(skipped=True)
    return None


def passthrough(header: list[str], rows: Rows, keep: np.ndarray, new_cols: list[str], new: dict[str, list[str]]):
    """Output rows for the kept input rows, in input order.

    ``new`` holds one list per new column with a value for every *computed* row (kept and not
    blank), in order; blank rows get empty cells.
    """
    extra = [h for h in header if h not in new_cols]
    out_rows = []
    blank = blank_rows(rows)
    j = 0
    for i in np.flatnonzero(keep).tolist():
        if blank[i]:
            values = [""] * len(new_cols)
        else:
            values = [new[c][j] for c in new_cols]
            j += 1
        out_rows.append([rows[i].get(h, "") for h in extra] + values)
    return extra + new_cols, out_rows


def computed(rows: Rows, bad: Bad) -> np.ndarray:
    """Rows to compute: not bad and not all blank."""
    return ~bad.mask(len(rows)) & ~blank_rows(rows)


# ---------------------------------------------------------------------------------- commands
def cmd_iaqi(a: argparse.Namespace) -> int:
    header, rows, lines = read_table(a.input)
    require(header, ["item", "concentration"])
    bad = Bad(lines)
    items = choice(rows, "item", ITEMS, bad, "item")
    conc = numbers(rows, "concentration", bad)
    fb = numbers(rows, "fallback_concentration", bad) if "fallback_concentration" in header else None
    if (status := finish(bad, a.skip_bad)) is not None:
        return status
    keep, calc = ~bad.mask(len(rows)), computed(rows, bad)
    result = np.full(len(rows), np.nan)
    for item in np.unique(items[calc]).tolist():
        sel = calc & (items == item)
        result[sel] = iaqi(item, conc[sel], standard=a.standard, fallback=None if fb is None else fb[sel])
    cols, out = passthrough(header, rows, keep, ["iaqi"], {"iaqi": [fmt(v) for v in result[calc]]})
    write_csv(a.output, cols, out)
    return 0


def cmd_aqi(a: argparse.Namespace) -> int:
    header, rows, lines = read_table(a.input)
    require(header, list(DAILY_POLLUTANTS))
    bad = Bad(lines)
    cols = {p: numbers(rows, p, bad) for p in DAILY_POLLUTANTS}
    o3_1h = numbers(rows, "O3_1h_max", bad) if "O3_1h_max" in header else None
    if (status := finish(bad, a.skip_bad)) is not None:
        return status
    keep, calc = ~bad.mask(len(rows)), computed(rows, bad)
    r = daily_aqi(
        *(cols[p][calc] for p in DAILY_POLLUTANTS), None if o3_1h is None else o3_1h[calc], standard=a.standard
    )
    new: dict[str, list[str]] = {f"iaqi_{p}": [fmt(v) for v in r.iaqi[p]] for p in r.pollutants}
    new["aqi"] = [fmt(v) for v in r.aqi]
    new["level"] = [fmt(v) if v else "" for v in r.level.tolist()]
    new["category"] = list(r.category)
    new["primary_pollutants"] = list(r.primary_pollutants)
    out_cols, out = passthrough(header, rows, keep, list(new), new)
    write_csv(a.output, out_cols, out)
    return 0


def cmd_air_daily(a: argparse.Namespace) -> int:
    header, rows, lines = read_table(a.input)
    require(header, ["city", "station", "date", "hour", *HOURLY_POLLUTANTS])
    bad = Bad(lines)
    n = len(rows)
    dates = np.empty(n, dtype="datetime64[D]")
    hours = np.zeros(n, dtype=np.int64)
    seen: dict[tuple[str, str, int], int] = {}
    reject_blank_rows(rows, bad)
    for i, r in enumerate(rows):
        if i in bad.reasons:
            dates[i] = np.datetime64("1970-01-01")
            continue
        try:
            d = dt.date.fromisoformat(r.get("date", "")[:10])
            dates[i] = np.datetime64(d, "D")
        except ValueError:
            bad.add(i, f"date: not YYYY-MM-DD {r.get('date', '')!r}")
            dates[i] = np.datetime64("1970-01-01")
            continue
        try:
            h = int(float(r.get("hour", "")))
            if not 0 <= h <= 23 or float(r["hour"]) != h:
                raise ValueError
            hours[i] = h
        except ValueError:
            bad.add(i, f"hour: not an integer 0..23 {r.get('hour', '')!r}")
            continue
        if not r.get("station"):
            bad.add(i, "station: empty")
            continue
        key = (r["station"], d.isoformat(), h)
        if key in seen:
            bad.add(i, f"duplicate station/date/hour of row {lines[seen[key]]}")
        else:
            seen[key] = i
    values = {p: numbers(rows, p, bad) for p in HOURLY_POLLUTANTS}
    if (status := finish(bad, a.skip_bad)) is not None:
        return status
    keep = ~bad.mask(n)
    station = np.array([r.get("station", "") for r in rows], dtype=object)[keep].astype(str)
    city = np.array([r.get("city", "") for r in rows], dtype=object)[keep].astype(str)
    res = daily_from_hourly(
        station,
        dates[keep],
        hours[keep],
        {p: v[keep] for p, v in values.items()},
        standard=a.standard,
        city=city,
        round_output=True,
    )
    out_cols = ["scope", "entity", "date", "SO2", "NO2", "PM10", "PM2_5", "CO", "O3_8h", "O3_1h_max"]
    out_cols += ["aqi", "level", "category", "primary_pollutants", "valid"]
    m = len(res["date"])
    columns = []
    for c in out_cols:
        v = res[c]
        if c == "date":
            columns.append(v.astype(str).tolist())
        elif c == "CO":
            columns.append([fmt(x, 1) for x in v.tolist()])
        elif c == "level":
            columns.append([fmt(x) if x else "" for x in v.tolist()])
        else:
            columns.append([fmt(x) for x in (v.tolist() if hasattr(v, "tolist") else v)])
    write_csv(a.output, out_cols, [[col[j] for col in columns] for j in range(m)])
    return 0


def _truthy(s: str) -> bool | None:
    s = s.strip().lower()
    if s in ("1", "true", "yes", "y", "t"):
        return True
    if s in ("0", "false", "no", "n", "f", ""):
        return False
    return None


def cmd_good_days(a: argparse.Namespace) -> int:
    header, rows, lines = read_table(a.input)
    require(header, ["scope", "entity", "date", "aqi"])
    bad = Bad(lines)
    n = len(rows)
    aqi = numbers(rows, "aqi", bad)
    dates = np.empty(n, dtype="datetime64[D]")
    valid = ~np.isnan(aqi)
    reject_blank_rows(rows, bad)
    for i, r in enumerate(rows):
        dates[i] = np.datetime64("1970-01-01")
        if i in bad.reasons:
            continue
        try:
            dates[i] = np.datetime64(dt.date.fromisoformat(r.get("date", "")[:10]), "D")
        except ValueError:
            bad.add(i, f"date: not YYYY-MM-DD {r.get('date', '')!r}")
            dates[i] = np.datetime64("1970-01-01")
        if "valid" in header:
            t = _truthy(r.get("valid", ""))
            if t is None:
                bad.add(i, f"valid: not a boolean {r.get('valid')!r}")
            else:
                valid[i] = t
    if (status := finish(bad, a.skip_bad)) is not None:
        return status
    keep = ~bad.mask(n)
    scope = np.array([r.get("scope", "") for r in rows], dtype=object)[keep].astype(str)
    entity = np.array([r.get("entity", "") for r in rows], dtype=object)[keep].astype(str)
    period = period_key(dates[keep], a.period)
    g = good_day_ratio(aqi[keep], valid=valid[keep], groups=(scope, entity, period))
    out = [
        [s, e, p, fmt(v), fmt(gd), fmt(r, a.decimals)]
        for s, e, p, v, gd, r in zip(*g.groups, g.valid_days, g.good_days, g.ratio_percent, strict=True)
    ]
    write_csv(a.output, ["scope", "entity", "period", "valid_days", "good_days", "ratio_percent"], out)
    return 0


def cmd_water(a: argparse.Namespace) -> int:
    header, rows, lines = read_table(a.input)
    require(header, ["water_body"])
    bad = Bad(lines)
    wb = choice(rows, "water_body", gb3838.WATER_BODIES, bad, "water_body")
    present = [i for i in gb3838.ITEMS if i in header]
    if not present:
        raise InputError(f"no item column; expected some of {', '.join(gb3838.ITEMS)}")
    vals = {i: numbers(rows, i, bad) for i in present}
    if (status := finish(bad, a.skip_bad)) is not None:
        return status
    keep, calc = ~bad.mask(len(rows)), computed(rows, bad)
    r = gb3838.water_class({k: v[calc] for k, v in vals.items()}, water_body=wb[calc].astype(str), method=a.method)
    new = {
        "class": [fmt(c) if c else "" for c in r.cls.tolist()],
        "class_label": list(r.label),
        "exceed_iii": list(r.exceed_iii()),
    }
    cols, out = passthrough(header, rows, keep, list(new), new)
    write_csv(a.output, cols, out)
    return 0


def cmd_sea(a: argparse.Namespace) -> int:
    header, rows, lines = read_table(a.input)
    require(header, list(gb3097.CORE_ITEMS))
    bad = Bad(lines)
    present = [i for i in gb3097.ITEMS if i in header]
    vals = {i: numbers(rows, i, bad) for i in present}
    if (status := finish(bad, a.skip_bad)) is not None:
        return status
    keep, calc = ~bad.mask(len(rows)), computed(rows, bad)
    items = "extended" if {"BOD5", "NH3_nonionic"} & set(present) else "core"
    r = gb3097.sea_class({k: v[calc] for k, v in vals.items()}, items=items)
    new = {"class": [fmt(c) if c else "" for c in r.cls.tolist()], "class_label": list(r.label)}
    cols, out = passthrough(header, rows, keep, list(new), new)
    write_csv(a.output, cols, out)
    return 0


def cmd_noise(a: argparse.Namespace) -> int:
    header, rows, lines = read_table(a.input)
    require(header, ["zone", "period", "leq_dBA"])
    bad = Bad(lines)
    zone = choice(rows, "zone", ZONES, bad, "zone")
    period = choice(rows, "period", PERIODS, bad, "period")
    leq = numbers(rows, "leq_dBA", bad, nonnegative=False)
    if (status := finish(bad, a.skip_bad)) is not None:
        return status
    keep, calc = ~bad.mask(len(rows)), computed(rows, bad)
    c = compliance(leq[calc], zone[calc].astype(str), period[calc].astype(str))
    new = {
        "limit": [fmt(v) for v in c.limit.tolist()],
        "compliant": [fmt(bool(ok)) if m else "" for ok, m in zip(c.compliant, c.measured, strict=True)],
        "exceed_db": [fmt(v, 1) for v in c.exceed_db.tolist()],
    }
    cols, out = passthrough(header, rows, keep, list(new), new)
    write_csv(a.output, cols, out)
    return 0


def cmd_uscc(a: argparse.Namespace) -> int:
    if a.file:
        header, rows, _ = read_table(a.file)
        require(header, ["code"])
        codes = [r.get("code", "") for r in rows]  # cells are stripped; a blank cell is "" → "empty"
    else:
        codes = [c.strip() for c in a.codes]
    if not codes:
        raise InputError("give CODE arguments or --file IN")
    valid, reason = validate_uscc(codes, lowercase=a.lowercase, check_org_code=a.check_org_code)
    write_csv(
        a.output,
        ["code", "valid", "reason"],
        [[c, fmt(bool(v)), r] for c, v, r in zip(codes, valid, reason, strict=True)],
    )
    return 0


# ------------------------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qualityplan standards", description="National-standard calculations.")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str, *, standard: bool = False):
        sp = sub.add_parser(name, help=help_)
        if name != "uscc":
            sp.add_argument("input", metavar="IN", help="CSV or XLSX file")
            sp.add_argument("--skip-bad", action="store_true", help="skip bad rows instead of failing")
        sp.add_argument("-o", "--output", metavar="FILE", help="write CSV here instead of stdout")
        if standard:
            sp.add_argument("--standard", required=True, choices=AIR_EDITIONS, help="HJ 633 rule set")
        sp.set_defaults(func=func)
        return sp

    add("iaqi", cmd_iaqi, "IAQI per row", standard=True)
    add("aqi", cmd_aqi, "daily AQI per row", standard=True)
    add("air-daily", cmd_air_daily, "station-day and city-day values from hourly data", standard=True)
    gd = add("good-days", cmd_good_days, "good-day ratio from air-daily output")
    gd.add_argument("--period", required=True, choices=("year", "month"))
    gd.add_argument("--decimals", type=int, default=1, help="decimals of ratio_percent (GB/T 8170), default 1")
    w = add("water", cmd_water, "GB 3838 class per sample")
    w.add_argument("--method", default="national2011", choices=gb3838.METHODS)
    add("sea", cmd_sea, "GB 3097 class per sample")
    add("noise", cmd_noise, "GB 3096 compliance per point")
    u = add("uscc", cmd_uscc, "validate unified social credit codes")
    u.add_argument("codes", nargs="*", metavar="CODE")
    u.add_argument("--file", metavar="IN", help="CSV/XLSX with a 'code' column")
    u.add_argument("--lowercase", default="reject", choices=("reject", "upper"))
    u.add_argument("--check-org-code", action="store_true", help="also check positions 9-17 (GB 11714)")
    return p


def main(argv: list[str]) -> int:
    """Entry point for ``qualityplan standards …``; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits on --help / usage errors
        return int(e.code or 0)
    try:
        return int(args.func(args))
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except StandardsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
