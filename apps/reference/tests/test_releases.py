"""Release 2026.2 -> 2027.1 on real data: special-autonomy items per province, the SIPD XLSX
layout, retired items refused for new records and kept for existing ones, successors."""

import csv
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from openpyxl import Workbook

from apps.reference import selectors
from apps.reference.errors import NomenklaturError, ReferenceImportError
from apps.reference.models import KEKHUSUSAN_PROVINSI, Nomenklatur, ReferenceRelease
from apps.reference.services import RELEASE_2027_DIR, reference_diff_apply, reference_import
from tenants.models import Tenant

LEVELS = ("urusan", "bidang", "program", "kegiatan", "sub_kegiatan")


def test_special_autonomy_items_reach_only_the_provinces_they_belong_to(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        special = Nomenklatur.objects.filter(tingkat="sub_kegiatan").exclude(kekhususan="")
        groups = set(special.values_list("kekhususan", flat=True))
        assert groups == set(KEKHUSUSAN_PROVINSI)
        general = selectors.sub_kegiatan_available(region_kind="kabupaten", province_code="12")
        assert not general.exclude(kekhususan="").exists()
        assert (
            general.count()
            == Nomenklatur.objects.filter(
                tingkat="sub_kegiatan", kekhususan="", retired_at=None
            ).count()
        )
        for group, provinces in KEKHUSUSAN_PROVINSI.items():
            for province in sorted(provinces):
                offered = selectors.sub_kegiatan_available(
                    region_kind="kota", province_code=f"{province}.71"
                )
                kinds = set(offered.exclude(kekhususan="").values_list("kekhususan", flat=True))
                assert kinds == {group}, (province, kinds)
                assert offered.count() == general.count() + special.filter(kekhususan=group).count()
                item = special.filter(kekhususan=group).first()
                assert item is not None and item.available_to(province)
                assert not item.available_to("12")
        # a provinsi plans with its own level's items, of which this kab/kota list has none
        assert (
            not selectors.sub_kegiatan_available(region_kind="provinsi", province_code="12")
            .exclude(penunjang=True)
            .exists()
        )


def _sipd_workbook(source: Path, target: Path, limit: int) -> tuple[Path, dict[str, int]]:
    """The SIPD export layout from the release CSV: a column per level with 'code name' cells,
    the deepest item's metadata on the same row."""
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["kode"]: row["nama"] for row in rows}
    book = Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append(
        ["Urusan", "Bidang Urusan", "Program", "Kegiatan", "Sub Kegiatan", "Kinerja", "Indikator",
         "Satuan", "Tag", "Definisi Operasional", "Pelaksana", "SPM", "Jenis", "Kode Sebelumnya"]
    )  # fmt: skip
    counts: dict[str, set[str]] = {level: set() for level in LEVELS}
    subs = [r for r in rows if r["tingkat"] == "sub_kegiatan" and not r["kode"].startswith("X")]
    for row in subs[:limit]:
        parts = row["kode"].split(".")
        codes = [parts[0], ".".join(parts[:2]), ".".join(parts[:3]), ".".join(parts[:5])]
        cells = [f"{code} {names.get(code, 'URUSAN ' + code)}" for code in codes]
        for level, code in zip(LEVELS, [*codes, row["kode"]], strict=True):
            counts[level].add(code)
        sheet.append(
            [*cells, f"{row['kode']} {row['nama']}", row["kinerja"], row["indikator"],
             row["satuan"], row["tag"], row["definisi_operasional"], row["pelaksana"],
             "SPM" if row["spm"] == "1" else "Non SPM", row["jenis"], row["kode_sebelumnya"]]
        )  # fmt: skip
    sheet.append([])
    book.save(target)
    return target, {level: len(codes) for level, codes in counts.items()}


def test_the_sipd_xlsx_export_layout_imports_every_level_and_its_metadata(
    medan: Tenant, tmp_path: Path
) -> None:
    path, expected = _sipd_workbook(
        RELEASE_2027_DIR / "nomenklatur_kabkota_2027.csv", tmp_path / "sipd.xlsx", 400
    )
    with schema_context(medan.schema_name):
        loader = reference_import(path=path, kind="nomenklatur_sipd")
        assert loader.changes.added + loader.changes.updated >= expected["sub_kegiatan"]
        assert len(loader._seen) == sum(expected.values())
        first = Nomenklatur.objects.get(kode="1.01.02.2.01.0001")
        assert first.spm and first.jenis == "Layanan" and first.definisi_operasional
        assert first.induk is not None and first.induk.kode == "1.01.02.2.01"
        assert Nomenklatur.objects.exclude(kode_sebelumnya="").exists()


def test_a_sipd_cell_without_a_name_is_reported_with_its_line(
    medan: Tenant, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Urusan", "Bidang Urusan", "Program", "Kegiatan", "Sub Kegiatan", "SPM"])
    sheet.append(["1 URUSAN", "1.01 PENDIDIKAN", "1.01.02 PROGRAM", "1.01.02.2.01 Keg",
                  "1.01.02.2.01.0001", "SPM"])  # fmt: skip
    path = tmp_path / "sipd.xlsx"
    book.save(path)
    with schema_context(medan.schema_name), pytest.raises(ReferenceImportError) as caught:
        reference_import(path=path, kind="nomenklatur_sipd")
    assert (caught.value.file, caught.value.line) == ("sipd.xlsx", 2)
    assert "kode nama" in caught.value.reason


def test_release_2027_1_retires_renames_adds_and_links_previous_codes(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        before = set(Nomenklatur.objects.filter(retired_at=None).values_list("kode", flat=True))
        # when the 2027 update is applied
        release = reference_diff_apply(path=RELEASE_2027_DIR, actor="uji")
        # then the counts per level equal the files'
        expected: dict[str, int] = {}
        for name in ("urusan_bidang.csv", "nomenklatur_kabkota_2027.csv"):
            with (RELEASE_2027_DIR / name).open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    expected[row["tingkat"]] = expected.get(row["tingkat"], 0) + 1
        for level, count in expected.items():
            assert release.jumlah[f"nomenklatur.{level}"] == count, level
        changes = release.perubahan["nomenklatur"]
        after = set(Nomenklatur.objects.filter(retired_at=None).values_list("kode", flat=True))
        assert changes["ditambah"] == len(after - before) > 0
        assert changes["dipensiunkan"] == len(before - after) > 0
        assert changes["diubah"] > 0
        # nothing is deleted: every withdrawn code is still there, retired
        withdrawn = before - after
        assert Nomenklatur.objects.filter(kode__in=withdrawn, retired_at__isnull=False).count() == (
            len(withdrawn)
        )
        renumbered = Nomenklatur.objects.exclude(kode_sebelumnya="").filter(retired_at=None)
        assert renumbered.count() >= 100
        # a withdrawn item is refused for a new record, naming the successor from the mapping
        moved = next(item for item in renumbered if item.kode_sebelumnya in withdrawn)
        old = Nomenklatur.objects.get(kode=moved.kode_sebelumnya)
        assert old.retired and selectors.nomenklatur_retired(kode=old.kode)
        assert selectors.nomenklatur_successor(kode=old.kode) == moved
        with pytest.raises(NomenklaturError) as caught:
            selectors.nomenklatur_for_new_record(kode=old.kode)
        assert moved.kode in caught.value.message
        # and kept for an existing one: the row and its place in the tree stay
        assert old.induk_id is not None and old.retired_at is not None
        assert selectors.nomenklatur_for_new_record(kode=moved.kode) == moved


def test_a_region_price_list_is_invisible_to_another_region(
    priced: None, medan: Tenant, buol: Tenant
) -> None:
    with schema_context(medan.schema_name):
        assert selectors.standar_harga_list().count() == 442
    with schema_context(buol.schema_name):
        assert selectors.daftar_harga_current() is None
        assert not selectors.standar_harga_list().exists()


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("A.1;SSH;Map;buah;4500;5.1.02.01.01.9999", 2, "5.1.02.01.01.9999 tidak ada"),
        ("A.1;SSH;Map;buah;4500;5.1.02.01.01.0024\nA.1;SSH;Map;buah;1;5.1.02.01.01.0024", 3,
         "ganda"),
        ("A.1;SSH;Map;buah;-4500;5.1.02.01.01.0024", 2, "negatif"),
        ("A.1;SSH;Map;buah;4500", 2, "5 kolom, header 6 kolom"),
    ],
)  # fmt: skip
def test_a_bad_price_list_names_file_line_and_reason_and_imports_nothing(
    loaded: ReferenceRelease, medan: Tenant, tmp_path: Path, body: str, line: int, reason: str
) -> None:
    path = tmp_path / "ssh_2026.csv"
    path.write_text(
        "kode;jenis;uraian;satuan;harga satuan;kode rekening\n" + body + "\n", encoding="utf-8"
    )
    with schema_context(medan.schema_name):
        with pytest.raises(ReferenceImportError) as caught:
            reference_import(path=path, kind="harga", tahun=2026)
        assert (caught.value.file, caught.value.line) == ("ssh_2026.csv", line)
        assert reason in caught.value.reason
        assert not selectors.daftar_harga_list().exists()
