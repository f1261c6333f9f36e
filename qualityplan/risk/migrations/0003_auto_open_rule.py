"""The office's threshold for opening risks from statistical signals automatically: one row, automatic opening
off (nothing changes for existing users until the office turns it on)."""

import django.core.validators
from django.db import migrations, models


def seed(apps, schema_editor):
    AutoOpenRule = apps.get_model("risk", "AutoOpenRule")
    AutoOpenRule.objects.get_or_create(pk=1, defaults={"enabled": False})


class Migration(migrations.Migration):

    dependencies = [
        ('risk', '0002_level_rules'),
    ]

    operations = [
        migrations.CreateModel(
            name='AutoOpenRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='版本')),
                ('enabled', models.BooleanField(default=False, verbose_name='自动立案')),
                ('open_pchart', models.BooleanField(default=True, verbose_name='p 控制图超限')),
                ('open_run', models.BooleanField(default=False, verbose_name='连续三期上升')),
                ('open_cluster', models.BooleanField(default=False, verbose_name='企业/不合格项目聚集')),
                ('min_z', models.DecimalField(decimal_places=2, default=3, help_text='仅用于 p 控制图信号', max_digits=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(50)], verbose_name='最小 z 值')),
                ('min_failed', models.PositiveIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100000)], verbose_name='最少不合格批次')),
            ],
            options={
                'verbose_name': '自动立案阈值',
                'verbose_name_plural': '自动立案阈值',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='risk_autoopenrule_singleton')],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
