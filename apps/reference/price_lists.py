"""A region's standard-price lists: one dated, versioned list per import (year, legal basis,
status); the newest enacted list of a year archives the earlier ones, which stay readable.
Rows are written by the streaming loader (apps.reference.loader); the demo's borrowed copies
are made with one INSERT ... SELECT per table, never by re-importing."""

from django.db import connection, transaction
from django.db.models import Max

from apps.reference.models import DaftarHarga, StandarHarga, StandarHargaRekening


def daftar_harga_create(*, tahun: int, dasar_hukum: str = "", berkas: str = "") -> DaftarHarga:
    """A new (draft) version of the year's list; the caller fills it, then enacts it."""
    latest = DaftarHarga.objects.filter(tahun=tahun).aggregate(v=Max("versi"))["v"] or 0
    return DaftarHarga.objects.create(
        tahun=tahun,
        versi=latest + 1,
        dasar_hukum=dasar_hukum[:2000],
        berkas=berkas[:255],
        status=DaftarHarga.Status.DRAFT,
    )


def daftar_harga_enact(*, daftar: DaftarHarga, jumlah: int) -> DaftarHarga:
    """Make `daftar` the year's list in force; earlier versions of that year are archived."""
    DaftarHarga.objects.filter(tahun=daftar.tahun, status=DaftarHarga.Status.BERLAKU).exclude(
        pk=daftar.pk
    ).update(status=DaftarHarga.Status.ARSIP)
    daftar.status = DaftarHarga.Status.BERLAKU
    daftar.jumlah = jumlah
    daftar.save(update_fields=["status", "jumlah"])
    return daftar


@transaction.atomic
def daftar_harga_copy(*, source_schema: str, source_id: int, dipinjam_dari: str) -> DaftarHarga:
    """Copy another schema's price list into the current schema as a list marked borrowed:
    three set-based statements whatever the list's size (accounts matched by code)."""
    table = DaftarHarga._meta.db_table
    items = StandarHarga._meta.db_table
    links = StandarHargaRekening._meta.db_table
    source = connection.ops.quote_name(source_schema)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tahun, dasar_hukum, berkas, jumlah FROM {source}.{table} WHERE id = %s",
            [source_id],
        )
        tahun, dasar_hukum, berkas, jumlah = cursor.fetchone()
    daftar = daftar_harga_create(tahun=tahun, dasar_hukum=dasar_hukum, berkas=berkas)
    daftar.dipinjam_dari = dipinjam_dari[:200]
    daftar.save(update_fields=["dipinjam_dari"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {items} (kode, nama, retired_at, jenis, spesifikasi, satuan, harga,
                                 ilustratif, catatan, tkdn, daftar_id)
            SELECT kode, nama, retired_at, jenis, spesifikasi, satuan, harga, ilustratif,
                   catatan, tkdn, %s FROM {source}.{items} WHERE daftar_id = %s
            """,
            [daftar.pk, source_id],
        )
        cursor.execute(
            f"""
            INSERT INTO {links} (standar_harga_id, rekening_id)
            SELECT h.id, r.id FROM {source}.{links} AS l
            JOIN {source}.{items} AS sh ON sh.id = l.standar_harga_id AND sh.daftar_id = %s
            JOIN {source}.reference_rekening AS sr ON sr.id = l.rekening_id
            JOIN {items} AS h ON h.daftar_id = %s AND h.kode = sh.kode
            JOIN reference_rekening AS r ON r.kode = sr.kode
            """,
            [source_id, daftar.pk],
        )
    return daftar_harga_enact(daftar=daftar, jumlah=jumlah)
