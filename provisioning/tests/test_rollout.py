from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from provisioning import crossschema, rollout, services
from provisioning.errors import RolloutError
from provisioning.models import RolloutItem
from provisioning.tests.conftest import raw_connection, tenant_for_schema
from tenants.models import Tenant

PROBE_COLUMN = "rollout_probe"


def loader_with(*extra: migrations.Migration) -> MigrationLoader:
    """The graph from disk plus migrations known only to these tests."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for migration in extra:
        key = (migration.app_label, migration.name)
        loader.disk_migrations[key] = migration
        loader.graph.add_node(key, migration)
        for parent in migration.dependencies:
            loader.graph.add_dependency(migration, key, tuple(parent))
    return loader


@pytest.fixture
def code_migrations(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """code_migrations(m, ...): from now on the code's migrations include `m` (as if on disk)."""

    def add(*extra: migrations.Migration) -> None:
        monkeypatch.setattr(rollout, "loader_build", lambda: loader_with(*extra))

    return add


def probe_migration() -> migrations.Migration:
    """A new audit migration that adds a nullable column, known only to these tests."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaf = next(key for key in loader.graph.leaf_nodes() if key[0] == "audit")
    probe = type(
        "Migration",
        (migrations.Migration,),
        {
            "dependencies": [leaf],
            "operations": [
                migrations.AddField("auditentry", PROBE_COLUMN, models.IntegerField(null=True))
            ],
        },
    )
    migration: migrations.Migration = probe("9999_rollout_probe", "audit")
    return migration


def _publish(
    code_migrations: Callable[..., None], label: str, migration: migrations.Migration
) -> Any:
    code_migrations(migration)
    return services.template_version_publish(label=label)


def has_probe(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'audit_auditentry' AND column_name = %s",
            [schema_name, PROBE_COLUMN],
        )
        return cursor.fetchone() is not None


def test_finds_what_every_schema_lacks_in_one_query(
    db: None, scratch: Callable[[str], str], django_assert_num_queries: Callable[..., Any]
) -> None:
    # given a current schema and one without the probe migration's row
    schemas = [scratch("ops_plan_a"), scratch("ops_plan_b")]
    probe = probe_migration()
    loader = loader_with(probe)
    expected = rollout.expected_migrations(loader)
    crossschema.schemas_with_tables(schemas, ["django_migrations"])  # the connection is set up
    # when
    with django_assert_num_queries(3):  # the catalog, the counts, then the lagging schemas' rows
        missing = crossschema.migrations_missing(schemas, expected)
    # then
    assert missing == {s: [("audit", probe.name)] for s in schemas}
    # and current schemas are recognised from the one counting query
    current = rollout.expected_migrations(rollout.loader_build())
    with django_assert_num_queries(2):
        assert crossschema.migrations_missing(schemas, current) == {s: [] for s in schemas}
    assert crossschema.migrations_missing(["ops_no_such_schema"], expected) == {}


def test_a_failing_region_is_marked_and_the_others_upgrade_then_a_retry_finishes_it(
    db: None, scratch: Callable[[str], str], code_migrations: Callable[..., None]
) -> None:
    # given three regions, one of which already has a column the migration adds
    names = [scratch(n) for n in ("ops_roll_a", "ops_roll_b", "ops_roll_c")]
    for name in names:
        tenant_for_schema(name)
    conn = raw_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "ops_roll_b".audit_auditentry ADD COLUMN {PROBE_COLUMN} int')
    probe = probe_migration()
    version = _publish(code_migrations, "uji-rollout", probe)

    # when
    job = services.rollout_create(template_version=version, schema_names=names)
    job = services.rollout_run(job=job)

    # then the others are upgraded and the failing one carries its error
    items = {item.schema_name: item for item in job.items.all()}
    assert items["ops_roll_a"].status == RolloutItem.Status.DONE
    assert items["ops_roll_c"].status == RolloutItem.Status.DONE
    assert items["ops_roll_a"].path == "sql"
    assert items["ops_roll_a"].migrations == ["audit.9999_rollout_probe"]
    failed = items["ops_roll_b"]
    assert failed.status == RolloutItem.Status.FAILED
    assert PROBE_COLUMN in failed.error
    assert job.status == job.Status.DONE_WITH_ERRORS
    assert has_probe("ops_roll_a") and has_probe("ops_roll_c")
    plan = rollout.plan_build(names)
    assert plan.pending("ops_roll_a") == [] and plan.pending("ops_roll_c") == []
    assert plan.pending("ops_roll_b") == [("audit", probe.name)]

    # when the cause is removed and the region retried alone
    with conn.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "ops_roll_b".audit_auditentry DROP COLUMN {PROBE_COLUMN}')
    conn.close()
    retried = services.rollout_item_retry(item=failed)

    # then it is upgraded and the job is done
    assert retried.status == RolloutItem.Status.DONE
    assert retried.attempts == 2
    assert has_probe("ops_roll_b")
    job.refresh_from_db()
    assert job.status == job.Status.DONE

    # and a second rollout of the same version skips every region without migrating
    again = services.rollout_run(
        job=services.rollout_create(template_version=version, schema_names=names)
    )
    assert set(again.items.values_list("status", flat=True)) == {RolloutItem.Status.SKIPPED}


def test_python_migrations_take_the_per_schema_path(
    db: None, scratch: Callable[[str], str], code_migrations: Callable[..., None]
) -> None:
    # given a migration that runs Python in each region
    names = [scratch("ops_py_a"), scratch("ops_py_b")]
    for name in names:
        tenant_for_schema(name)
    base = probe_migration()

    def touch(apps: object, schema_editor: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditchainhead SET seq = seq")

    python = type(
        "Migration",
        (migrations.Migration,),
        {
            "dependencies": list(base.dependencies),
            "operations": [migrations.RunPython(touch, migrations.RunPython.noop)],
        },
    )("9999_rollout_python", "audit")
    version = _publish(code_migrations, "uji-python", python)
    # when
    job = services.rollout_run(
        job=services.rollout_create(template_version=version, schema_names=names)
    )
    # then
    statuses = set(job.items.values_list("status", "path"))
    assert statuses == {(RolloutItem.Status.DONE, "python")}


def test_a_retry_refuses_an_item_that_did_not_fail(db: None, medan: object) -> None:
    version = services.template_version_publish(label="uji-tolak")
    job = services.rollout_create(template_version=version, schema_names=["daerah_12_71"])
    item = job.items.get()
    with pytest.raises(RolloutError):
        services.rollout_item_retry(item=item)


def test_publish_and_roll_out_through_the_api(
    console: Client, medan: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    published = console.post(
        "/api/operations/template-versions/", {"label": "uji-api"}, content_type="application/json"
    )
    assert published.status_code == 201, published.content
    with django_capture_on_commit_callbacks(execute=True):
        started = console.post(
            "/api/operations/rollouts/",
            {"template_version": "uji-api", "schema_names": [medan.schema_name]},
            content_type="application/json",
        )
    assert started.status_code == 202, started.content
    job = console.get(f"/api/operations/rollouts/{started.json()['id']}/").json()
    assert job["status"] == "done"
    assert [(i["schema_name"], i["status"]) for i in job["items"]] == [(medan.schema_name, "done")]
    medan.refresh_from_db()
    assert medan.template_version is not None and medan.template_version.label == "uji-api"
    duplicate = console.post(
        "/api/operations/template-versions/", {"label": "uji-api"}, content_type="application/json"
    )
    assert duplicate.status_code == 409 and duplicate.json()["field"] == "label"


def _public_has_column(table: str, column: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = %s AND column_name = %s",
            [table, column],
        )
        return cursor.fetchone() is not None


def _session_probe(*, runs_python: bool) -> migrations.Migration:
    """A sessions migration (an app in both schema lists: public has django_session too)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaf = next(key for key in loader.graph.leaf_nodes() if key[0] == "sessions")
    operations: list[Any] = [
        migrations.AddField("session", PROBE_COLUMN, models.IntegerField(null=True))
    ]
    if runs_python:
        operations.append(migrations.RunPython(migrations.RunPython.noop))
    migration = type(
        "Migration", (migrations.Migration,), {"dependencies": [leaf], "operations": operations}
    )
    probe: migrations.Migration = migration("9999_public_probe", "sessions")
    return probe


@pytest.mark.parametrize("runs_python", [False, True], ids=["sql-replay", "python"])
def test_a_region_lacking_a_table_fails_and_public_is_never_touched(
    runs_python: bool,
    db: None,
    scratch: Callable[[str], str],
    code_migrations: Callable[..., None],
) -> None:
    # given regions of which the last lacks django_session, a table public also has
    prefix = "ops_pub_py" if runs_python else "ops_pub_sql"
    names = [scratch(f"{prefix}_a"), scratch(f"{prefix}_b"), scratch(f"{prefix}_c")]
    for name in names:
        tenant_for_schema(name)
    conn = raw_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{names[2]}".django_session')
    conn.close()
    probe = _session_probe(runs_python=runs_python)
    version = _publish(code_migrations, f"uji-{prefix}", probe)
    # when the version is rolled out
    job = services.rollout_run(
        job=services.rollout_create(template_version=version, schema_names=names)
    )
    # then that region failed (to be retried), the others are done, and public is untouched
    items = {item.schema_name: item for item in job.items.all()}
    assert items[names[2]].status == RolloutItem.Status.FAILED
    assert "django_session" in items[names[2]].error
    assert {items[n].status for n in names[:2]} == {RolloutItem.Status.DONE}
    assert items[names[0]].path == ("python" if runs_python else "sql")
    assert not _public_has_column("django_session", PROBE_COLUMN)
    assert rollout.plan_build(names).pending(names[2]) == [("sessions", probe.name)]
