"""The database's cache table of the year's figures (goals.figures_cache),
when settings.CACHES names one: `migrate` is then all a deployment runs.
Nothing to do where the figures are kept elsewhere (Redis, memory)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("goals", "0009_budget_execution")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
