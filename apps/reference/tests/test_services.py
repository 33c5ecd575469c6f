"""Loading the starter release, idempotent reloads, failing imports, checksums and diffs."""

import csv
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import schema_context
from openpyxl import Workbook

from apps.reference import selectors
from apps.reference.errors import ReferenceImportError
from apps.reference.models import (
    DaftarHarga,
    JenisIzin,
    Nomenklatur,
    ReferenceRelease,
    Rekening,
    StandarHarga,
    StandarHargaRekening,
)
from apps.reference.services import (
    STARTER_RELEASE_DIR,
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


def _file_counts(*names: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        with (STARTER_RELEASE_DIR / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                counts[row["tingkat"]] = counts.get(row["tingkat"], 0) + 1
    return counts


def test_release_2026_2_loads_every_level_with_the_files_counts(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    expected = _file_counts("urusan_bidang.csv", "nomenklatur_kabkota_2023.csv")
    # the 2023 list: 163 program, 410 kegiatan, 2,337 sub kegiatan; special items 25/319/1,058
    assert expected["sub_kegiatan"] == 2337 + 1058
    assert expected["kegiatan"] == 410 + 319 and expected["program"] == 163 + 25
    with schema_context(medan.schema_name):
        counts = reference_counts()
        for level, count in expected.items():
            assert counts[f"nomenklatur.{level}"] == count, level
        assert counts["nomenklatur"] == sum(expected.values())
        assert counts["nomenklatur.urusan"] == 8 + 1  # 9 UNSUR KEKHUSUSAN
        assert counts["nomenklatur.tanpa_induk"] == 0
        assert counts["rekening"] == 4702
        assert counts["rekening.sub_rincian_objek"] == 3860
        assert counts["rekening.akun"] == 3
        assert counts["harga"] == 0  # the template carries no region's prices
        assert counts["izin"] >= 83 + 20
        assert counts["izin.standar_lengkap"] >= 20
        assert counts["sumber_dana"] >= 10
        assert counts["opd"] >= 30
        assert loaded.versi == "2026.2"
        assert loaded.jumlah == counts
        assert loaded.checksum_data == reference_checksum()


def test_a_region_price_list_is_dated_and_allowed_on_real_belanja_accounts(
    priced: None, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        daftar = selectors.daftar_harga_current()
        assert daftar is not None and (daftar.tahun, daftar.versi) == (2026, 1)
        assert daftar.status == DaftarHarga.Status.BERLAKU and daftar.jumlah == 442
        assert daftar.dasar_hukum == "Perwali Medan contoh"
        assert not StandarHarga.objects.filter(rekening__isnull=True).exists()
        links = StandarHargaRekening.objects.select_related("rekening")
        assert {link.rekening.tingkat for link in links} == {"sub_rincian_objek"}
        assert all(link.rekening.kode.startswith("5.") for link in links)
        atk = StandarHarga.objects.get(nama="Kertas HVS A4 70 gram")
        assert atk.harga == Decimal("52000.00") and atk.daftar == daftar
        assert [r.kode for r in atk.rekening.all()] == ["5.1.02.01.01.0025"]


def test_sub_kegiatan_carry_indicators_and_their_2020_code_where_it_maps(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        rs = Nomenklatur.objects.select_related("induk").get(kode="1.02.02.2.01.0001")
        assert rs.nama == "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya"
        assert rs.kode_lama == "1.02.02.2.01.01"
        assert rs.indikator and rs.satuan and rs.kinerja
        assert rs.induk is not None and rs.induk.kode == "1.02.02.2.01"
        program = rs.induk.induk
        assert program is not None and program.induk is not None
        assert program.induk.kode == "1.02"  # kegiatan -> program -> bidang
        assert program.induk.nama == "URUSAN PEMERINTAHAN BIDANG KESEHATAN"  # urusan_bidang.csv
        # program penunjang is shared by every bidang: no parent, flagged
        penunjang = Nomenklatur.objects.get(kode="X.XX.01")
        assert penunjang.induk is None and penunjang.penunjang
        subs = Nomenklatur.objects.filter(tingkat="sub_kegiatan")
        assert not subs.filter(indikator="").exists()
        assert not subs.exclude(kode__regex=r"\.[0-9]{4}$").exists()
        assert subs.exclude(kode_lama="").count() > 600


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
    # given a release whose accounts change but whose last OPD has a malformed code
    def rename(rows: list[list[str]]) -> None:
        rows[1][1] = "PENDAPATAN DAERAH (BARU)"

    def bad_opd(rows: list[list[str]]) -> None:
        rows[-1][0] = "9.99"

    _rewrite(release_copy / "kode_rekening.csv", rename)
    _rewrite(release_copy / "perangkat_daerah.csv", bad_opd)
    lines = len((release_copy / "perangkat_daerah.csv").read_text().splitlines())
    with schema_context(medan.schema_name):
        with pytest.raises(ReferenceImportError) as caught:
            reference_diff_apply(path=release_copy)
        assert (caught.value.file, caught.value.line) == ("perangkat_daerah.csv", lines)
        assert "9.99" in caught.value.reason
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
        # importing again makes a second version of the year's list; the first stays readable
        second = reference_import(path=path, kind="harga").changes.as_dict()
        assert second["ditambah"] == 2
        assert reference_checksum() == checksum  # prices are the region's, not the template's
        first_list, second_list = selectors.daftar_harga_list().order_by("versi")
        assert first_list.status == DaftarHarga.Status.ARSIP
        assert selectors.daftar_harga_current() == second_list
        assert selectors.standar_harga_list(daftar=first_list).count() == 2


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
    priced: None, loaded: ReferenceRelease, medan: Tenant, release_copy: Path
) -> None:
    # given a later release that drops an account still allowed on the region's prices, a sub
    # kegiatan, and adds a new sub kegiatan
    account, sub, price = "5.1.02.01.01.0024", "1.02.02.2.01.0001", "SSH.01.0001"

    def drop_account(rows: list[list[str]]) -> None:
        rows[:] = [r for r in rows if r[0] != account]

    def drop_sub_add_new(rows: list[list[str]]) -> None:
        rows[:] = [r for r in rows if r[0] != sub]
        rows.append(["1.02.02.2.01.0099", "Sub kegiatan baru", "sub_kegiatan"] + [""] * 6)

    _rewrite(release_copy / "kode_rekening.csv", drop_account)
    _rewrite(release_copy / "nomenklatur_kabkota_2023.csv", drop_sub_add_new)
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
        assert "harga" not in release.perubahan
        assert Rekening.objects.get(kode=account).retired
        assert Nomenklatur.objects.get(kode=sub).retired
        assert not StandarHarga.objects.get(kode=price).retired
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


def test_a_release_file_is_parsed_once_per_process_and_again_when_it_changes(
    loaded: ReferenceRelease, medan: Tenant, buol: Tenant, release_copy: Path, monkeypatch: Any
) -> None:
    # given a release applied once (its files parsed and kept)
    from apps.reference import loader

    with schema_context(medan.schema_name):
        reference_diff_apply(path=release_copy)
    parsed: list[str] = []
    real = loader._parsed

    def counting(path: Path, label: str, kind: str) -> Any:
        parsed.append(label)
        return real(path, label, kind)

    monkeypatch.setattr(loader, "_parsed", counting)
    # when another region applies the same files: nothing is parsed again, same result
    with schema_context(buol.schema_name):
        in_buol = reference_diff_apply(path=release_copy)
    assert parsed == []
    assert in_buol.checksum_data == loaded.checksum_data

    # when one file changes in place: that file alone is parsed again and its change applies
    def rename(rows: list[list[str]]) -> None:
        rows[2][1] = "BIDANG DENGAN NAMA YANG HANYA DIPAKAI TES INI"

    _rewrite(release_copy / "urusan_bidang.csv", rename)
    with schema_context(medan.schema_name):
        reference_diff_apply(path=release_copy)
        renamed = Nomenklatur.objects.filter(nama="BIDANG DENGAN NAMA YANG HANYA DIPAKAI TES INI")
        assert renamed.count() == 1
    assert parsed == ["urusan_bidang.csv"]
