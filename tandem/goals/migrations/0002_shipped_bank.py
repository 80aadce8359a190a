"""Load the shipped goal bank, so a fresh install has it without the demo data."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from tandem.goals.bank import load_bank

    load_bank(apps.get_model("goals", "GoalTemplate"))


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_templates_objectives")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
