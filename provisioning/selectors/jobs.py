"""Reads for provisioning: jobs, the console's region list, and schema catalog snapshots.

The catalog and row digests read other schemas than the current one on purpose: they compare a
cloned region with the template (or with a migrated region) and are used by tests and diagnostics.
"""

from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from apps.access.scoping import regions_visible, scope_by_province
from apps.accounts.models import User
from provisioning.clone import quote_ident
from provisioning.models import ProvisioningJob
from tenants.models import Region, Tenant


def job_list_visible(*, user: User) -> QuerySet[ProvisioningJob]:
    """Jobs a console user may see: all for central support, their province's for a provincial
    admin, none otherwise."""
    jobs = ProvisioningJob.objects.select_related("region", "tenant", "requested_by")
    return regions_visible(user, jobs, kode_field="region__kode")


def province_codes_visible(*, user: User) -> list[str]:
    """The provinces whose kab/kota the user may provision."""
    provinces = Region.objects.filter(tingkat=Region.Level.PROVINSI)
    return list(scope_by_province(user, provinces, "kode").values_list("kode", flat=True))


def kabkota_list_for_province(*, province_code: str) -> list[dict[str, Any]]:
    """Every kab/kota of a province, provisioned or not, with its tenant and latest job."""
    regions = list(
        Region.objects.filter(tingkat=Region.Level.KABUPATEN_KOTA, induk_id=province_code).order_by(
            "kode"
        )
    )
    tenants = {
        t.region_id: t
        for t in Tenant.objects.filter(region__in=regions).prefetch_related("domains")
    }
    latest: dict[str, ProvisioningJob] = {}
    for job in ProvisioningJob.objects.filter(region__in=regions).order_by("created_at", "id"):
        latest[job.region_id] = job
    return [
        {"region": r, "tenant": tenants.get(r.kode), "job": latest.get(r.kode)} for r in regions
    ]


def schema_catalog(*, schema: str) -> dict[str, Any]:
    """A schema-independent snapshot of a schema's catalog: tables and columns, constraints and
    indexes (names and definitions), sequences (definition, owner and current value), triggers."""
    snapshot: dict[str, Any] = {}
    ns = {"ns": quote_ident(schema)}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('search_path', %s, true)", [quote_ident(schema)])
        cursor.execute(
            """
            SELECT c.relname, c.relkind, c.relpersistence FROM pg_class c
             WHERE c.relnamespace = %(ns)s::regnamespace ORDER BY c.relname""",
            ns,
        )
        snapshot["relations"] = [tuple(r) for r in cursor.fetchall()]
        cursor.execute(
            """
            SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                   a.attnotnull, a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid),
                   a.attcollation
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind IN ('r', 'v')
               AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY c.relname, a.attnum""",
            ns,
        )
        # attnum differs after dropped columns; the order of live columns is what matters.
        snapshot["columns"] = [tuple(r[:1]) + tuple(r[2:]) for r in cursor.fetchall()]
        cursor.execute(
            """
            SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.convalidated,
                   k.condeferrable, k.condeferred, i.relname
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
              LEFT JOIN pg_class i ON i.oid = k.conindid
             WHERE k.connamespace = %(ns)s::regnamespace ORDER BY c.relname, k.conname""",
            ns,
        )
        snapshot["constraints"] = [tuple(r) for r in cursor.fetchall()]
        cursor.execute(
            """
            SELECT tc.relname, ic.relname,
                   replace(pg_get_indexdef(i.indexrelid), %(prefix)s, 'ON '),
                   i.indisunique, i.indisprimary
              FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_class tc ON tc.oid = i.indrelid
             WHERE tc.relnamespace = %(ns)s::regnamespace ORDER BY ic.relname""",
            {**ns, "prefix": f"ON {schema}."},
        )
        snapshot["indexes"] = [tuple(r) for r in cursor.fetchall()]
        cursor.execute(
            """
            SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin,
                   s.seqmax, s.seqcache, s.seqcycle, d.deptype, tc.relname, a.attname
              FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
              LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                   AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
              LEFT JOIN pg_class tc ON tc.oid = d.refobjid
              LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE c.relnamespace = %(ns)s::regnamespace ORDER BY c.relname""",
            ns,
        )
        sequences = [tuple(r) for r in cursor.fetchall()]
        values = []
        for row in sequences:
            cursor.execute(f"SELECT last_value, is_called FROM {quote_ident(row[0])}")
            values.append((row[0], *cursor.fetchone()))
        snapshot["sequences"] = sequences
        snapshot["sequence_values"] = values
        cursor.execute(
            """
            SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
              JOIN pg_class c ON c.oid = t.tgrelid
             WHERE c.relnamespace = %(ns)s::regnamespace AND NOT t.tgisinternal
             ORDER BY c.relname, t.tgname""",
            ns,
        )
        snapshot["triggers"] = [
            (r[0], r[1], r[2].replace(f" ON {schema}.", " ON ")) for r in cursor.fetchall()
        ]
    return snapshot


def schema_table_digests(*, schema: str) -> dict[str, tuple[int, str]]:
    """Per table: (row count, md5 of its rows in a stable order) — compares data across schemas."""
    digests: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
            "AND c.relkind = 'r' ORDER BY c.relname",
            [quote_ident(schema)],
        )
        tables = [r[0] for r in cursor.fetchall()]
        for table in tables:
            qualified = f"{quote_ident(schema)}.{quote_ident(table)}"
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                f"FROM {qualified} t"
            )
            count, digest = cursor.fetchone()
            digests[table] = (int(count), str(digest))
    return digests
