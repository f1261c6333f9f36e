"""HJ 633 data tables: breakpoints (2012 表 1, 2026 表 3), levels, categories and colours (表 2 / 表 4), typed from the
standard's text.  Pure data; the computations are in :mod:`.hj633`, which re-exports every name here."""

from __future__ import annotations

from ..editions import HJ633_2012, HJ633_2026

#: IAQI values at the breakpoints (表 1 / 表 3 first column).
IAQI_LEVELS = (0, 50, 100, 150, 200, 300, 400, 500)

#: HJ 633-2012 表 1 breakpoints (µg/m³; CO mg/m³).  SO2_1H stops at IAQI 200, O3_8H at IAQI 300.
BREAKPOINTS_2012: dict[str, tuple[float, ...]] = {
    "SO2_24H": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "SO2_1H": (0, 150, 500, 650, 800),
    "NO2_24H": (0, 40, 80, 180, 280, 565, 750, 940),
    "NO2_1H": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "PM10_24H": (0, 50, 150, 250, 350, 420, 500, 600),
    "CO_24H": (0, 2, 4, 14, 24, 36, 48, 60),
    "CO_1H": (0, 5, 10, 35, 60, 90, 120, 150),
    "O3_1H": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "O3_8H": (0, 100, 160, 215, 265, 800),
    "PM25_24H": (0, 35, 75, 115, 150, 250, 350, 500),
}
BREAKPOINTS_2012["PM10_1H"] = BREAKPOINTS_2012["PM10_24H"]
BREAKPOINTS_2012["PM25_1H"] = BREAKPOINTS_2012["PM25_24H"]

#: HJ 633-2026 表 3: identical except PM10 IAQI-100 = 120 and PM2.5 IAQI-100 = 60.
BREAKPOINTS_2026: dict[str, tuple[float, ...]] = dict(BREAKPOINTS_2012)
BREAKPOINTS_2026["PM10_24H"] = BREAKPOINTS_2026["PM10_1H"] = (0, 50, 120, 250, 350, 420, 500, 600)
BREAKPOINTS_2026["PM25_24H"] = BREAKPOINTS_2026["PM25_1H"] = (0, 35, 60, 115, 150, 250, 350, 500)

BREAKPOINTS = {HJ633_2012: BREAKPOINTS_2012, HJ633_2026: BREAKPOINTS_2026}
ITEMS = tuple(sorted(BREAKPOINTS_2012))

#: Rounding quantum of the concentration (GB/T 8170): integer µg/m³, CO 0.1 mg/m³ (HJ 633-2026 4.2.2).
CONCENTRATION_DECIMALS = {item: (1 if item.startswith("CO") else 0) for item in ITEMS}

#: Special "> 800" rules: item -> (threshold, 2012 fallback item, 2026 fixed IAQI).
SPECIAL_ABOVE = {"SO2_1H": (800, "SO2_24H", 200), "O3_8H": (800, "O3_1H", 300)}

LEVEL_UPPER = (50, 100, 150, 200, 300)
CATEGORIES = ("", "优", "良", "轻度污染", "中度污染", "重度污染", "严重污染")
LEVEL_NAMES = ("", "一级", "二级", "三级", "四级", "五级", "六级")
COLOURS = ("", "绿色", "黄色", "橙色", "红色", "紫色", "褐红色")
COLOURS_RGB_HEX = ("", "#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023")

#: Daily-report pollutant keys, in the order used for IAQI columns and primary-pollutant lists.
DAILY_POLLUTANTS = ("SO2", "NO2", "PM10", "PM2_5", "CO", "O3_8h")
DAILY_ITEM = {"SO2": "SO2_24H", "NO2": "NO2_24H", "PM10": "PM10_24H", "PM2_5": "PM25_24H", "CO": "CO_24H"}
DAILY_ITEM.update({"O3_8h": "O3_8H", "O3_1h_max": "O3_1H"})
MISSING_RULES = ("hj633_2026", "max_available", "na")
