"""The product catalogue as a lookup: a category as offices write it → the plan's product group.

Resolution, most specific first: the full path (``农产品/水产品``), a synonym, a leaf name that occurs once in
the catalogue (``蔬菜``), then the value's ancestors (``农产品/蔬菜/叶菜类`` → ``农产品/蔬菜``).  Nothing is guessed
from how a word ends; an unknown category gets the closest entries for its row error.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from qualityplan.monitoring.ingest.columns import closest
from qualityplan.monitoring.models import ProductCategory

SEPARATORS = re.compile(r"\s*[/>|]\s*")


def normalize_category(value: str) -> str:
    """NFKC (``／`` → ``/``), spaces removed around separators, one ``/`` between levels."""
    v = unicodedata.normalize("NFKC", value).strip()
    return "/".join(part for part in SEPARATORS.split(v) if part)


class Catalogue:
    def __init__(self, entries: list[tuple[str, str, list[str]]]):
        self.index: dict[str, str] = {}
        leaves = Counter(path.rsplit("/", 1)[-1] for path, _, _ in entries if "/" in path)
        for path, group, synonyms in entries:
            path = normalize_category(path)
            self.index[path] = group
            for s in synonyms:
                self.index.setdefault(normalize_category(s), group)
            leaf = path.rsplit("/", 1)[-1]
            if "/" in path and leaves[leaf] == 1:
                self.index.setdefault(leaf, group)

    @classmethod
    def load(cls) -> Catalogue:
        rows = ProductCategory.objects.filter(active=True).values_list("path", "group", "synonyms")
        return cls([(p, g, list(s or [])) for p, g, s in rows])

    def resolve(self, value: str) -> str | None:
        v = normalize_category(value)
        while v:
            hit = self.index.get(v)
            if hit is not None:
                return hit
            if "/" not in v:
                return None
            v = v.rsplit("/", 1)[0]
        return None

    def suggestions(self, value: str, n: int = 3) -> list[str]:
        v = normalize_category(value)
        return closest(v, self.index, n=n) or closest(v.rsplit("/", 1)[-1], self.index, n=n)
