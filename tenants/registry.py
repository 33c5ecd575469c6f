"""The region registry: the Kemendagri kode wilayah list shipped in data/wilayah (MIT, see LICENSE).

Loading is idempotent: rows are upserted by kode in one transaction through a COPY into a temporary
table, so a second load changes nothing and a changed name is corrected in place.
"""

import csv
import hashlib
import io
import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from tenants.models import Region

_PREFIX = re.compile(r"^(Kabupaten Administrasi|Kota Administrasi|Kabupaten|Kota)\s+", re.I)


def _label(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def region_slugs(rows: list[dict[str, str]]) -> dict[str, str]:
    """Subdomain labels: `buol`, `medan`; `kab-bandung`/`kota-bandung` where names collide;
    provinces `prov-sulawesi-tengah`. Deterministic from the list alone."""
    kabkota = [r for r in rows if r["tingkat"] == Region.Level.KABUPATEN_KOTA]
    bases = {r["kode"]: _label(_PREFIX.sub("", r["nama"])) for r in kabkota}
    counts = Counter(bases.values())
    slugs: dict[str, str] = {}
    for r in kabkota:
        base = bases[r["kode"]]
        if counts[base] > 1:
            base = ("kota-" if int(r["kode"][3:5]) >= 70 else "kab-") + base
        slugs[r["kode"]] = base
    for r in rows:
        if r["tingkat"] == Region.Level.PROVINSI:
            slugs[r["kode"]] = "prov-" + _label(r["nama"])
    return slugs


def registry_path() -> Path:
    return Path(settings.DATA_DIR) / "wilayah" / "wilayah_2025.csv"


@transaction.atomic
def region_registry_load(*, path: Path | None = None) -> int:
    """Upsert every row of the list; returns how many rows were inserted or changed."""
    source = path or registry_path()
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    slugs = region_slugs(rows)
    # Parents before children so the self-reference holds row by row; codes sort that way.
    rows.sort(key=lambda r: (len(r["kode"]), r["kode"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for r in rows:
        writer.writerow(
            [r["kode"], r["nama"], r["tingkat"], r["kode_induk"] or None, slugs.get(r["kode"], "")]
        )
    buffer.seek(0)
    table = Region._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE region_incoming (kode text, nama text, tingkat text, "
            "kode_induk text, slug text) ON COMMIT DROP"
        )
        cursor.copy_expert("COPY region_incoming FROM STDIN WITH (FORMAT csv, NULL '')", buffer)
        cursor.execute(
            f"""
            INSERT INTO {table} (kode, nama, tingkat, kode_induk, slug)
            SELECT kode, nama, tingkat, kode_induk, COALESCE(slug, '') FROM region_incoming
            ON CONFLICT (kode) DO UPDATE SET
                nama = EXCLUDED.nama, tingkat = EXCLUDED.tingkat,
                kode_induk = EXCLUDED.kode_induk, slug = EXCLUDED.slug
            WHERE ({table}.nama, {table}.tingkat, {table}.kode_induk, {table}.slug)
                IS DISTINCT FROM
                  (EXCLUDED.nama, EXCLUDED.tingkat, EXCLUDED.kode_induk, EXCLUDED.slug)
            """
        )
        return int(cursor.rowcount)


def registry_checksum() -> str:
    """SHA-256 over the registry as stored, ordered by kode (for comparing deployments)."""
    digest = hashlib.sha256()
    for kode, nama, tingkat, induk in (
        Region.objects.order_by("kode")
        .values_list("kode", "nama", "tingkat", "induk_id")
        .iterator(chunk_size=5000)
    ):
        digest.update(f"{kode}|{nama}|{tingkat}|{induk or ''}\n".encode())
    return digest.hexdigest()
