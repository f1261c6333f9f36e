"""The default time-limit table (working days): 签收 1, 咨询 2, 求助 10, 意见建议 10, 投诉 15, 举报 15."""

from django.db import migrations

DEFAULTS = [
    ("sign", 1, "签收：派单后 1 个工作日内"),
    ("consult", 2, "《广东省12345政务服务便民热线管理办法》（2022）：咨询类 2 个工作日"),
    ("help", 10, "同上：求助类 10 个工作日"),
    ("suggestion", 10, "同上：意见建议类 10 个工作日"),
    ("complaint", 15, "同上：投诉类 15 个工作日"),
    ("report", 15, "同上：举报类 15 个工作日"),
]


def seed(apps, schema_editor):
    TimeLimit = apps.get_model("hotline", "TimeLimit")
    for kind, workdays, basis in DEFAULTS:
        TimeLimit.objects.get_or_create(kind=kind, defaults={"workdays": workdays, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
