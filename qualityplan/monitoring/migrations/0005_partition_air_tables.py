"""PostgreSQL only: the hourly and daily air tables become range-partitioned by year (qualityplan.monitoring.partitions).

SQLite keeps plain tables. No model state changes (the tables keep their columns, constraints and index names).
"""

from django.db import migrations


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from qualityplan.monitoring import partitions

    for table in partitions.TABLES:
        if not partitions.is_partitioned(table, schema_editor.connection):
            partitions.partition_table(table, schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0004_pass_rate_scope'),
    ]

    operations = [
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
