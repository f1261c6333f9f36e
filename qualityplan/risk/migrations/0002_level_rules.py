"""Seed the risk matrix bands and disposal deadlines (workflow-rules §6 [I]); the office edits them as data."""

from django.db import migrations

LEVELS = (("I", 12, "red", 0), ("II", 8, "orange", 3), ("III", 4, "yellow", 10), ("IV", 1, "blue", 20))


def seed(apps, schema_editor):
    LevelRule = apps.get_model("risk", "LevelRule")
    for level, min_score, colour, workdays in LEVELS:
        LevelRule.objects.get_or_create(
            level=level, defaults={"min_score": min_score, "colour": colour, "disposal_workdays": workdays}
        )


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
