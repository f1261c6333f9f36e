"""The units register: written unit names → unit codes, group codes, or unknown.

Built from a plain dict with the shape of ``qualityplan/orgs/data/hainan-units.yaml`` (``province``,
``units`` with ``code``/``name``/``short``/``aliases``, ``groups`` with ``code``/``name``/``aliases``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_REGISTER_PATH = Path(__file__).resolve().parents[1] / "orgs" / "data" / "hainan-units.yaml"

# Endings of names that look like government units; used to tell a unit list from prose.
UNIT_SUFFIX_RE = re.compile(
    r"(局|厅|委|办|部|会|院|政府|中心|单位|部门|公司|所|站|队|组|室|处|银行|分行|支行|社|团|联|馆|集团|机关|分局|监管局|管委会|办公室|法院|检察院|协会|街道|乡镇)$"
)
_GROUP_WORD_RE = re.compile(r"^(各|全省|全市|省直|市直|县直|省政府|市政府|县政府|有关|相关)")


@dataclass(frozen=True)
class Resolution:
    written: str
    kind: str  # "unit" | "group" | "unknown"
    code: str | None = None
    name: str | None = None
    via: str | None = None  # "name" | "alias" | "short" | "prefix" | None

    def as_dict(self) -> dict[str, Any]:
        if self.kind == "unit":
            out: dict[str, Any] = {"written": self.written, "unit": self.code, "name": self.name}
        elif self.kind == "group":
            out = {"written": self.written, "group": self.code, "name": self.name}
        else:
            return {"written": self.written, "unknown": True}
        if self.via not in (None, "name"):
            out["via"] = self.via
        return out


class UnitRegister:
    """Resolve written unit names; pure data in, plain values out."""

    def __init__(self, data: dict[str, Any]):
        province = data.get("province") or {}
        self.province_name: str = province.get("name", "")
        self._names: dict[str, tuple[str, str, str, str]] = {}  # written -> (kind, code, name, via)
        self._shorts: dict[str, tuple[str, str]] = {}  # short -> (code, name), provincial units only
        for unit in data.get("units") or []:
            code, name = str(unit["code"]), unit["name"]
            self._names.setdefault(name, ("unit", code, name, "name"))
            for alias in unit.get("aliases") or []:
                self._names.setdefault(alias, ("unit", code, name, "alias"))
            short = unit.get("short")
            if short:
                if unit.get("kind") in ("city", "county", "zone"):
                    self._names.setdefault(short, ("unit", code, name, "short"))
                else:
                    self._shorts.setdefault(short, (code, name))
        for group in data.get("groups") or []:
            code, name = str(group["code"]), group["name"]
            self._names.setdefault(name, ("group", code, name, "name"))
            for alias in group.get("aliases") or []:
                self._names.setdefault(alias, ("group", code, name, "alias"))

    @classmethod
    def from_yaml(cls, path: str | Path) -> UnitRegister:
        import yaml

        with open(path, encoding="utf-8") as fh:
            return cls(yaml.safe_load(fh) or {})

    @classmethod
    def empty(cls) -> UnitRegister:
        return cls({})

    def _lookup(self, name: str) -> tuple[str, str, str, str] | None:
        return self._names.get(name)

    def resolve(self, written: str, *, level: str | None = "province") -> Resolution:
        """Resolve ``written``; ``level`` is the issuer's level ("province", "city", "county" or None).

        Abbreviations without the 省 prefix (质监局) resolve to provincial units only when the
        issuer is provincial; for a city or county issuer they stay unknown (the city's own bureau).
        """
        name = written.strip()
        hit = self._lookup(name)
        if hit:
            return Resolution(written, hit[0], hit[1], hit[2], hit[3])
        candidates = []
        if self.province_name and name.startswith(self.province_name):
            candidates.append("省" + name[len(self.province_name) :])
        if "工作领导小组" in name:
            candidates.append(name.replace("工作领导小组", "领导小组"))
        elif "领导小组" in name:
            candidates.append(name.replace("领导小组", "工作领导小组"))
        for candidate in candidates:
            hit = self._lookup(candidate)
            if hit:
                return Resolution(written, hit[0], hit[1], hit[2], "prefix")
        if level == "province":
            bare = name[1:] if name.startswith("省") else name
            if bare in self._shorts:
                code, canonical = self._shorts[bare]
                return Resolution(written, "unit", code, canonical, "short")
        return Resolution(written, "unknown")

    def looks_like_unit(self, written: str) -> bool:
        """True when ``written`` is a known name or has the shape of a unit or collective name."""
        name = written.strip()
        if not name or len(name) > 30 or re.search(r"[。！？]", name):
            return False
        if self.resolve(name).kind != "unknown":
            return True
        return bool(UNIT_SUFFIX_RE.search(name)) or bool(_GROUP_WORD_RE.match(name) and len(name) <= 20)


def default_register() -> UnitRegister:
    """The Hainan register shipped with the orgs app (read as data; the orgs package is not imported)."""
    if DEFAULT_REGISTER_PATH.exists():
        return UnitRegister.from_yaml(DEFAULT_REGISTER_PATH)
    return UnitRegister.empty()
