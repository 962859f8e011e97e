"""On PostgreSQL, a trigger refuses UPDATE and DELETE of case events (append-only log)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION workflows_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'workflows_caseevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER workflows_caseevent_append_only
BEFORE UPDATE OR DELETE ON workflows_caseevent
FOR EACH ROW EXECUTE FUNCTION workflows_caseevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS workflows_caseevent_append_only ON workflows_caseevent;
DROP FUNCTION IF EXISTS workflows_caseevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
