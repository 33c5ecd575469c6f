"""Filling a region's kecamatan and desa from the public registry, server-side."""

from django.db import connection, transaction

from apps.wilayah.models import Desa, Kecamatan
from tenants.models import Region


@transaction.atomic
def wilayah_fill(*, kode_kabkota: str) -> tuple[int, int]:
    """Copy the kecamatan and desa/kelurahan under one kab/kota into the current schema.

    Runs in the caller's schema context (a region's schema); returns (kecamatan, desa) counts.
    """
    registry = f'public."{Region._meta.db_table}"'
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{Kecamatan._meta.db_table}" (kode, nama) '
            f"SELECT kode, nama FROM {registry} WHERE tingkat = %s AND kode_induk = %s",
            [Region.Level.KECAMATAN, kode_kabkota],
        )
        kecamatan = int(cursor.rowcount)
        cursor.execute(
            f'INSERT INTO "{Desa._meta.db_table}" (kode, nama, kecamatan_id, jenis) '
            f"SELECT kode, nama, kode_induk, "
            f"CASE WHEN substr(kode, 10, 1) = '1' THEN %s ELSE %s END "
            f"FROM {registry} WHERE tingkat = %s AND kode LIKE %s",
            [
                Desa.Jenis.KELURAHAN,
                Desa.Jenis.DESA,
                Region.Level.DESA_KELURAHAN,
                kode_kabkota + ".%",
            ],
        )
        desa = int(cursor.rowcount)
    return kecamatan, desa
