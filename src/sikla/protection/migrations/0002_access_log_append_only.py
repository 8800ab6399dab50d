"""On PostgreSQL the database itself refuses to change or delete access-log rows: even a
direct SQL session of the application's user cannot rewrite who opened which child's file."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION protection_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'protection_accesslog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER protection_accesslog_no_update_delete
    BEFORE UPDATE OR DELETE ON protection_accesslog
    FOR EACH ROW EXECUTE FUNCTION protection_accesslog_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS protection_accesslog_no_update_delete ON protection_accesslog;
DROP FUNCTION IF EXISTS protection_accesslog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
