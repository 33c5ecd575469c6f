"""Strict, streaming importers: every kind of malformed input stops with file, line and reason,
never a traceback, and nothing of the file is written."""

import gzip
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context
from openpyxl import Workbook

from apps.reference import loader, services
from apps.reference.errors import ReferenceImportError
from apps.reference.importers import readers
from apps.reference.importers.kinds import KINDS
from apps.reference.models import Nomenklatur, ReferenceRelease, StandarHarga, SumberDana
from tenants.models import Tenant

GOOD = b"kode,nama\n97,Dana uji pertama\n"


def _xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["kode", "nama"])
    book.active.append(["97", "Dana uji"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_with_broken_sheet() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return buffer.getvalue()


# (case, file name, content, line reported or None, words of the reason)
MALFORMED: list[tuple[str, str, bytes, int | None, str]] = [
    ("quote never closed", "a.csv", GOOD + b'98,"Dana tanpa tutup\n99,Lain\n' * 3, 3, "kutip"),
    ("quote closed rows later", "a.csv", GOOD + b'98,"Dana\n99,Lain"\n100,X\n', 3, "kutip"),
    ("text after closing quote", "a.csv", GOOD + b'98,"Dana"uji\n', 3, "kutip penutup"),
    ("too few cells", "a.csv", GOOD + b"98\n", 3, "1 kolom, header 2 kolom"),
    ("too many cells", "a.csv", GOOD + b"98,Dana,lebih\n", 3, "3 kolom, header 2 kolom"),
    ("NUL byte", "a.csv", GOOD + b"98,Da\x00na\n", 3, "NUL"),
    ("control byte", "a.csv", GOOD + b"98,Da\x01na\n", 3, "karakter kontrol 0x01"),
    ("neither UTF-8 nor cp1252", "a.csv", GOOD + b"98,Da\x81\x8dna\n", 3, "bukan teks UTF-8"),
    ("XLSX named .csv", "a.csv", _xlsx_bytes(), None, "XLSX/ZIP"),
    ("gzip named .csv", "a.csv", gzip.compress(GOOD), None, "GZIP"),
    ("random bytes", "a.csv", bytes(range(256)) * 8, 1, "NUL"),
    ("empty file", "a.csv", b"", None, "kosong"),
    ("header only", "a.csv", b"kode,nama\n", None, "tidak ada baris data"),
    ("blank lines only", "a.csv", b"\n\n\n", None, "tanpa header"),
    ("no header, data first", "a.csv", b"97,Dana\n98,Lain\n", 1, "header tidak memuat kolom"),
    ("field over the limit", "a.csv", GOOD + b"98," + b"x" * 140_000 + b"\n", 3, "karakter"),
    ("duplicate code", "a.csv", GOOD + b"97,Lagi\n", 3, "ganda"),
    ("bad code", "a.csv", GOOD + b"9x,Salah\n", 3, "bukan kode sumber dana"),
    ("truncated XLSX", "a.xlsx", _xlsx_bytes()[:300], None, "XLSX"),
    ("XLSX with a damaged sheet", "a.xlsx", _xlsx_with_broken_sheet(), None, "rusak"),
    ("text named .xlsx", "a.xlsx", GOOD, None, "XLSX"),
    ("unsupported suffix", "a.txt", GOOD, None, "format tidak didukung"),
]


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_every_kind_of_malformed_file_names_file_line_and_reason_and_writes_nothing(
    medan: Tenant, tmp_path: Path, name: str, content: bytes, line: int | None, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with schema_context(medan.schema_name):
        before = SumberDana.objects.count()
        with pytest.raises(ReferenceImportError) as caught:
            services.reference_import(path=path, kind="sumber_dana")
        assert caught.value.file == name
        assert caught.value.line == line
        assert reason in caught.value.reason
        assert caught.value.message.startswith(name)
        assert SumberDana.objects.count() == before


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_the_command_reports_every_malformed_file_as_a_clear_error(
    medan: Tenant, tmp_path: Path, name: str, content: bytes, line: int | None, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_reference", schema=medan.schema_name, file=str(path), kind="sumber_dana"
        )
    where = f"{name}, baris {line}: " if line else f"{name}: "
    assert str(caught.value).startswith(where)
    assert reason in str(caught.value)


@pytest.mark.parametrize("target", ["missing.csv", "folder.csv"])
def test_a_missing_file_or_a_directory_is_a_clear_error(
    medan: Tenant, tmp_path: Path, target: str
) -> None:
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(CommandError, match=rf"^{target}: "):
        call_command(
            "import_reference",
            schema=medan.schema_name,
            file=str(tmp_path / target),
            kind="sumber_dana",
        )


@pytest.mark.parametrize(
    ("limit", "value"),
    [("MAX_FILE_BYTES", 20), ("MAX_ROWS", 1), ("MAX_COLUMNS", 1)],
)
def test_size_limits_stop_the_import(
    medan: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int
) -> None:
    monkeypatch.setattr(readers, limit, value)
    for name in ("a.csv", "a.xlsx"):
        path = tmp_path / name
        if name.endswith(".csv"):
            path.write_bytes(GOOD + b"98,Dana uji kedua\n")
        else:
            book = Workbook()
            for row in (["kode", "nama"], ["97", "Dana uji"], ["98", "Dana dua"]):
                book.active.append(row)
            book.save(path)
        with schema_context(medan.schema_name), pytest.raises(ReferenceImportError) as caught:
            services.reference_import(path=path, kind="sumber_dana")
        assert "batas" in caught.value.reason or "lebih dari" in caught.value.reason
        assert caught.value.file == name


def test_an_error_in_a_late_batch_rolls_back_the_batches_already_written(
    medan: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given batches of 3 rows and a file whose 8th data row is malformed
    monkeypatch.setattr(loader, "BATCH", 3)
    rows = "".join(f"{90 + i},Dana {i}\n" for i in range(7))
    path = tmp_path / "dana.csv"
    path.write_text("kode,nama\n" + rows + '99,"tanpa tutup\n', encoding="utf-8")
    with schema_context(medan.schema_name):
        before = SumberDana.objects.count()
        with pytest.raises(ReferenceImportError) as caught:
            services.reference_import(path=path, kind="sumber_dana")
        assert caught.value.line == 9
        assert SumberDana.objects.count() == before


def test_parents_that_come_after_their_children_in_a_later_batch_are_linked(
    loaded: ReferenceRelease, medan: Tenant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "BATCH", 2)
    path = tmp_path / "nomenklatur.csv"
    path.write_text(
        "kode,nama\n1.02.77.2.01.0001,Sub uji\n1.02.77.2.01,Kegiatan uji\n1.02.77,Program uji\n",
        encoding="utf-8",
    )
    with schema_context(medan.schema_name):
        services.reference_import(path=path, kind="nomenklatur")
        sub = Nomenklatur.objects.select_related("induk__induk").get(kode="1.02.77.2.01.0001")
        assert sub.induk is not None and sub.induk.kode == "1.02.77.2.01"
        assert sub.induk.induk is not None and sub.induk.induk.kode == "1.02.77"


def test_a_line_break_is_accepted_only_in_columns_that_may_hold_several_lines(
    medan: Tenant, tmp_path: Path
) -> None:
    assert KINDS["izin"].multiline == {"persyaratan"}
    path = tmp_path / "izin.csv"
    path.write_text(
        'kode,nama,persyaratan\nUJI-1,Izin uji,"KTP\nNPWP"\nUJI-2,"Izin\ndua",KTP\n',
        encoding="utf-8",
    )
    with schema_context(medan.schema_name), pytest.raises(ReferenceImportError) as caught:
        services.reference_import(path=path, kind="izin")
    assert (caught.value.line, "nama" in caught.value.reason) == (4, True)


def test_unknown_accounts_stop_a_price_list_unless_skipping_is_asked_and_then_are_listed(
    loaded: ReferenceRelease, medan: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "ssh.csv"
    path.write_text(
        "kode,jenis,uraian,satuan,harga,rekening\n"
        "UJI.1,SSH,Map,buah,4500,5.1.02.01.01.0024\n"
        "UJI.2,SSH,Pulpen,buah,2000,5.1.02.01.01.9999\n"
        "UJI.3,SSH,Pensil,buah,1500,5.1.02.01.01.0024;5.1.02.99.99.9999\n"
        "UJI.4,ASB,Rehabilitasi,m2,1914806,\n",
        encoding="utf-8",
    )
    with schema_context(medan.schema_name):
        with pytest.raises(ReferenceImportError) as caught:
            services.reference_import(path=path, kind="harga")
        assert caught.value.line == 3 and "5.1.02.01.01.9999" in caught.value.reason
        assert not StandarHarga.objects.filter(kode="UJI.1").exists()
        result = services.reference_import(path=path, kind="harga", skip_unknown_accounts=True)
        assert [(s.line, s.kode) for s in result.skipped] == [
            (3, "UJI.2"),
            (4, "UJI.3"),
            (5, "UJI.4"),
        ]
        assert "rekening kosong" in result.skipped[2].reason
        assert result.changes.as_dict()["dilewati"] == 3
        assert list(
            StandarHarga.objects.filter(kode__startswith="UJI.").values_list("kode", flat=True)
        ) == ["UJI.1"]


def test_the_command_lists_skipped_rows_with_their_lines(
    loaded: ReferenceRelease, medan: Tenant, tmp_path: Path
) -> None:
    path = tmp_path / "ssh.csv"
    path.write_text(
        "kode,jenis,uraian,satuan,harga,rekening\n"
        "UJI.2,SSH,Pulpen,buah,2000,5.1.02.01.01.9999\n"
        "UJI.1,SSH,Map,buah,4500,5.1.02.01.01.0024\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_reference",
        schema=medan.schema_name,
        file=str(path),
        kind="harga",
        skip_unknown_accounts=True,
        stdout=out,
        stderr=err,
    )
    assert "ssh.csv, baris 2: UJI.2 dilewati" in err.getvalue()
    assert "dilewati 1" in out.getvalue()


@pytest.mark.parametrize(
    "manifest",
    [
        b"[1, 2]",
        b"{not json",
        b'{"versi": "x", "berkas": [{"file": "../x.csv", "kind": "opd"}]}',
        b'{"versi": "x", "berkas": ["a.csv"]}',
    ],
)
def test_a_bad_release_manifest_is_a_clear_error(
    medan: Tenant, tmp_path: Path, manifest: bytes
) -> None:
    (tmp_path / "release.json").write_bytes(manifest)
    with pytest.raises(CommandError, match=r"^release.json: "):
        call_command("import_reference", schema=medan.schema_name, release=str(tmp_path))


def test_reading_a_large_csv_streams_in_bounded_memory(tmp_path: Path) -> None:
    # given a 12 MB file of 60,000 rows
    path = tmp_path / "besar.csv"
    line = "5.1.02.01.01.{:04d},Nama barang yang cukup panjang untuk uji memori " + "x" * 120
    with path.open("w", encoding="utf-8") as handle:
        handle.write("kode,nama\n")
        for i in range(60_000):
            handle.write(line.format(i % 10_000) + "\n")
    assert path.stat().st_size > 10 * 2**20
    # when every row is read
    tracemalloc.start()
    try:
        count = sum(1 for _ in readers.read_rows(path, aliases=KINDS["rekening"].aliases))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # then memory stays a small fraction of the file's size
    assert count == 60_000
    assert peak < 8 * 2**20, peak
