"""Registry items (brand products, trademarks, 2A+ scenic spots, awards, standards, certificates) from CSV/XLSX."""

from __future__ import annotations

import numpy as np

from qualityplan.indicators.choices import RegistryKind
from qualityplan.indicators.models import RegistryItem
from qualityplan.monitoring.ingest.columns import Column, KindColumns
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.writers import bulk_write
from qualityplan.monitoring.tables import ImportFailed, Table
from qualityplan.orgs.selectors import NameResolver

REGISTRY_COLUMNS = KindColumns(
    (
        Column("kind", "类别", ("类别", "类型"), True, "海南省名牌产品", "a registry kind (value or label)"),
        Column("name", "名称", ("名称", "项目名称", "产品名称"), True, "椰子汁"),
        Column("holder", "企业/单位", ("企业", "企业/单位", "企业名称", "获得单位"), example="海南某公司"),
        Column(
            "unit", "所属单位", ("单位", "所属单位", "主管单位"), True, "省质监局", "the unit that keeps the register"
        ),
        Column("region", "所在市县", ("所在市县", "市县"), example="海口市", help="city/county where it is located"),
        Column("date", "认定日期", ("日期", "认定日期", "发证日期"), True, "2017-06-30", "YYYY-MM-DD"),
        Column("certificate_no", "证书编号", ("证书编号", "文号"), example="琼名牌2017-001"),
        Column("note", "备注", ("备注",)),
    ),
    ignored=("序号",),
)
KINDS = {k.value: k.value for k in RegistryKind} | {str(k.label): k.value for k in RegistryKind}


def load_registry(table: Table, batch, progress) -> tuple[int, int]:
    p = Parser.open(table, "kind", "name", "unit", "date")
    errors = p.errors
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
        elif table.scope is not None and units[i] is not None and not table.scope.unit_allowed(units[i]):
            p.scope_error(i, "unit", units[i])
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
    if table.validate_only:
        return 0, 0  # an earlier chunk of the file was refused
    objs = (  # built 5,000 at a time by bulk_write, never all at once
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
    )
    return bulk_write(RegistryItem, objs, batch, progress, total=table.n)
