"""Loading the starter release, idempotent reloads, failing imports, checksums and diffs."""

import csv
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from openpyxl import Workbook

from apps.reference import selectors
from apps.reference.errors import ReferenceImportError
from apps.reference.models import (
    JenisIzin,
    Nomenklatur,
    ReferenceRelease,
    Rekening,
    StandarHarga,
    StandarHargaRekening,
)
from apps.reference.services import (
    reference_checksum,
    reference_counts,
    reference_diff_apply,
    reference_import,
    reference_release_load,
)
from tenants.models import Tenant


def _rewrite(path: Path, edit: Callable[[list[list[str]]], None]) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_the_starter_release_loads_every_level(loaded: ReferenceRelease, medan: Tenant) -> None:
    with schema_context(medan.schema_name):
        counts = reference_counts()
        assert counts["nomenklatur.urusan"] + counts["nomenklatur.bidang"] == 52
        assert counts["nomenklatur.urusan"] == 8
        assert counts["nomenklatur.program"] == 176
        assert counts["nomenklatur.kegiatan"] == 405
        assert counts["nomenklatur.sub_kegiatan"] == 1972
        assert counts["nomenklatur"] == 52 + 2553
        assert counts["nomenklatur.tanpa_induk"] == 22  # orphans of the 2020 source list
        assert counts["rekening"] == 4702
        assert counts["rekening.sub_rincian_objek"] == 3860
        assert counts["rekening.akun"] == 3
        assert counts["harga"] >= 300
        assert {"SSH", "HSPK", "ASB", "SBU"} <= {
            k.split(".")[1] for k in counts if k.startswith("harga.")
        }
        assert counts["izin"] >= 83 + 20
        assert counts["izin.standar_lengkap"] >= 20
        assert counts["sumber_dana"] >= 10
        assert counts["opd"] >= 30
        assert loaded.jumlah == counts
        assert loaded.checksum_data == reference_checksum()


def test_prices_are_illustrative_and_allowed_on_real_belanja_accounts(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        assert not StandarHarga.objects.filter(ilustratif=False).exists()
        assert not StandarHarga.objects.filter(rekening__isnull=True).exists()
        links = StandarHargaRekening.objects.select_related("rekening")
        assert {link.rekening.tingkat for link in links} == {"sub_rincian_objek"}
        assert all(link.rekening.kode.startswith("5.") for link in links)
        atk = StandarHarga.objects.get(nama="Kertas HVS A4 70 gram")
        assert atk.harga == Decimal("52000.00")
        assert [r.kode for r in atk.rekening.all()] == ["5.1.02.01.01.0025"]


def test_sub_kegiatan_carry_4_digit_codes_where_known_and_their_legacy_code(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        rs = Nomenklatur.objects.select_related("induk").get(kode="1.02.02.2.01.0001")
        assert rs.nama == "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya"
        assert rs.kode_lama == "1.02.02.2.01.01"
        assert rs.induk is not None and rs.induk.kode == "1.02.02.2.01"
        program = rs.induk.induk
        assert program is not None and program.induk is not None
        assert program.induk.kode == "1.02"  # kegiatan -> program -> bidang
        # no match in the 4-digit list: the 2-digit code stays
        assert Nomenklatur.objects.filter(kode="1.02.02.2.01.04", kode_lama="1.02.02.2.01.04")
        # program penunjang is shared by every bidang: no parent, flagged
        penunjang = Nomenklatur.objects.get(kode="X.XX.01")
        assert penunjang.induk is None and penunjang.penunjang
        assert Nomenklatur.objects.filter(kode__startswith="X.XX.01.2.01.000").count() >= 5
        assert (
            Nomenklatur.objects.filter(tingkat="sub_kegiatan").exclude(kode_lama="").count() == 1972
        )


def test_permit_types_keep_the_old_licences_marked_as_replaced(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        imb = JenisIzin.objects.get(nama="Izin Mendirikan Bangunan (IMB)")
        assert not imb.berlaku and imb.digantikan_oleh == "PBG"
        pbg = JenisIzin.objects.get(kode="PBG")
        assert pbg.standar_lengkap and pbg.waktu_hari_kerja == 28
        assert "SIMBG" in " ".join(pbg.persyaratan)
        assert "PP 16/2021" in pbg.dasar_hukum


def test_reloading_the_same_release_changes_nothing(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        again = reference_diff_apply(actor="uji")
        assert all(not any(c.values()) for c in again.perubahan.values()), again.perubahan
        assert again.checksum_data == loaded.checksum_data
        assert again.jumlah == loaded.jumlah
        # release_load recognises the release it already holds and does not re-apply it
        releases = ReferenceRelease.objects.count()
        assert reference_release_load().pk == again.pk
        assert ReferenceRelease.objects.count() == releases


def test_the_checksum_is_stable_across_schemas_and_follows_changes(
    loaded: ReferenceRelease, medan: Tenant, buol: Tenant
) -> None:
    with schema_context(buol.schema_name):
        in_buol = reference_diff_apply(actor="uji")
    assert in_buol.checksum_data == loaded.checksum_data
    with schema_context(medan.schema_name):
        assert reference_checksum() == loaded.checksum_data
        Rekening.objects.filter(kode="5.1.02.01.01.0024").update(nama="Belanja ATK")
        assert reference_checksum() != loaded.checksum_data


def test_a_malformed_row_names_file_line_and_reason_and_changes_nothing(
    loaded: ReferenceRelease, medan: Tenant, release_copy: Path
) -> None:
    # given a release that renames a bidang (applied first) and has a bad account code on line 100
    def rename(rows: list[list[str]]) -> None:
        rows[2][1] = "BIDANG BARU"

    def break_code(rows: list[list[str]]) -> None:
        rows[99][0] = "5.1.2.x"

    _rewrite(release_copy / "urusan_bidang.csv", rename)
    _rewrite(release_copy / "kode_rekening.csv", break_code)
    with schema_context(medan.schema_name):
        releases = ReferenceRelease.objects.count()
        with pytest.raises(ReferenceImportError) as caught:
            reference_diff_apply(path=release_copy)
        assert caught.value.file == "kode_rekening.csv"
        assert caught.value.line == 100
        assert "5.1.2.x" in caught.value.reason
        assert caught.value.message.startswith("kode_rekening.csv, baris 100: ")
        assert reference_checksum() == loaded.checksum_data
        assert ReferenceRelease.objects.count() == releases
        assert Nomenklatur.objects.get(kode="1.01").nama != "BIDANG BARU"


def test_a_failure_found_after_earlier_kinds_were_written_rolls_everything_back(
    loaded: ReferenceRelease, medan: Tenant, release_copy: Path
) -> None:
    # given a release whose accounts change but whose last price names an unknown account
    def rename(rows: list[list[str]]) -> None:
        rows[1][1] = "PENDAPATAN DAERAH (BARU)"

    def unknown_account(rows: list[list[str]]) -> None:
        rows[-1][6] = "5.1.02.01.01.9999"

    _rewrite(release_copy / "kode_rekening.csv", rename)
    _rewrite(release_copy / "standar_harga.csv", unknown_account)
    lines = len((release_copy / "standar_harga.csv").read_text().splitlines())
    with schema_context(medan.schema_name):
        with pytest.raises(ReferenceImportError) as caught:
            reference_diff_apply(path=release_copy)
        assert (caught.value.file, caught.value.line) == ("standar_harga.csv", lines)
        assert "5.1.02.01.01.9999" in caught.value.reason
        assert Rekening.objects.get(kode="4").nama == "PENDAPATAN DAERAH"
        assert reference_checksum() == loaded.checksum_data


def test_a_bad_price_in_a_single_file_import_names_its_line(
    loaded: ReferenceRelease, medan: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "ssh_2027.csv"
    path.write_text(
        "kode;jenis;uraian;satuan;harga satuan;kode rekening\n"
        "SSH.99.0001;SSH;Map plastik;buah;4.500;5.1.02.01.01.0024\n"
        "SSH.99.0002;SSH;Pulpen;buah;dua ribu;5.1.02.01.01.0024\n",
        encoding="utf-8",
    )
    with schema_context(medan.schema_name):
        with pytest.raises(ReferenceImportError) as caught:
            reference_import(path=path, kind="harga")
        assert caught.value.message == "ssh_2027.csv, baris 3: harga 'dua ribu' bukan angka"
        assert not StandarHarga.objects.filter(kode="SSH.99.0001").exists()


def test_an_xlsx_price_list_with_ministry_headers_imports_and_reimports_idempotently(
    loaded: ReferenceRelease, medan: Tenant, tmp_path: Path
) -> None:
    # given an official-looking XLSX: title rows, Indonesian headers, numeric price cells
    book = Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append(
        [
            "Kode Barang",
            "Jenis Standar",
            "Uraian Barang",
            "Spesifikasi",
            "Satuan",
            "Harga Satuan (Rp)",
            "Kode Rekening",
        ]
    )
    sheet.append(
        [
            "1.1.7.01.01.01.001",
            "ssh",
            "Kertas HVS A4 75 gram",
            "isi 500",
            "rim",
            56500,
            "5.1.02.01.01.0025",
        ]
    )
    sheet.append(
        [
            "1.1.7.01.01.02.001",
            "SSH",
            "Pena gel",
            "0,5 mm",
            "buah",
            4750.5,
            "5.1.02.01.01.0024; 5.1.02.01.01.0036",
        ]
    )
    path = tmp_path / "ssh_perbup.xlsx"
    book.save(path)
    with schema_context(medan.schema_name):
        first = reference_import(path=path, kind="harga").changes.as_dict()
        assert first["ditambah"] == 2
        pena = StandarHarga.objects.get(kode="1.1.7.01.01.02.001")
        assert pena.harga == Decimal("4750.50") and not pena.ilustratif
        assert sorted(r.kode for r in pena.rekening.all()) == [
            "5.1.02.01.01.0024",
            "5.1.02.01.01.0036",
        ]
        checksum = reference_checksum()
        second = reference_import(path=path, kind="harga").changes.as_dict()
        assert second == {
            "ditambah": 0,
            "diubah": 0,
            "dipulihkan": 0,
            "dipensiunkan": 0,
            "dilewati": 0,
        }
        assert reference_checksum() == checksum


def test_an_xlsx_with_a_bad_row_names_its_sheet_row(medan: Tenant, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["KD", "Uraian", "Level"])
    sheet.append(["9", "URUSAN UJI", "urusan"])
    sheet.append(["9.01", "BIDANG UJI", "program"])
    path = tmp_path / "urusan.xlsx"
    book.save(path)
    with schema_context(medan.schema_name), pytest.raises(ReferenceImportError) as caught:
        reference_import(path=path, kind="nomenklatur")
    assert caught.value.line == 3
    assert "tidak cocok" in caught.value.reason


def test_a_partial_import_needs_the_parents_in_the_file_or_the_schema(
    loaded: ReferenceRelease, medan: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "sub.csv"
    path.write_text(
        "kode,nama\n1.02.02.2.01.0099,Sub kegiatan uji\n1.02.77.2.01.0001,Tanpa induk\n",
        encoding="utf-8",
    )
    with schema_context(medan.schema_name):
        with pytest.raises(ReferenceImportError) as caught:
            reference_import(path=path, kind="nomenklatur")
        assert caught.value.line == 3 and "induk 1.02.77.2.01" in caught.value.reason
        path.write_text("kode,nama\n1.02.02.2.01.0099,Sub kegiatan uji\n", encoding="utf-8")
        assert reference_import(path=path, kind="nomenklatur").changes.added == 1
        row = Nomenklatur.objects.select_related("induk").get(kode="1.02.02.2.01.0099")
        assert row.tingkat == "sub_kegiatan"
        assert row.induk is not None and row.induk.kode == "1.02.02.2.01"


def test_a_diff_retires_withdrawn_codes_keeps_referenced_rows_and_restores_them(
    loaded: ReferenceRelease, medan: Tenant, release_copy: Path
) -> None:
    # given a later release that drops an account still allowed on prices, a sub kegiatan, a
    # price, and adds a new sub kegiatan
    account, sub, price = "5.1.02.01.01.0024", "1.02.02.2.01.0001", "SSH.01.0001"

    def drop_account(rows: list[list[str]]) -> None:
        rows[:] = [r for r in rows if r[0] != account]

    def drop_sub_add_new(rows: list[list[str]]) -> None:
        rows[:] = [r for r in rows if r[0] != sub]
        rows.append(["1.02.02.2.01.0099", "Sub kegiatan baru", "sub_kegiatan", "", "0", "", "", ""])

    def drop_price(rows: list[list[str]]) -> None:
        rows[:] = [r for r in rows if r[0] != price]

    _rewrite(release_copy / "kode_rekening.csv", drop_account)
    _rewrite(release_copy / "nomenklatur_kabkota.csv", drop_sub_add_new)
    _rewrite(release_copy / "standar_harga.csv", drop_price)
    manifest = json.loads((release_copy / "release.json").read_text())
    manifest["versi"] = "2027.1"
    (release_copy / "release.json").write_text(json.dumps(manifest))

    with schema_context(medan.schema_name):
        users_of_account = set(
            StandarHarga.objects.filter(rekening__kode=account).values_list("kode", flat=True)
        )
        # when the diff is applied
        release = reference_diff_apply(path=release_copy)
        # then the withdrawn codes are retired, not deleted, and what points to them still does
        assert release.versi == "2027.1"
        assert release.perubahan["rekening"]["dipensiunkan"] == 1
        assert release.perubahan["nomenklatur"] == {
            "ditambah": 1,
            "diubah": 0,
            "dipulihkan": 0,
            "dipensiunkan": 1,
            "dilewati": 0,
        }
        assert release.perubahan["harga"]["dipensiunkan"] == 1
        assert Rekening.objects.get(kode=account).retired
        assert Nomenklatur.objects.get(kode=sub).retired
        assert StandarHarga.objects.get(kode=price).retired
        assert (
            set(StandarHarga.objects.filter(rekening__kode=account).values_list("kode", flat=True))
            == users_of_account
        )
        assert StandarHarga.objects.get(kode=price).rekening.exists()
        assert not selectors.rekening_list(q=account).exists()
        assert selectors.rekening_list(q=account, retired=True).exists()
        assert release.checksum_data != loaded.checksum_data
        # and applying the earlier release again brings them back
        back = reference_diff_apply()
        assert back.perubahan["rekening"]["dipulihkan"] == 1
        assert back.perubahan["nomenklatur"]["dipensiunkan"] == 1  # the added one
        assert not Rekening.objects.get(kode=account).retired
        assert Nomenklatur.objects.get(kode="1.02.02.2.01.0099").retired


def test_the_template_is_prepared_once_and_then_recognised_as_current(db: None) -> None:
    from django.conf import settings

    from apps.reference.services import reference_template_prepare

    first = reference_template_prepare()
    second = reference_template_prepare()
    assert second.pk == first.pk
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        assert reference_checksum() == first.checksum_data
        assert reference_counts()["rekening"] == 4702
