"""A snapshot is immutable in PostgreSQL itself: raw UPDATE and DELETE are refused by a trigger,
whoever sends them; a region cloned from the template carries the trigger too."""

import pytest
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.planning.models import Snapshot, Stage
from apps.planning.services.calendar import stage_close
from apps.planning.services.plan import plan_entry_create
from apps.planning.tests.conftest import MakePerson, entry_input
from tenants.models import Tenant


def _snapshot(stages: dict[str, Stage], person: MakePerson) -> Snapshot:
    bappeda = person(Role.BAPPEDA)
    plan_entry_create(actor=bappeda, data=entry_input())
    return stage_close(actor=bappeda, stage=stages[Stage.Kind.RKPD_AWAL])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE planning_snapshot SET isi = '{}' WHERE id = %s",
        "UPDATE planning_snapshot SET sha256 = repeat('0', 64) WHERE id = %s",
        "DELETE FROM planning_snapshot WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_a_snapshot(
    stages: dict[str, Stage], person: MakePerson, sql: str
) -> None:
    snapshot = _snapshot(stages, person)
    with (
        pytest.raises(DatabaseError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [snapshot.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT isi, sha256 FROM planning_snapshot WHERE id = %s", [snapshot.pk])
        assert cursor.fetchone() == (snapshot.isi, snapshot.sha256)


def test_the_orm_is_refused_too_and_new_snapshots_still_insert(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    snapshot = _snapshot(stages, person)
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).update(isi="diubah")
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).delete()
    later = stage_close(actor=person(Role.BAPPEDA), stage=stages[Stage.Kind.RKPD_RANCANGAN])
    assert Snapshot.objects.filter(pk__in=[snapshot.pk, later.pk]).count() == 2


def test_every_region_and_the_template_carry_the_trigger(in_medan: Tenant, buol: Tenant) -> None:
    from django.conf import settings

    schemas = [in_medan.schema_name, buol.schema_name, settings.TEMPLATE_SCHEMA_NAME]
    for schema in schemas:
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.tgname, n.nspname FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid"
                " JOIN pg_proc p ON p.oid = t.tgfoid"
                " JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE c.relname = 'planning_snapshot' AND c.relnamespace = %s::regnamespace"
                " AND NOT t.tgisinternal",
                [schema],
            )
            # the function is the region's own, not the template's
            assert cursor.fetchall() == [("planning_snapshot_immutable", schema)], schema
