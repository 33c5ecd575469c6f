"""A closed stage's snapshot is immutable in PostgreSQL itself: a trigger refuses every UPDATE and
DELETE on the table, whoever sends the SQL (the ORM, a shell, psql). The function lives in the
region's own schema, so a region cloned from the template carries its own copy."""

from django.db import migrations

SQL = """
CREATE FUNCTION planning_snapshot_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'planning_snapshot % refused: a snapshot of a closed stage is immutable', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER planning_snapshot_immutable BEFORE UPDATE OR DELETE ON planning_snapshot
    FOR EACH ROW EXECUTE FUNCTION planning_snapshot_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS planning_snapshot_immutable ON planning_snapshot;
DROP FUNCTION IF EXISTS planning_snapshot_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_rpjmd_renstra")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
