"""Surface water (GB 3838-2002)."""

from .gb3838 import WaterClass, class_label, item_class, quality_grade, share_at_or_better_than_iii, water_class

__all__ = ["WaterClass", "class_label", "item_class", "quality_grade", "share_at_or_better_than_iii", "water_class"]
