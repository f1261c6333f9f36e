import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityplan.credit import services

# Valid GB 32100 codes: the standard's own example and codes whose check character was worked by hand.
USCC_A = "91350100M000100Y43"
USCC_B = "91460000MA5T00010D"
USCC_C = "91460100MA5T00020K"


@pytest.fixture
def today(settings):
    """``today(date)``: pin the one clock."""

    def _pin(day: dt.date):
        settings.QUALITYPLAN_TODAY = day.isoformat()

    return _pin


@pytest.fixture
def enterprise(units):
    return services.enterprise_get_or_create(
        uscc=USCC_A, name="海南示例食品有限公司", region=units["460100"], on=dt.date(2020, 1, 1)
    )


@pytest.fixture
def penalty(users, units, enterprise):
    """``penalty(kinds, date, **kw)``: a 行政处罚 decided by QTS."""
    seq = iter(range(1, 1000))

    def _make(kinds=("罚款",), date=dt.date(2024, 1, 15), lower_amount=False, **kw):
        kw.setdefault("fine_yuan", 20000 if "罚款" in kinds else None)
        return services.event_create(
            user=users["dept"],
            enterprise=kw.pop("enterprise", enterprise),
            kind="penalty",
            date=date,
            decision_no=kw.pop("decision_no", f"琼质监罚〔2024〕{next(seq)}号"),
            penalties=list(kinds),
            lower_amount=lower_amount if "罚款" in kinds else None,
            **kw,
        )

    return _make


def pdf(name="a.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


@pytest.fixture
def repair_docs():
    return lambda: {"application": pdf("申请书.pdf"), "pledge": pdf("承诺书.pdf"), "fulfilment": pdf("证明.pdf")}
