"""How each target of the Hainan 2017 plan is measured (the indicator catalogue).

Keys are target codes.  ``responsible`` lists unit codes (the plan's lead units for the clause) or
``"local"`` for every city/county and Yangpu.  Targets missing here (there are none for 2017) fall
back to a yearly qualitative report by the office.
"""

from __future__ import annotations

from qualityplan.indicators.choices import Method, PeriodType, RegistryKind, ValueType
from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import ProductGroup

R, C, N = Method.REPORTED, Method.COMPUTED, Method.COUNTED
Q, Y, M = PeriodType.QUARTER, PeriodType.YEAR, PeriodType.MONTH

# computation key -> (product group / None, rule edition)
COMPUTATIONS = {
    "air_good_day_ratio": "HJ633-2012（GB3095-2012）优良天数比例",
    "pm10_change": "HJ663 年均浓度同比变化",
    "water_iii_share": f"{rules.WATER_STANDARD} 国控断面年均值达到 III 类的比例",
    "river_annual_iii": f"{rules.WATER_STANDARD} 河流断面年均值达到 III 类的比例",
    "drinking_compliance": f"{rules.WATER_STANDARD} 每个样品水质不劣于 III 类",
    "sea_good_share": f"{rules.SEA_STANDARD} 按站位计的一、二类水质比例",
    "noise_day": f"{rules.NOISE_STANDARD} 昼间点次达标率",
    "noise_night": f"{rules.NOISE_STANDARD} 夜间点次达标率",
    "pass_rate": "抽检合格率（Wilson 95% 置信区间）",
}

DEFINITIONS: dict[str, dict] = {
    "T01": {"method": R, "period": Q, "value_type": ValueType.RATE, "responsible": ["AGRI"]},
    "T02": {"method": C, "period": M, "computation": "pass_rate", "group": ProductGroup.AGRI, "responsible": ["AGRI"]},
    "T03": {
        "method": C,
        "period": M,
        "computation": "pass_rate",
        "group": ProductGroup.INDUSTRIAL,
        "responsible": ["QTS"],
    },
    "T04": {"method": C, "period": M, "computation": "pass_rate", "group": ProductGroup.FOOD, "responsible": ["FDA"]},
    "T05": {"method": C, "period": M, "computation": "pass_rate", "group": ProductGroup.DRUG, "responsible": ["FDA"]},
    "T06": {"method": C, "period": M, "computation": "pass_rate", "group": ProductGroup.EXPORT, "responsible": ["CIQ"]},
    "T07": {"method": R, "period": Q, "value_type": ValueType.RATIO, "responsible": ["HOUSING"]},
    "T08": {"method": R, "period": Q, "value_type": ValueType.RATIO, "responsible": ["TRANSPORT"]},
    "T09": {"method": R, "period": Y, "value_type": ValueType.RATE, "responsible": ["CBRC"]},
    "T10": {"method": R, "period": Y, "value_type": ValueType.RATE, "responsible": ["COMM"]},
    "T11": {"method": R, "period": Q, "value_type": ValueType.RATE, "responsible": ["POST"]},
    "T12": {"method": R, "period": Y, "value_type": ValueType.QUALITATIVE, "responsible": ["COMMERCE"]},
    "T13": {"method": R, "period": Y, "value_type": ValueType.QUALITATIVE, "responsible": ["TOURISM"]},
    "T14": {"method": R, "period": Y, "value_type": ValueType.QUALITATIVE, "responsible": ["ENV"]},
    "T15": {"method": C, "period": M, "computation": "air_good_day_ratio", "responsible": ["ENV", "local"]},
    "T16": {
        "method": C,
        "period": M,
        "computation": "pm10_change",
        "value_type": ValueType.NUMBER,
        "responsible": ["ENV"],
    },
    "T17": {"method": R, "period": Y, "value_type": ValueType.QUALITATIVE, "responsible": ["ENV"]},
    "T18": {"method": C, "period": M, "computation": "water_iii_share", "responsible": ["ENV"]},
    "T19": {"method": R, "period": Y, "value_type": ValueType.QUALITATIVE, "responsible": ["OCEAN"]},
    "T20": {"method": C, "period": Q, "computation": "sea_good_share", "responsible": ["OCEAN", "ENV"]},
    "T21": {"method": C, "period": M, "computation": "drinking_compliance", "responsible": ["ENV"]},
    "T22": {"method": R, "period": Y, "value_type": ValueType.QUALITATIVE, "responsible": ["HEALTH"]},
    "T23": {"method": R, "period": Y, "value_type": ValueType.QUALITATIVE, "responsible": ["ENV"]},
    "T24": {"method": R, "period": Y, "value_type": ValueType.RATE, "responsible": ["ENV"]},
    "T25": {"method": R, "period": Q, "value_type": ValueType.RATIO, "responsible": ["local"], "reporter": "local"},
    "T26": {"method": R, "period": Q, "value_type": ValueType.RATIO, "responsible": ["local"], "reporter": "local"},
    "T27": {"method": C, "period": Q, "computation": "noise_day", "responsible": ["ENV"]},
    "T28": {"method": C, "period": Q, "computation": "noise_night", "responsible": ["ENV"]},
    "T29": {"method": R, "period": Y, "value_type": ValueType.NUMBER, "responsible": ["FDA"]},
    "T30": {"method": R, "period": Q, "value_type": ValueType.NUMBER, "responsible": ["OCEAN"]},
    "T31": {"method": N, "period": Y, "registry": RegistryKind.AQUATIC_CERT, "responsible": ["OCEAN"]},
    "T32": {"method": N, "period": Y, "registry": RegistryKind.FISHERY_STANDARD, "responsible": ["OCEAN", "QTS"]},
    "T33": {"method": N, "period": Y, "registry": RegistryKind.HIGH_TECH, "responsible": ["SCI"]},
    "T34": {"method": R, "period": Y, "value_type": ValueType.COUNT, "responsible": ["HEALTH"]},
    "T35": {"method": R, "period": Y, "value_type": ValueType.NUMBER, "responsible": ["HEALTH"]},
    "T36": {"method": R, "period": Q, "value_type": ValueType.RATIO, "responsible": ["TRANSPORT"]},
    "T37": {"method": N, "period": Y, "registry": RegistryKind.BRAND_PRODUCT, "responsible": ["QTS"]},
    "T38": {"method": N, "period": Y, "registry": RegistryKind.TRADEMARK, "responsible": ["SAIC"]},
    "T39": {"method": N, "period": Y, "registry": RegistryKind.SCENIC_2A, "responsible": ["TOURISM"]},
    "T40": {"method": N, "period": Y, "registry": RegistryKind.LUBAN, "responsible": ["HOUSING"]},
    "T41": {"method": N, "period": Y, "registry": RegistryKind.GREEN_ISLAND, "responsible": ["HOUSING"]},
    "T42": {"method": N, "period": Y, "registry": RegistryKind.LOCAL_STANDARD, "responsible": ["QTS"]},
    "T43": {"method": R, "period": Y, "value_type": ValueType.COUNT, "responsible": ["QTS"]},
    "T44": {"method": N, "period": Y, "registry": RegistryKind.FISHERY_STANDARD, "responsible": ["OCEAN", "QTS"]},
    "T45": {"method": N, "period": Y, "registry": RegistryKind.HACCP, "responsible": ["QTS", "CIQ"]},
    "T46": {"method": C, "period": M, "computation": "river_annual_iii", "responsible": ["ENV", "local"]},
}
