"""Load the shipped product catalogue (monitoring/data/product-catalogue.yaml); entries already present stay."""

from pathlib import Path

import yaml
from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "product-catalogue.yaml"


def load(apps, schema_editor):
    ProductCategory = apps.get_model("monitoring", "ProductCategory")
    known = set(ProductCategory.objects.values_list("path", flat=True))
    rows = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(path=r["path"], group=r["group"], synonyms=r.get("synonyms", []), source=r.get("source", ""))
            for r in rows
            if r["path"] not in known
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_import_progress_corrections_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
