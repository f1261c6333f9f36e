"""Sampling-inspection results with the columns of a SAMR sampling announcement."""

from __future__ import annotations

import numpy as np

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import ProductGroup, SampleType, SamplingResult
from qualityplan.monitoring.ingest.catalogue import Catalogue
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.writers import bulk_write
from qualityplan.monitoring.models import ImportBatch, SamplingRecord
from qualityplan.monitoring.tables import ImportFailed, Table

RESULTS = {"合格": SamplingResult.PASS, "pass": SamplingResult.PASS, "不合格": SamplingResult.FAIL}
RESULTS["fail"] = SamplingResult.FAIL
SAMPLE_TYPES = {t.value: t.value for t in SampleType}
GROUPS = {g.value: g.value for g in ProductGroup} | {str(g.label): g.value for g in ProductGroup}


def load_sampling(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    p = Parser.open(
        table, "sample_no", "enterprise", "city", "product_category", "sampling_date", "result", "sample_type"
    )
    errors = p.errors
    sample_no = p.code("sample_no", max_length=60)
    enterprise = p.text("enterprise", max_length=200)
    uscc = p.code("uscc", required=False, max_length=18)
    units = p.units()
    category = p.text("product_category", max_length=100)
    explicit = p.choice("product_group", GROUPS, default="") if p.has("product_group") else None
    group = np.empty(table.n, dtype=object)
    catalogue = Catalogue.load()
    resolved: dict[str, str | None] = {}
    scope = table.scope
    for i, c in enumerate(category):
        if c not in resolved:
            resolved[c] = catalogue.resolve(c)
        group[i] = (explicit[i] if explicit is not None and explicit[i] else None) or resolved[c]
        if group[i] is None and c:
            near = catalogue.suggestions(c)
            hint = f"; closest entries: {', '.join(near)}" if near else ""
            p._err(
                i, "product_category", f"{c!r} is not in the product catalogue{hint} (or add a product_group column)"
            )
        elif group[i] is not None and scope is not None and not scope.group_allowed(group[i]):
            p._err(i, "product_category", f"{c!r} counts towards {group[i]}, which your department does not report")
    sdate = p.date("sampling_date")
    result = p.choice("result", RESULTS)
    stype = p.choice("sample_type", SAMPLE_TYPES)
    failing = p.text("failing_items", required=False, max_length=300)
    for i in np.flatnonzero((result == SamplingResult.FAIL) & (failing == "")):
        p._err(i, "failing_items", "a 不合格 result needs its failing items")
    p.duplicates([sample_no], "sample_no")
    if errors:
        raise ImportFailed(errors)
    if table.validate_only:
        return 0, 0  # an earlier chunk of the file was refused
    valid = np.full(table.n, None, dtype=object)
    has = uscc != ""
    if has.any():
        valid[has] = rules.validate_uscc(uscc[has].tolist())
    names = p.text("product_name", required=False, max_length=200)
    ann = p.text("announcement", required=False, max_length=100)
    objs = (  # built 5,000 at a time by bulk_write, never all at once
        SamplingRecord(
            sample_no=sample_no[i],
            enterprise=enterprise[i],
            uscc=uscc[i],
            uscc_valid=valid[i],
            unit=units[i],
            product_category=category[i],
            product_group=group[i],
            product_name=names[i],
            sampling_date=sdate[i],
            result=result[i],
            failing_items=failing[i],
            sample_type=stype[i],
            announcement=ann[i],
            batch=batch,
        )
        for i in range(table.n)
    )
    return bulk_write(SamplingRecord, objs, batch, progress, total=table.n)


def finish_sampling(batch: ImportBatch) -> None:
    """After the last chunk: say how many USCC values failed validation (the rows are kept, flagged)."""
    bad = SamplingRecord.objects.filter(batch=batch, uscc_valid=False).count()
    if bad:
        batch.message = f"{bad} USCC value(s) failed GB 32100 validation (kept, flagged)"
