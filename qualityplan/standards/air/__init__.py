"""Ambient air: HJ 633 (AQI), HJ 663 (assessment statistics), GB 3095 (limits), daily aggregation."""

from .daily import city_daily, daily_from_hourly, good_day_ratio, period_key
from .hj633 import DailyAQI, aqi_category, aqi_colour, aqi_level, daily_aqi, iaqi
from .hj663 import annual_statistics, meets_reduction_target, percentile, yoy_change

__all__ = [
    "DailyAQI",
    "annual_statistics",
    "aqi_category",
    "aqi_colour",
    "aqi_level",
    "city_daily",
    "daily_aqi",
    "daily_from_hourly",
    "good_day_ratio",
    "iaqi",
    "meets_reduction_target",
    "percentile",
    "period_key",
    "yoy_change",
]
