"""The measurement method of each target on the plan-import review page, without plans importing indicators.

Measurement methods belong to the indicators app, which sits above plans (the layers of ADR 0005). The review page
still has to show, for each target the reader found, the method it will be measured by and let the office confirm
or change it before the plan is created. So plans declares what it needs here and the indicators app fills it in
(``IndicatorsConfig.ready`` calls :func:`register`); without a provider (indicators not installed) the review page
simply shows no methods.

The office's choice travels with the target: the review stores the option id in the parsed item under
:data:`EXTRA_KEY`, which the plan loader keeps in ``Target.extra`` (unknown keys are kept verbatim), and the provider
binds it when the plan is created (``plan_created``) and on every later sync.
"""

from __future__ import annotations

from typing import Protocol

EXTRA_KEY = "measurement_method"


class MethodProvider(Protocol):
    def options(self) -> list[tuple[str, str]]:
        """Every method configuration the office may choose: ``(option id, label)``."""

    def matched(self, *, indicator: str, unit: str, text: str) -> tuple[str, str]:
        """The option a target with this wording and unit is bound to, and how (``"wording+unit"``,
        ``"wording"`` — to be confirmed —, or ``""`` — no method)."""

    def plan_created(self, plan) -> None:
        """Bind the targets of a newly created plan to their methods (the office's choices included)."""


_provider: MethodProvider | None = None


def register(provider: MethodProvider) -> None:
    global _provider
    _provider = provider


def provider() -> MethodProvider | None:
    return _provider


def review_rows(targets: list[dict]) -> list[dict]:
    """One row per parsed target for the review page: its index, the option chosen or matched, its label and how it
    was found (``"confirmed"`` when the office chose it); targets without a method first, then in plan order."""
    p = _provider
    if p is None:
        return []
    labels = dict(p.options())
    rows = []
    for index, t in enumerate(targets):
        chosen = t.get(EXTRA_KEY) or ""
        if chosen in labels:
            option, how = chosen, "confirmed"
        else:
            option, how = p.matched(
                indicator=t.get("indicator") or "", unit=t.get("unit") or "", text=t.get("text") or ""
            )
        rows.append({"index": index, "target": t, "option": option, "label": labels.get(option, ""), "how": how})
    order = {"": 0, "wording": 1, "wording+unit": 2, "confirmed": 3}
    return sorted(rows, key=lambda r: (order.get(r["how"], 0), r["index"]))
