"""The collection's reads across every region's schema (the portal's part of crossing schemas).

Why this module crosses schemas: the national landing page, the province pages and the price
comparison show every region side by side, and a page view must never visit hundreds of schemas.
So a periodic task copies, from each active region, only what is public by construction (the
latest version of each frozen publication: never a draft) and the standard prices in force,
into public tables. Each function answers for SCHEMAS_PER_STATEMENT schemas in ONE statement
(UNION ALL over schema-qualified tables), as provisioning.crossschema does, whose limit it
shares. Schema names come from Tenant rows (validated) and are quoted all the same.
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


def latest_publications(schemas: Sequence[str]) -> list[tuple[Any, ...]]:
    """(schema, jenis, tahun, versi, sha256, isi text, diterbitkan_pada): the latest version of
    each kind and year, as frozen."""
    branch = (
        "SELECT DISTINCT ON (jenis, tahun) %s, jenis, tahun, versi, sha256, isi, diterbitkan_pada "
        "FROM {s}.portal_publikasi ORDER BY jenis, tahun, versi DESC"
    )
    return _union(schemas, branch)


def prices_in_force(schemas: Sequence[str]) -> list[tuple[Any, ...]]:
    """(schema, tahun, jenis, kode, nama, satuan, harga) of the price lists in force, without
    retired items."""
    branch = (
        "SELECT %s, d.tahun, h.jenis, h.kode, h.nama, h.satuan, h.harga "
        "FROM {s}.reference_standarharga h JOIN {s}.reference_daftarharga d ON d.id = h.daftar_id "
        "WHERE d.status = 'berlaku' AND h.retired_at IS NULL"
    )
    return _union(schemas, branch)
