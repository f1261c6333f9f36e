"""The registry of measurement methods, and how a plan's targets are bound to them: by wording and unit, not code.

A method is what :class:`~qualityplan.indicators.computations.Calculator` computes (or how a value is reported),
with its parameters: the standard edition (rule), the product group of a pass rate, the registry kind of a count,
the reporting period and value type of a reported value. The catalogue in :mod:`.definitions` says how each target
of the shipped 2017 plan is measured; :func:`method_match` carries that knowledge to any plan (a 2018 plan, an
imported one) by matching a target's indicator wording and unit to the catalogue's targets, so that a plan whose
targets are numbered differently is still measured by the right methods. A target that matches nothing is reported
(``indicators_sync`` returns it) and falls back to a yearly report by the office.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _

from qualityplan.indicators.choices import Method
from qualityplan.indicators.definitions import COMPUTATIONS, DEFINITIONS
from qualityplan.monitoring.choices import SampleScope

# method key -> (label, parameters it takes)
METHODS: dict[str, tuple] = {
    "air_good_day_ratio": (_("环境空气质量优良天数比例"), ("standard_edition", "sample_scope", "province_aggregation")),
    "pm10_change": (_("PM10 年均浓度同比变化"), ("standard_edition", "province_aggregation")),
    "water_iii_share": (_("地表水水质优良（≤ III 类）比例"), ("standard_edition", "sample_scope")),
    "river_annual_iii": (_("河流断面年均水质 ≤ III 类比例"), ("standard_edition", "sample_scope")),
    "drinking_compliance": (_("饮用水水源地水质达标率"), ("standard_edition",)),
    "sea_good_share": (_("近岸海域一、二类水质比例"), ("standard_edition",)),
    "noise_day": (_("声环境功能区昼间达标率"), ("standard_edition",)),
    "noise_night": (_("声环境功能区夜间达标率"), ("standard_edition",)),
    "pass_rate": (_("产品质量抽检合格率（按产品类别）"), ("product_group", "sample_scope")),
    "registry_count": (_("登记事项计数（按事项类别）"), ("registry_kind",)),
    "reported": (_("填报值"), ("period", "value_type")),
}

CATALOGUE_PLAN = Path(__file__).resolve().parents[1] / "plans" / "data" / "hainan-2017.json"


def method_key(definition: dict) -> str:
    if definition["method"] == Method.COUNTED:
        return "registry_count"
    if definition["method"] == Method.COMPUTED:
        return definition["computation"]
    return "reported"


def method_params(definition: dict) -> dict:
    """The parameters of a catalogue definition, as the method registry names them."""
    out = {"period": str(definition["period"])}
    if definition.get("computation"):
        out["standard_edition"] = COMPUTATIONS.get(definition["computation"], "")
    if definition.get("group"):
        out["product_group"] = str(definition["group"])
    if definition.get("registry"):
        out["registry_kind"] = str(definition["registry"])
    if definition.get("value_type"):
        out["value_type"] = str(definition["value_type"])
    if definition.get("sample_scope"):
        out["sample_scope"] = str(definition["sample_scope"])
    return out


def wording(text: str | None) -> str:
    """A target's wording for matching: no spaces or punctuation, full-width folded (“≥”, “（”), and the sample
    scope left out (监督抽检 / 评价性抽检 → 抽检: the scope is a parameter of the pass-rate method, not another one)."""
    text = (text or "").replace("（", "(").replace("）", ")").replace("％", "%")
    text = text.replace("监督抽检", "抽检").replace("评价性抽检", "抽检")
    return re.sub(r"[\s,，.。;；:：、()\"“”'‘’]+", "", text)


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict, dict]:
    from qualityplan.plans import interchange

    data = interchange.read_plan_file(CATALOGUE_PLAN)
    by_both, by_wording = {}, {}
    for t in data["targets"]:
        definition = DEFINITIONS.get(t.get("code"))
        if definition is None:
            continue
        key = wording(t.get("indicator") or t.get("text"))
        by_both[(key, str(t.get("unit") or ""))] = definition
        by_wording.setdefault(key, []).append(definition)
    return by_both, by_wording


def method_match(target) -> tuple[dict | None, str]:
    """The catalogue definition for ``target`` and how it was found: ``"wording+unit"``, ``"wording"`` (the unit
    differs: to be confirmed), or ``""`` (no method: the target is reported and falls back to a yearly report)."""
    by_both, by_wording = _catalogue()
    key = wording(target.indicator or target.text)
    definition = by_both.get((key, str(target.unit or "")))
    if definition is not None:
        return definition, "wording+unit"
    candidates = by_wording.get(key, [])
    if len(candidates) == 1:
        return candidates[0], "wording"
    return None, ""


def option_id(definition: dict) -> str:
    """The stable id of a method configuration: method key + parameters (``pass_rate|period=month|…``)."""
    return "|".join([method_key(definition), *(f"{k}={v}" for k, v in sorted(method_params(definition).items()))])


def option_definition(option: str | None) -> dict | None:
    """The catalogue definition behind an option id (None for an unknown one)."""
    return next((d for o, _label, d in method_options() if o == option), None) if option else None


def option_matched(*, indicator: str, unit: str = "", text: str = "") -> tuple[str, str]:
    """The option a target with this wording and unit is bound to, and how (``method_match``'s answer): what the
    plan-import review page shows before the plan exists. ``("", "")`` when no method matches."""
    target = SimpleNamespace(indicator=indicator, unit=unit, text=text)
    definition, how = method_match(target)
    if definition is None:
        return "", ""
    if definition.get("computation") == "pass_rate":
        definition = dict(definition, sample_scope=str(SampleScope.from_wording(indicator or text)))
    return option_id(definition), how


def method_options() -> list[tuple[str, str, dict]]:
    """The distinct method configurations of the catalogue, for the office to choose from:
    ``(option id, label, definition)``; the id is stable (method key + parameters)."""
    seen: dict[str, tuple[str, str, dict]] = {}
    for base in DEFINITIONS.values():
        # a pass rate is offered with each sample scope (the wording's default is preselected on the pages)
        variants = (
            [dict(base, sample_scope=str(v)) for v in SampleScope] if base.get("computation") == "pass_rate" else [base]
        )
        for definition in variants:
            key = method_key(definition)
            params = method_params(definition)
            option = option_id(definition)
            if option not in seen:
                labels = {"sample_scope": SampleScope(params["sample_scope"]).label} if "sample_scope" in params else {}
                detail = "，".join(str(labels.get(k, v)) for k, v in sorted(params.items()) if k != "standard_edition")
                seen[option] = (
                    option,
                    f"{METHODS[key][0]}（{detail}）" if detail else str(METHODS[key][0]),
                    definition,
                )
    return sorted(seen.values(), key=lambda o: o[0])


def option_of(indicator) -> str:
    """The :func:`method_options` id of how ``indicator`` is measured now ("" when no option describes it)."""
    for option, _label, d in method_options():
        if (
            d["method"],
            d.get("computation", ""),
            d.get("group", ""),
            d.get("registry", ""),
            d.get("sample_scope", ""),
        ) == (
            indicator.method,
            indicator.computation,
            indicator.product_group,
            indicator.registry_kind,
            indicator.sample_scope if indicator.computation == "pass_rate" else "",
        ) and (
            d["method"] != Method.REPORTED
            or (d.get("period"), d.get("value_type")) == (indicator.period_type, indicator.value_type)
        ):
            return option
    return ""
