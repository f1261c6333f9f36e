"""Sampling-inspection results with the columns of a SAMR sampling announcement."""

from __future__ import annotations

import numpy as np

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import ProductGroup, SampleType, SamplingResult
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.writers import bulk_write
from qualityplan.monitoring.models import ImportBatch, SamplingRecord
from qualityplan.monitoring.tables import ImportFailed, RowError, Table

CATEGORY_GROUPS = {
    "蔬菜": ProductGroup.AGRI,
    "水果": ProductGroup.AGRI,
    "畜禽产品": ProductGroup.AGRI,
    "畜禽肉": ProductGroup.AGRI,
    "水产品": ProductGroup.AGRI,
    "食用农产品": ProductGroup.AGRI,
    "药品": ProductGroup.DRUG,
    "化学药品": ProductGroup.DRUG,
    "中成药": ProductGroup.DRUG,
    "中药饮片": ProductGroup.DRUG,
    "出口食品": ProductGroup.EXPORT,
    "出口工业品": ProductGroup.EXPORT,
    "出口商品": ProductGroup.EXPORT,
}
FOOD_WORDS = ("食品", "饮料", "酒", "乳制品", "粮食", "食用油", "调味品", "糕点", "茶叶", "肉制品", "罐头", "饮用水")


RESULTS = {"合格": SamplingResult.PASS, "pass": SamplingResult.PASS, "不合格": SamplingResult.FAIL}
RESULTS["fail"] = SamplingResult.FAIL
SAMPLE_TYPES = {t.value: t.value for t in SampleType}
GROUPS = {g.value: g.value for g in ProductGroup} | {str(g.label): g.value for g in ProductGroup}


def product_group_of(category: str) -> str | None:
    if category in CATEGORY_GROUPS:
        return CATEGORY_GROUPS[category]
    if category.startswith("出口"):
        return ProductGroup.EXPORT
    if "药" in category:
        return ProductGroup.DRUG
    if any(w in category for w in FOOD_WORDS):
        return ProductGroup.FOOD
    if category.endswith("产品") or category.endswith("品") or "工业" in category:
        return ProductGroup.INDUSTRIAL
    return None


def load_sampling(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("sample_no", "enterprise", "city", "product_category", "sampling_date", "result", "sample_type")
    if errors:
        raise ImportFailed(errors)
    sample_no = p.text("sample_no", max_length=60)
    enterprise = p.text("enterprise", max_length=200)
    uscc = p.text("uscc", required=False, max_length=18)
    units = p.units()
    category = p.text("product_category", max_length=100)
    explicit = p.choice("product_group", GROUPS, default="") if p.has("product_group") else None
    group = np.empty(table.n, dtype=object)
    for i, c in enumerate(category):
        group[i] = (explicit[i] if explicit is not None and explicit[i] else None) or product_group_of(c)
        if group[i] is None and c:
            p._err(
                i, "product_category", f"cannot tell which pass rate {c!r} counts towards; add a product_group column"
            )
    sdate = p.date("sampling_date")
    result = p.choice("result", RESULTS)
    stype = p.choice("sample_type", SAMPLE_TYPES)
    failing = p.text("failing_items", required=False)
    for i in np.flatnonzero((result == SamplingResult.FAIL) & (failing == "")):
        p._err(i, "failing_items", "a 不合格 result needs its failing items")
    p.duplicates([sample_no], "sample_no")
    if errors:
        raise ImportFailed(errors)
    valid = np.full(table.n, None, dtype=object)
    has = uscc != ""
    if has.any():
        valid[has] = rules.validate_uscc(uscc[has].tolist())
    names = p.text("product_name", required=False)
    ann = p.text("announcement", required=False)
    objs = [
        SamplingRecord(
            sample_no=sample_no[i],
            enterprise=enterprise[i],
            uscc=uscc[i],
            uscc_valid=valid[i],
            unit=units[i],
            product_category=category[i],
            product_group=group[i],
            product_name=names[i][:200],
            sampling_date=sdate[i],
            result=result[i],
            failing_items=failing[i][:300],
            sample_type=stype[i],
            announcement=ann[i][:100],
            batch=batch,
        )
        for i in range(table.n)
    ]
    created, skipped = bulk_write(SamplingRecord, objs, batch, progress)
    bad = int(np.count_nonzero(valid == False))  # noqa: E712 - object array
    if bad:
        batch.message = f"{bad} USCC value(s) failed GB 32100 validation (kept, flagged)"
    return created, skipped
