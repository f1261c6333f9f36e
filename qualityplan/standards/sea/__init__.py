"""Sea water (GB 3097-1997)."""

from .gb3097 import SeaClass, class_label, excellent_good_share, item_class, sea_class

__all__ = ["SeaClass", "class_label", "excellent_good_share", "item_class", "sea_class"]
