from django.db import migrations, models


def fill(apps, schema_editor):
    """Pass-rate indicators count the sampling their target's wording names (plain 抽检合格率: 监督抽检 + 评价性抽检;
    a rate that names 监督抽检: that only) — the rule of monitoring.choices.SampleScope.from_wording, inlined so
    that the migration does not change when the code does."""
    Indicator = apps.get_model("indicators", "Indicator")
    for ind in Indicator.objects.filter(computation="pass_rate", sample_scope="").select_related("target"):
        text = ind.target.indicator or ind.target.text or ""
        only = "监督抽检" in text and "评价性抽检" not in text
        ind.sample_scope = "supervision" if only else "supervision_evaluation"
        ind.save(update_fields=["sample_scope"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0008_version")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="sample_scope",
            field=models.CharField(
                blank=True,
                choices=[("supervision", "仅监督抽检"), ("supervision_evaluation", "监督抽检 + 评价性抽检")],
                max_length=30,
                verbose_name="抽检范围",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
