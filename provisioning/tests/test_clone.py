"""The catalog copy: a clone is the template, name for name and value for value, and later
migrations that address Django-named constraints apply to it."""

from typing import Any

import pytest
from django.conf import settings
from django.db import connection, models
from django.test.utils import isolate_apps
from django_tenants.utils import schema_context

from provisioning.clone import plan_cache_clear, plan_for, schema_clone
from provisioning.errors import CloneError
from provisioning.selectors import schema_catalog, schema_table_digests
from tenants.models import Tenant
from tests.support import tenant_create_migrated

TEMPLATE = settings.TEMPLATE_SCHEMA_NAME
SCRATCH_KODE = "72.10"  # Kabupaten Sigi: provisioned by no test session fixture


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def _constraint_names(schema: str, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            # NOT NULL constraints (named since PostgreSQL 18) are not the subject here.
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype <> 'n'",
            [f'"{schema}"."{table}"'],
        )
        return {r[0] for r in cursor.fetchall()}


def test_a_clone_has_the_templates_catalog_rows_and_sequence_values(db: None) -> None:
    # when
    schema_clone(source=TEMPLATE, target="clone_scratch")

    # then
    template, clone = schema_catalog(schema=TEMPLATE), schema_catalog(schema="clone_scratch")
    assert template["relations"], "the template has tables"
    for part in ("relations", "columns", "constraints", "indexes", "sequences", "triggers"):
        assert clone[part] == template[part], part
    assert clone["sequence_values"] == template["sequence_values"]
    assert schema_table_digests(schema="clone_scratch") == schema_table_digests(schema=TEMPLATE)


def test_a_cloned_catalog_equals_a_freshly_migrated_one(db: None) -> None:
    # given: a region built the vanilla way (create schema, replay every migration)
    migrated = tenant_create_migrated(kode=SCRATCH_KODE)
    fresh = schema_catalog(schema=migrated.schema_name)

    # when: the template is cloned, and so is the fresh region itself
    schema_clone(source=TEMPLATE, target="clone_scratch")
    schema_clone(source=migrated.schema_name, target="clone_of_fresh")

    # then: the template's clone has the migrated structure, name for name and definition for
    # definition (the template's sequence values differ once it holds reference rows, and a
    # shared test database advances them in rolled-back tests: sequences ignore rollback) ...
    clone = schema_catalog(schema="clone_scratch")
    for part in ("relations", "columns", "constraints", "indexes", "sequences", "triggers"):
        assert clone[part] == fresh[part], part
    # ... and a clone of a freshly migrated schema equals it, sequence values included.
    assert schema_catalog(schema="clone_of_fresh") == fresh
    assert schema_table_digests(schema="clone_of_fresh") == schema_table_digests(
        schema=migrated.schema_name
    )


def test_a_migration_removing_a_named_unique_constraint_applies_to_a_clone(db: None) -> None:
    constraint = models.UniqueConstraint(fields=["kode", "tahun"], name="pagu_kode_tahun_uniq")

    with isolate_apps("provisioning"):

        class Pagu(models.Model):  # noqa: DJ008 - a throwaway model
            kode = models.CharField(max_length=20, unique=True)
            tahun = models.PositiveIntegerField()

            class Meta:
                app_label = "provisioning"
                db_table = "test_pagu"
                constraints = [constraint]

        # given: the template gained the table through a schema migration
        with schema_context(TEMPLATE), connection.schema_editor() as editor:
            editor.create_model(Pagu)

        # when: a region is cloned, then a later migration drops and alters named constraints
        schema_clone(source=TEMPLATE, target="clone_scratch")
        assert _constraint_names("clone_scratch", "test_pagu") == _constraint_names(
            TEMPLATE, "test_pagu"
        )
        with schema_context("clone_scratch"), connection.schema_editor() as editor:
            editor.remove_constraint(Pagu, constraint)
            old_field = Pagu._meta.get_field("kode")
            new_field: Any = models.CharField(max_length=20)
            new_field.set_attributes_from_name("kode")
            new_field.model = Pagu
            editor.alter_field(Pagu, old_field, new_field)

    # then
    assert "pagu_kode_tahun_uniq" not in _constraint_names("clone_scratch", "test_pagu")
    assert not [n for n in _constraint_names("clone_scratch", "test_pagu") if "kode" in n]


def test_the_plan_is_reused_until_the_template_catalog_changes(db: None) -> None:
    plan_cache_clear()
    first = plan_for(source=TEMPLATE)
    assert plan_for(source=TEMPLATE) is first

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{TEMPLATE}".test_extra (id bigint PRIMARY KEY)')

    changed = plan_for(source=TEMPLATE)
    assert changed is not first
    assert "test_extra" in changed.tables


def test_refuses_a_template_holding_objects_it_cannot_copy(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TYPE \"{TEMPLATE}\".mood AS ENUM ('ok')")

    with pytest.raises(CloneError):
        schema_clone(source=TEMPLATE, target="clone_scratch")


def test_a_failed_clone_leaves_no_schema(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA clone_scratch")

    with pytest.raises(Exception):  # noqa: B017 - the duplicate schema error itself
        schema_clone(source=TEMPLATE, target="clone_scratch")
    assert not Tenant.objects.filter(schema_name="clone_scratch").exists()


def test_copies_functions_triggers_views_comments_and_serial_sequences(db: None) -> None:
    # given: objects Django rarely makes but a hand-written migration may
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SET LOCAL search_path = "{TEMPLATE}";
            CREATE TABLE test_ledger (id serial PRIMARY KEY, amount numeric(12,2) NOT NULL
                CONSTRAINT test_ledger_amount_positive CHECK (amount > 0), note text);
            COMMENT ON TABLE test_ledger IS 'buku besar';
            COMMENT ON COLUMN test_ledger.note IS 'catatan';
            CREATE FUNCTION test_ledger_touch() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN NEW.note := coalesce(NEW.note, 'auto'); RETURN NEW; END $$;
            CREATE TRIGGER test_ledger_touch BEFORE INSERT ON test_ledger
                FOR EACH ROW EXECUTE FUNCTION test_ledger_touch();
            CREATE VIEW test_ledger_big AS SELECT id, amount FROM test_ledger WHERE amount > 100;
            INSERT INTO test_ledger (amount) VALUES (5), (500);
            RESET search_path;
            """
        )

    # when
    schema_clone(source=TEMPLATE, target="clone_scratch")

    # then
    template, clone = schema_catalog(schema=TEMPLATE), schema_catalog(schema="clone_scratch")
    for part in ("relations", "columns", "constraints", "indexes", "sequences", "triggers"):
        assert clone[part] == template[part], part
    assert clone["sequence_values"] == template["sequence_values"]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clone_scratch.test_ledger (amount) VALUES (700) RETURNING id, note"
        )
        assert cursor.fetchone() == (3, "auto")
        cursor.execute("SELECT count(*) FROM clone_scratch.test_ledger_big")
        assert cursor.fetchone() == (2,)
        cursor.execute("SELECT obj_description('clone_scratch.test_ledger'::regclass, 'pg_class')")
        assert cursor.fetchone() == ("buku besar",)
    assert not _schema_exists("clone_scratch_other")
