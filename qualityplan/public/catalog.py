"""The open-data catalogue (``/open-data/catalog.json``), DCAT-style; its schema is docs/open-data-catalog.schema.json.

One data set per live publication whose kind has a table: title, description, licence, update frequency, last
modified, the fields with their types and units, and one distribution per format (CSV with BOM, JSON) at a stable URL.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from qualityplan.public import kinds, selectors

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "海南省质量强省工作领导小组办公室"


def build(request) -> dict:
    datasets = []
    for pub in selectors.datasets():
        k = kinds.KINDS[pub.kind]
        ident = selectors.dataset_id(pub)
        datasets.append(
            {
                "identifier": ident,
                "title": pub.title,
                "description": str(k.description),
                "theme": str(k.label),
                "license": LICENSE,
                "publisher": PUBLISHER,
                "accrualPeriodicity": k.frequency,
                "issued": pub.published_at.isoformat(),
                "modified": pub.updated_at.isoformat(),
                "landingPage": request.build_absolute_uri(reverse("public-publication", args=[pub.slug])),
                "fields": [
                    {"name": f.name, "title": str(f.title), "type": f.type, "unit": str(f.unit)} for f in k.fields
                ],
                "distribution": [
                    {
                        "format": fmt.upper(),
                        "mediaType": media,
                        "downloadURL": request.build_absolute_uri(reverse("open-data-file", args=[ident, fmt])),
                    }
                    for fmt, media in (("csv", "text/csv"), ("json", "application/json"))
                ],
            }
        )
    return {
        "@context": "https://www.w3.org/ns/dcat.jsonld",
        "@type": "dcat:Catalog",
        "title": _("海南省质量工作开放数据"),
        "description": _("省质量强省办发布的计划目标、进展、名录、抽检结果和失信名单。"),
        "publisher": PUBLISHER,
        "license": LICENSE,
        "homepage": request.build_absolute_uri(reverse("open-data")),
        "dictionary": request.build_absolute_uri(reverse("open-data-dictionary")),
        "dataset": datasets,
    }
