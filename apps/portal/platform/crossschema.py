"""The collection's reads across every region's schema (the portal's part of crossing schemas).

Why this module crosses schemas: the national landing page, the province pages and the price
comparison show every region side by side, and a page view must never visit hundreds of schemas.
So a periodic task copies from each active region, into public tables, only what is public by
construction (the latest version of each frozen publication: never a draft) and the standard
prices in force. Each function answers for SCHEMAS_PER_STATEMENT schemas in ONE statement
(UNION ALL over schema-qualified tables; the copies are INSERT ... SELECT, so no row passes
through Python), as provisioning.crossschema does, whose limit it shares. Schema names come
from Tenant rows (validated) and are quoted all the same.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from provisioning.crossschema import SCHEMAS_PER_STATEMENT, schemas_with_tables

PUBLICATIONS = "portal_publikasi"
PRICE_LISTS = "reference_daftarharga"
PRICES = "reference_standarharga"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _union(schemas: Sequence[str], branch: str) -> list[tuple[Any, ...]]:
    """Run `branch` (`{s}` = the quoted schema, first column the schema name as %s) for each
    schema, UNION ALL, SCHEMAS_PER_STATEMENT at a time."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(schemas), SCHEMAS_PER_STATEMENT):
        chunk = list(schemas[start : start + SCHEMAS_PER_STATEMENT])
        sql = " UNION ALL ".join(f"({branch.format(s=_q(schema))})" for schema in chunk)
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            rows += cursor.fetchall()
    return rows


def portal_ready(schemas: Sequence[str]) -> list[str]:
    """The schemas holding the portal's and the price lists' tables (one catalog query)."""
    needed = {PUBLICATIONS, PRICE_LISTS, PRICES}
    found = schemas_with_tables(schemas, sorted(needed))
    return [schema for schema in schemas if found.get(schema) == needed]


def fingerprints(schemas: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Schema -> (publications fingerprint, prices-in-force fingerprint). Publications only
    grow (a row is never updated), so their count and last id name their state; the prices in
    force are named by their lists, item count, last id and sum."""
    branch = (
        "SELECT %s, (SELECT count(*) || ':' || COALESCE(max(id), 0) FROM {s}.portal_publikasi), "
        "(SELECT COALESCE(string_agg(d.id || '/' || d.versi, ',' ORDER BY d.id), '') || ':' "
        "|| (SELECT count(*) || ':' || COALESCE(max(h.id), 0) || ':' || COALESCE(sum(h.harga), 0) "
        "FROM {s}.reference_standarharga h JOIN {s}.reference_daftarharga x ON x.id = h.daftar_id "
        "WHERE x.status = 'berlaku' AND h.retired_at IS NULL) "
        "FROM {s}.reference_daftarharga d WHERE d.status = 'berlaku')"
    )
    return {schema: (pubs, prices) for schema, pubs, prices in _union(schemas, branch)}


def _insert_select(
    targets: Sequence[tuple[str, int]], table: str, columns: str, branch: str
) -> int:
    """INSERT INTO public `table` (`columns`) the UNION ALL of `branch` over each (schema, row
    id in public): `{s}` is the quoted schema, the one %s its id. Returns the rows written."""
    written = 0
    for start in range(0, len(targets), SCHEMAS_PER_STATEMENT):
        chunk = targets[start : start + SCHEMAS_PER_STATEMENT]
        union = " UNION ALL ".join(f"({branch.format(s=_q(schema))})" for schema, _id in chunk)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO public.{table} ({columns}) {union}", [pk for _s, pk in chunk]
            )
            written += cursor.rowcount
    return written


def publications_copy(targets: Sequence[tuple[str, int]]) -> int:
    """The latest version of each kind and year of each schema, as frozen, into
    portal_platform_koleksipublikasi (one INSERT ... SELECT per chunk of schemas)."""
    branch = (
        "SELECT DISTINCT ON (jenis, tahun) %s, jenis, tahun, versi, sha256, isi::jsonb, "
        "diterbitkan_pada FROM {s}.portal_publikasi ORDER BY jenis, tahun, versi DESC"
    )
    columns = "daerah_id, jenis, tahun, versi, sha256, isi, diterbitkan_pada"
    return _insert_select(targets, "portal_platform_koleksipublikasi", columns, branch)


# Lower case, every run of characters other than letters, digits and "_" as one space, trimmed:
# apps.portal.platform.services.normalised in SQL (how names and units match across regions).
def _normalised(column: str) -> str:
    return f"btrim(regexp_replace(lower({column}), '[^[:alnum:]_]+', ' ', 'g'))"


def prices_copy(targets: Sequence[tuple[str, int]]) -> int:
    """The standard prices of each schema's lists in force (retired items left out) into
    portal_platform_koleksiharga, with their matching key (one INSERT ... SELECT per chunk)."""
    key = f"left({_normalised('h.nama')} || '|' || {_normalised('h.satuan')}, 300)"
    branch = (
        f"SELECT %s, d.tahun, h.jenis, h.kode, h.nama, h.satuan, {key}, h.harga "
        "FROM {s}.reference_standarharga h JOIN {s}.reference_daftarharga d ON d.id = h.daftar_id "
        "WHERE d.status = 'berlaku' AND h.retired_at IS NULL"
    )
    columns = "daerah_id, tahun, jenis, kode, nama, satuan, kunci, harga"
    return _insert_select(targets, "portal_platform_koleksiharga", columns, branch)
