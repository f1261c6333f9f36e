"""National-standard indicator calculations (pure Python + NumPy; never imports Django).

One module per standard (see docs/standards.md):

* ``air.hj633``  — IAQI / daily AQI, HJ 633-2012 and HJ 633-2026 (``standard=`` is explicit)
* ``air.daily``  — station-day / city-day values from hourly data, good-day ratio
* ``air.hj663``  — annual evaluation statistics, percentiles, year-over-year change
* ``air.gb3095`` — GB 3095-2012 / -2026 limits
* ``water.gb3838``, ``sea.gb3097``, ``noise.gb3096`` — class / compliance
* ``codes.gb32100`` — USCC and GB 11714 organisation codes
* ``sampling`` — pass rate, Wilson interval; ``rounding`` — GB/T 8170; ``workdays``; ``editions``

Every function accepts scalars and NumPy arrays and raises :class:`StandardsError` (a
``ValueError``) for an unknown item, pollutant, zone or edition.
"""

from .air.daily import city_daily, daily_from_hourly, good_day_ratio, period_key
from .air.hj633 import DailyAQI, aqi_category, aqi_colour, aqi_level, daily_aqi, iaqi
from .air.hj663 import annual_statistics, meets_reduction_target, percentile, yoy_change
from .codes.gb32100 import uscc_check_character, validate_org_code, validate_uscc
from .editions import air_edition, gb3095_edition, gb3095_limit_phase
from .errors import (
    InvalidValueError,
    StandardsError,
    UnknownCalendarYearError,
    UnknownEditionError,
    UnknownItemError,
)
from .noise.gb3096 import compliance, compliance_rate, noise_limit
from .rounding import gbt8170_round, round_half_even
from .sampling import pass_rate, wilson_interval
from .sea.gb3097 import excellent_good_share, sea_class
from .water.gb3838 import share_at_or_better_than_iii, water_class
from .workdays import add_workdays, is_workday, register_year, workdays_between

__all__ = [
    "DailyAQI",
    "InvalidValueError",
    "StandardsError",
    "UnknownCalendarYearError",
    "UnknownEditionError",
    "UnknownItemError",
    "add_workdays",
    "air_edition",
    "annual_statistics",
    "aqi_category",
    "aqi_colour",
    "aqi_level",
    "city_daily",
    "compliance",
    "compliance_rate",
    "daily_aqi",
    "daily_from_hourly",
    "excellent_good_share",
    "gb3095_edition",
    "gb3095_limit_phase",
    "gbt8170_round",
    "good_day_ratio",
    "iaqi",
    "is_workday",
    "meets_reduction_target",
    "noise_limit",
    "pass_rate",
    "percentile",
    "period_key",
    "register_year",
    "round_half_even",
    "sea_class",
    "share_at_or_better_than_iii",
    "uscc_check_character",
    "validate_org_code",
    "validate_uscc",
    "water_class",
    "wilson_interval",
    "workdays_between",
    "yoy_change",
]
