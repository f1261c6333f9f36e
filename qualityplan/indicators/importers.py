"""Registry items (brand products, trademarks, 2A+ scenic spots, awards, standards, certificates) from CSV/XLSX."""

from __future__ import annotations

import numpy as np

from qualityplan.indicators.choices import RegistryKind
from qualityplan.indicators.models import RegistryItem
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.writers import bulk_write
from qualityplan.monitoring.tables import ImportFailed, RowError, Table
from qualityplan.orgs.selectors import NameResolver

REGISTRY_ALIASES = {
    "类别": "kind",
    "名称": "name",
    "企业": "holder",
    "企业/单位": "holder",
    "单位": "unit",
    "所属单位": "unit",
    "所在市县": "region",
    "市县": "region",
    "日期": "date",
    "认定日期": "date",
    "证书编号": "certificate_no",
    "文号": "certificate_no",
    "备注": "note",
}
KINDS = {k.value: k.value for k in RegistryKind} | {str(k.label): k.value for k in RegistryKind}


def load_registry(table: Table, batch, progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("kind", "name", "unit", "date")
    if errors:
        raise ImportFailed(errors)
    kind = p.choice("kind", KINDS)
    name = p.text("name", max_length=200)
    holder = p.text("holder", required=False, max_length=200)
    raw_unit = p.text("unit")
    resolver = NameResolver.load()
    units = np.empty(table.n, dtype=object)
    for i, v in enumerate(raw_unit):
        units[i] = resolver.resolve(v).unit if v else None
        if units[i] is None and v:
            p._err(i, "unit", f"unknown unit {v!r}")
    # optional: the city/county (or Yangpu) where the item is located — counted for that unit's assessment
    raw_region = p.text("region", required=False) if "region" in table.columns else [""] * table.n
    regions = np.empty(table.n, dtype=object)
    for i, v in enumerate(raw_region):
        regions[i] = resolver.resolve(v).unit if v else None
        if v and (regions[i] is None or not regions[i].is_local_government):
            p._err(i, "region", f"{v!r} is not a city/county or Yangpu")
    date = p.date("date")
    cert = p.text("certificate_no", required=False, max_length=100)
    note = p.text("note", required=False)
    p.duplicates([kind, name, cert], "name")
    if errors:
        raise ImportFailed(errors)
    objs = [
        RegistryItem(
            kind=kind[i],
            name=name[i],
            holder=holder[i],
            unit=units[i],
            region=regions[i],
            date=date[i],
            certificate_no=cert[i],
            note=note[i],
            batch=batch,
        )  # fmt: skip
        for i in range(table.n)
    ]
    return bulk_write(RegistryItem, objs, batch, progress)
