"""PostgreSQL refuses every change to an enacted budget version, whoever sends the SQL.

A BEFORE trigger on each table that belongs to a version (RKA, lines, revenue, financing) refuses
INSERT into, and UPDATE or DELETE of rows of, a version whose status is 'ditetapkan'; moving a row
into an enacted version is refused too. The version row itself may change only while it is a
draft (enacting is the last change it accepts) and an enacted version cannot be deleted.
SQLSTATE 23514 (check_violation) so Django raises IntegrityError.
"""

from django.db import migrations

TABLES = ("budgeting_rka", "budgeting_rincian", "budgeting_pendapatan", "budgeting_pembiayaan")

ROW_LOCK = """
CREATE OR REPLACE FUNCTION budgeting_refuse_enacted_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    locked boolean;
BEGIN
    -- The version table of the schema the row lives in, whatever the caller's search_path.
    EXECUTE format(
        'SELECT EXISTS (SELECT 1 FROM %I.budgeting_versi WHERE status = ''ditetapkan'' '
        'AND id IN ($1, $2))', TG_TABLE_SCHEMA)
    INTO locked
    USING CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.versi_id END,
          CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.versi_id END;
    IF locked THEN
        RAISE EXCEPTION 'APBD yang telah ditetapkan terkunci: % pada % ditolak', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION budgeting_refuse_enacted_versi() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'ditetapkan' THEN
        RAISE EXCEPTION 'APBD yang telah ditetapkan terkunci: % pada versi % ditolak', TG_OP, OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER budgeting_versi_lock BEFORE UPDATE OR DELETE ON budgeting_versi
    FOR EACH ROW EXECUTE FUNCTION budgeting_refuse_enacted_versi();
"""

ROW_TRIGGER = """
CREATE TRIGGER {table}_lock BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION budgeting_refuse_enacted_row();
"""

UNDO = """
DROP TRIGGER IF EXISTS budgeting_versi_lock ON budgeting_versi;
{drops}
DROP FUNCTION IF EXISTS budgeting_refuse_enacted_versi();
DROP FUNCTION IF EXISTS budgeting_refuse_enacted_row();
"""


class Migration(migrations.Migration):
    dependencies = [("budgeting", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=ROW_LOCK + "".join(ROW_TRIGGER.format(table=t) for t in TABLES),
            reverse_sql=UNDO.format(
                drops="\n".join(f"DROP TRIGGER IF EXISTS {t}_lock ON {t};" for t in TABLES)
            ),
        ),
    ]
