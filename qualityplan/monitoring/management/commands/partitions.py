"""``manage.py partitions [--ahead N]``: create the coming years' partitions of the air tables (PostgreSQL)."""

from django.core.management.base import BaseCommand

from qualityplan.monitoring import partitions


class Command(BaseCommand):
    help = "Create the yearly partitions of the air tables up to N years ahead (PostgreSQL; nothing on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=partitions.AHEAD, help="years after today (default 2)")

    def handle(self, *args, ahead: int, **options):
        if not partitions.supported():
            self.stdout.write("SQLite: plain tables, nothing to partition")
            return
        created = partitions.partitions_ensure(ahead=max(0, ahead))
        for table in partitions.TABLES:
            years = sorted(n for n in partitions.partitions(table) if "_y" in n)
            span = f"{years[0].rsplit('_y', 1)[1]}–{years[-1].rsplit('_y', 1)[1]}" if years else "none"
            self.stdout.write(f"{table}: {len(years)} yearly partitions ({span}) + default")
        self.stdout.write(f"created: {', '.join(created) or 'none'}")
