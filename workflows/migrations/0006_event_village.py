"""Each event carries its case's village (the key a partitioned or distributed event table is
split by; docs/scaling.md). Existing events are filled in from their cases; on PostgreSQL the
append-only trigger is set aside for that one statement, inside this migration's
transaction, and put back before it commits."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE workflows_caseevent AS e SET village_id = c.region_id
FROM workflows_case AS c WHERE c.id = e.case_id AND e.village_id IS NULL
"""


FILL_SQLITE = """
UPDATE workflows_caseevent SET village_id =
    (SELECT region_id FROM workflows_case WHERE id = workflows_caseevent.case_id)
WHERE village_id IS NULL
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute(FILL_SQLITE)
        return
    schema_editor.execute("ALTER TABLE workflows_caseevent "
                          "DISABLE TRIGGER workflows_caseevent_append_only")
    schema_editor.execute(FILL)
    schema_editor.execute("ALTER TABLE workflows_caseevent "
                          "ENABLE TRIGGER workflows_caseevent_append_only")
    # the new foreign key is checked now, not at commit: the next operation alters the
    # table, which PostgreSQL refuses while deferred checks of it are pending
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("workflows", "0005_export_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="village",
            field=models.ForeignKey(db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="core.region",
                                    verbose_name="所属村(社区)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="caseevent",
            name="village",
            field=models.ForeignKey(db_index=False,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="core.region",
                                    verbose_name="所属村(社区)"),
        ),
    ]
