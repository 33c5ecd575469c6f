"""Set-based writes and reads of reference tables: one statement per table for thousands of rows.

Upserts go through `INSERT ... SELECT FROM unnest(arrays) ON CONFLICT (kode)`, so a release of
~8,000 rows loads in a handful of round trips; parents are linked by code in a second statement.
The checksum covers natural values only (codes, never ids or timestamps), so a cloned region and
the template it came from agree, and so do two schemas that loaded the same release at different
times.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from apps.reference.models import (
    JenisIzin,
    Nomenklatur,
    PerangkatDaerah,
    Rekening,
    StandarHarga,
    StandarHargaRekening,
    SumberDana,
)


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    # (column, PostgreSQL array element type) besides kode; "induk" is linked by code.
    columns: tuple[tuple[str, str], ...]
    has_parent: bool

    @property
    def key(self) -> str:
        """The unique key upserts conflict on: prices are unique within their price list."""
        return "daftar_id, kode" if self.model is StandarHarga else "kode"


TABLES: dict[str, Table] = {
    "nomenklatur": Table(
        Nomenklatur,
        (
            ("nama", "text"),
            ("tingkat", "text"),
            ("kode_lama", "text"),
            ("penunjang", "boolean"),
            ("kinerja", "text"),
            ("indikator", "text"),
            ("satuan", "text"),
            ("kekhususan", "text"),
            ("kode_sebelumnya", "text"),
            ("spm", "boolean"),
            ("jenis", "text"),
            ("tag", "text"),
            ("pelaksana", "text"),
            ("definisi_operasional", "text"),
        ),
        True,
    ),
    "rekening": Table(Rekening, (("nama", "text"), ("tingkat", "text")), True),
    "harga": Table(
        StandarHarga,
        (
            ("nama", "text"),
            ("jenis", "text"),
            ("spesifikasi", "text"),
            ("satuan", "text"),
            ("harga", "numeric"),
            ("ilustratif", "boolean"),
            ("catatan", "text"),
            ("tkdn", "numeric"),
            ("daftar_id", "bigint"),
        ),
        False,
    ),
    "izin": Table(
        JenisIzin,
        (
            ("nama", "text"),
            ("sektor", "text"),
            ("persyaratan", "jsonb"),
            ("waktu_hari_kerja", "smallint"),
            ("retribusi", "text"),
            ("dasar_hukum", "text"),
            ("berlaku", "boolean"),
            ("digantikan_oleh", "text"),
            ("sumber", "text"),
            ("standar_lengkap", "boolean"),
        ),
        False,
    ),
    "opd": Table(
        PerangkatDaerah, (("nama", "text"), ("singkatan", "text"), ("jenis", "text")), True
    ),
    "sumber_dana": Table(SumberDana, (("nama", "text"), ("keterangan", "text")), True),
}


@dataclass
class Changes:
    added: int = 0
    updated: int = 0
    restored: int = 0
    retired: int = 0
    # Rows left out because the importer asked to skip unknown accounts (reported by line).
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "ditambah": self.added,
            "diubah": self.updated,
            "dipulihkan": self.restored,
            "dipensiunkan": self.retired,
            "dilewati": self.skipped,
        }

    def __iadd__(self, other: "Changes") -> "Changes":
        self.added += other.added
        self.updated += other.updated
        self.restored += other.restored
        self.retired += other.retired
        self.skipped += other.skipped
        return self


def _table(kind: str) -> str:
    return TABLES[kind].model._meta.db_table


def existing_codes(kind: str, codes: Iterable[str]) -> set[str]:
    wanted = sorted(set(codes))
    if not wanted:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kode FROM {_table(kind)} WHERE kode = ANY(%s)",
            [wanted],
        )
        return {row[0] for row in cursor.fetchall()}


def codes_of_level(kind: str, codes: Iterable[str], tingkat: str) -> set[str]:
    wanted = sorted(set(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kode FROM {_table(kind)} WHERE kode = ANY(%s) AND tingkat = %s",
            [wanted, tingkat],
        )
        return {row[0] for row in cursor.fetchall()}


def upsert(kind: str, rows: Sequence[dict[str, Any]]) -> Changes:
    """Insert new codes, update changed ones, un-retire listed ones; link parents by code."""
    spec = TABLES[kind]
    table = _table(kind)
    names = [name for name, _ in spec.columns]
    codes = [row["kode"] for row in rows]
    changes = Changes()
    if not rows:
        return changes
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE retired_at IS NOT NULL AND kode = ANY(%s)",
            [codes],
        )
        changes.restored = cursor.fetchone()[0]
        arrays = [codes] + [[row[name] for row in rows] for name in names]
        casts = ", ".join(["%s::text[]"] + [f"%s::{kind_}[]" for _, kind_ in spec.columns])
        column_list = ", ".join(["kode", *names])
        assignments = ", ".join(f"{name} = EXCLUDED.{name}" for name in names)
        old = ", ".join(f"{table}.{name}" for name in names)
        new = ", ".join(f"EXCLUDED.{name}" for name in names)
        cursor.execute(
            f"""
            INSERT INTO {table} ({column_list}, retired_at)
            SELECT x.*, NULL::timestamptz FROM unnest({casts}) AS x({column_list})
            ON CONFLICT ({spec.key}) DO UPDATE SET {assignments}, retired_at = NULL
            WHERE ({old}) IS DISTINCT FROM ({new}) OR {table}.retired_at IS NOT NULL
            RETURNING (xmax = 0)
            """,
            arrays,
        )
        flags = [row[0] for row in cursor.fetchall()]
        changes.added = sum(1 for inserted in flags if inserted)
        changes.updated = len(flags) - changes.added - changes.restored
    if spec.has_parent:
        parents_link(kind, codes, [row["induk"] for row in rows])
    return changes


def parents_link(kind: str, codes: Sequence[str], parents: Sequence[str]) -> None:
    """Point each code's induk at the row holding the parent code (NULL when there is none)."""
    table = _table(kind)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS t SET induk_id = p.id
            FROM unnest(%s::text[], %s::text[]) AS x(kode, induk)
            LEFT JOIN {table} AS p ON p.kode = x.induk
            WHERE t.kode = x.kode AND t.induk_id IS DISTINCT FROM p.id
            """,
            [list(codes), list(parents)],
        )


def harga_links_replace(rows: Sequence[dict[str, Any]]) -> int:
    """Make each listed price's allowed accounts exactly the listed ones; returns links changed."""
    pairs = [(row["kode"], account) for row in rows for account in row["rekening"]]
    daftar = rows[0]["daftar_id"] if rows else None
    link = StandarHargaRekening._meta.db_table
    harga, rekening = _table("harga"), _table("rekening")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {link} AS l USING {harga} AS h, {rekening} AS r
            WHERE l.standar_harga_id = h.id AND l.rekening_id = r.id AND h.kode = ANY(%s)
              AND h.daftar_id = %s
              AND (h.kode, r.kode) NOT IN (SELECT * FROM unnest(%s::text[], %s::text[]))
            """,
            [[row["kode"] for row in rows], daftar, [p[0] for p in pairs], [p[1] for p in pairs]],
        )
        removed = int(cursor.rowcount)
        cursor.execute(
            f"""
            INSERT INTO {link} (standar_harga_id, rekening_id)
            SELECT h.id, r.id FROM unnest(%s::text[], %s::text[]) AS x(harga, rekening)
            JOIN {harga} AS h ON h.kode = x.harga AND h.daftar_id = %s
            JOIN {rekening} AS r ON r.kode = x.rekening
            ON CONFLICT (standar_harga_id, rekening_id) DO NOTHING
            """,
            [[p[0] for p in pairs], [p[1] for p in pairs], daftar],
        )
        return removed + int(cursor.rowcount)


def retire_missing(kind: str, keep: Iterable[str]) -> int:
    """Mark every current row whose code is not in `keep` as retired; nothing is deleted."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(kind)} SET retired_at = now() "
            "WHERE retired_at IS NULL AND NOT (kode = ANY(%s))",
            [sorted(set(keep))],
        )
        return int(cursor.rowcount)


# -- checksum and counts ------------------------------------------------------------------------

_ROW_TEXT = {
    "nomenklatur": "t.tingkat, coalesce(p.kode, ''), t.kode_lama, t.penunjang::text, t.kinerja, "
    "t.indikator, t.satuan, t.kekhususan, t.kode_sebelumnya, t.spm::text, t.jenis, t.tag, "
    "t.pelaksana, t.definisi_operasional",
    "rekening": "t.tingkat, coalesce(p.kode, '')",
    "izin": "t.sektor, t.persyaratan::text, coalesce(t.waktu_hari_kerja::text, ''), t.retribusi, "
    "t.dasar_hukum, t.berlaku::text, t.digantikan_oleh, t.sumber, t.standar_lengkap::text",
    "opd": "t.singkatan, t.jenis, coalesce(p.kode, '')",
    "sumber_dana": "t.keterangan, coalesce(p.kode, '')",
}


def table_digests() -> dict[str, str]:
    """md5 per table over its rows in code order (natural values and the retired flag only).
    Standard prices are left out: they are each region's own data, not the template's."""
    parts = []
    for kind, spec in TABLES.items():
        if kind == "harga":
            continue
        table = _table(kind)
        join = f"LEFT JOIN {table} AS p ON p.id = t.induk_id" if spec.has_parent else ""
        parts.append(
            f"SELECT '{kind}', md5(coalesce(string_agg(concat_ws(E'\\x1f', t.kode, t.nama, "
            f"{_ROW_TEXT[kind]}, (t.retired_at IS NOT NULL)::text), E'\\x1e' "
            f"ORDER BY t.kode COLLATE \"C\"), '')) FROM {table} AS t {join}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {name: digest for name, digest in cursor.fetchall()}


def counts() -> dict[str, int]:
    """Current (not retired) rows per kind and level."""
    result: dict[str, int] = {}
    queries = []
    for kind in ("nomenklatur", "rekening"):
        queries.append(
            f"SELECT '{kind}.' || tingkat, count(*) FROM {_table(kind)} "
            "WHERE retired_at IS NULL GROUP BY tingkat"
        )
    for kind in ("nomenklatur", "rekening", "harga", "izin", "opd", "sumber_dana"):
        queries.append(f"SELECT '{kind}', count(*) FROM {_table(kind)} WHERE retired_at IS NULL")
    queries.append(
        f"SELECT 'harga.' || jenis, count(*) FROM {_table('harga')} "
        "WHERE retired_at IS NULL GROUP BY jenis"
    )
    queries.append(
        f"SELECT 'izin.standar_lengkap', count(*) FROM {_table('izin')} "
        "WHERE retired_at IS NULL AND standar_lengkap"
    )
    queries.append(
        f"SELECT 'nomenklatur.tanpa_induk', count(*) FROM {_table('nomenklatur')} "
        "WHERE retired_at IS NULL AND induk_id IS NULL AND tingkat <> 'urusan' AND NOT penunjang"
    )
    queries.append(f"SELECT 'harga_rekening', count(*) FROM {StandarHargaRekening._meta.db_table}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(queries))
        for name, count in cursor.fetchall():
            result[name] = count
    return result
