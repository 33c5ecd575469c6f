"""Upload checks: size, type by extension and content, safe names; errors name the field."""

from typing import Any

import pytest
from django import forms
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from apps.files.errors import FileError
from apps.files.forms import RegionFileField
from apps.files.owners import FileOwner
from apps.files.tests.conftest import SAMPLES, upload
from apps.files.validation import FILE_TYPES, name_sanitise, size_label, upload_check


def test_every_type_has_a_sample() -> None:
    assert set(SAMPLES) == set(FILE_TYPES)


@pytest.mark.parametrize("extension", sorted(FILE_TYPES))
def test_accepts_each_type_and_assigns_its_content_type_not_the_clients(extension: str) -> None:
    checked = upload_check(
        upload=upload(f"Berkas.{extension.upper()}", SAMPLES[extension], "text/html")
    )
    assert checked.extension == extension
    assert checked.content_type == FILE_TYPES[extension].content_type
    assert checked.size == len(SAMPLES[extension])


@pytest.mark.parametrize("extension", sorted(FILE_TYPES))
def test_refuses_each_type_whose_bytes_are_another(extension: str) -> None:
    own = FILE_TYPES[extension].content_type
    for other, content in SAMPLES.items():
        if FILE_TYPES[other].content_type == own:
            continue
        with pytest.raises(FileError) as refused:
            upload_check(upload=upload(f"berkas.{extension}", content))
        assert refused.value.field == "file"
    with pytest.raises(FileError):
        upload_check(upload=upload(f"berkas.{extension}", b"<html><script>x</script></html>"))


@pytest.mark.parametrize(
    "name", ["skrip.html", "skrip.svg", "program.exe", "tanpa-ekstensi", ".pdf"]
)
def test_refuses_extensions_outside_the_list(name: str) -> None:
    with pytest.raises(FileError) as refused:
        upload_check(upload=upload(name, SAMPLES["pdf"]))
    assert refused.value.field == "file"
    assert "pdf" in refused.value.message


def test_refuses_empty_and_oversized_files(settings: Any) -> None:
    settings.FILES_MAX_UPLOAD_BYTES = 100
    with pytest.raises(FileError, match="kosong"):
        upload_check(upload=upload("a.pdf", b""))
    with pytest.raises(FileError, match="terlalu besar") as refused:
        upload_check(upload=upload("a.pdf", SAMPLES["pdf"] + b"0" * 100))
    assert "100 B" in refused.value.message
    assert upload_check(upload=upload("a.pdf", SAMPLES["pdf"])).size == len(SAMPLES["pdf"])


def test_an_owner_narrows_types_and_size() -> None:
    owner = FileOwner(app="uji_foto", extensions=frozenset({"jpg"}), max_bytes=40)
    with pytest.raises(FileError, match="jpg"):
        upload_check(upload=upload("a.pdf", SAMPLES["pdf"]), extensions=owner.extensions)
    with pytest.raises(FileError, match="terlalu besar"):
        upload_check(upload=upload("a.jpg", SAMPLES["jpg"] + b"0" * 40), max_bytes=40)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\budi\\Foto Musrenbang.JPG", "Foto-Musrenbang.jpg"),
        ("surat\x00.pdf", "surat.pdf"),
        ("Izin Usaha (final) #2.pdf", "Izin-Usaha-final-2.pdf"),
        ("Désa Sukamaju.pdf", "Desa-Sukamaju.pdf"),
        (".htaccess", "htaccess"),
        ("", "berkas"),
        ("....pdf", "pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("<script>.pdf", "script.pdf"),
    ],
)
def test_names_are_sanitised(raw: str, safe: str) -> None:
    assert name_sanitise(raw) == safe


def test_size_labels() -> None:
    assert [size_label(n) for n in (512, 1536, 10 * 1024 * 1024)] == ["512 B", "1,5 KB", "10 MB"]


class _UploadForm(forms.Form):
    lampiran = RegionFileField()


def test_a_page_form_shows_the_refusal_in_bahasa_indonesia() -> None:
    with translation.override("id"):
        form = _UploadForm(
            files=MultiValueDict({"lampiran": [upload("surat.pdf", b"MZ bukan pdf")]})
        )
        assert not form.is_valid()
    assert form.errors["lampiran"] == ["Isi berkas tidak sesuai dengan jenisnya (.pdf)."]
    good = _UploadForm(files=MultiValueDict({"lampiran": [upload("surat.pdf", SAMPLES["pdf"])]}))
    assert good.is_valid(), good.errors
