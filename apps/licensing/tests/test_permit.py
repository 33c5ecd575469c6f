"""The issued permit PDF read back: its QR code decoded (zxing-cpp) leads to the verification
page on the region's host, where the permit verifies; any alteration of that URL is the same
404 as an unknown code. Names outside Latin-1 print (DejaVu Sans embedded)."""

import io
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.test import Client
from django_tenants.utils import schema_context
from pypdf import PdfReader

from apps.accounts.models import User
from apps.licensing.models import Izin
from apps.licensing.selectors import izin_pdf_bytes
from apps.licensing.services.permits import izin_revoke
from apps.licensing.tests.conftest import Day
from apps.licensing.tests.test_path import apply, run_to_end
from tenants.models import Tenant
from tests.pages import host_of


def _issue(standards: Any, people: dict[str, User], day: Day, **data: object) -> Izin:
    p = apply(standards["free"], people, **data)
    izin: Izin = run_to_end(p, people, day).izin
    return izin


def _qr_url(content: bytes) -> str:
    images = PdfReader(io.BytesIO(content)).pages[0].images
    assert len(images) == 1
    decoded = zxingcpp.read_barcodes(images[0].image)
    assert [d.format for d in decoded] == [zxingcpp.BarcodeFormat.QRCode]
    return str(decoded[0].text)


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_decoded_qr_code_opens_the_verification_page_of_the_permit(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    izin = _issue(standards, people, day)
    url = urlsplit(_qr_url(izin_pdf_bytes(izin)))
    assert url.hostname == host_of(medan)
    assert url.path.startswith("/layanan/verifikasi/")
    client = Client(HTTP_HOST=url.netloc)
    page = client.get(url.path)
    assert page.status_code == 200
    body = page.content.decode()
    assert izin.nomor in body and "BERLAKU" in body and izin.sha256 in body
    with schema_context(medan.schema_name):
        izin_revoke(izin=izin, actor=people["kepala"], alasan="Dicabut untuk uji")
    assert "DICABUT" in client.get(url.path).content.decode()


def _page(response: Any, path: str) -> str:
    """The page without what differs by request alone: the CSRF token (masked anew on every
    response) and the requested path (the language switcher's `next`)."""
    body = response.content.decode().replace(path, "PATH")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def _altered(path: str) -> list[str]:
    code = path.removeprefix("/layanan/verifikasi/").rstrip("/")
    token, signature = code.split(".")
    flip = {"a": "b", "b": "a"}

    def swap(text: str, at: int) -> str:
        return text[:at] + flip.get(text[at], "a") + text[at + 1 :]

    return [
        f"{swap(token, 0)}.{signature}",  # another token under the old signature
        f"{token}.{swap(signature, len(signature) - 1)}",  # a forged signature
        f"{token}.{signature[:-1]}",  # truncated
        f"{token}.{signature}0",  # extended
        token,  # the bare token (as it sits in the database)
        f"{token.upper()}.{signature}",
    ]


def test_an_altered_qr_url_is_the_same_404_as_an_unknown_code(
    medan: Tenant, buol: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    izin = _issue(standards, people, day)
    url = urlsplit(_qr_url(izin_pdf_bytes(izin)))
    client = Client(HTTP_HOST=url.netloc)
    unknown_path = "/layanan/verifikasi/tidak-ada.0000/"
    unknown = client.get(unknown_path)
    assert unknown.status_code == 404
    for code in _altered(url.path):
        path = f"/layanan/verifikasi/{code}/"
        response = client.get(path)
        assert response.status_code == 404, code
        # nothing about the permit, nor why it was refused
        assert _page(response, path) == _page(unknown, unknown_path)
        api = client.get(f"/api/perizinan/verifikasi/{code}/")
        assert api.status_code == 404 and izin.nomor not in api.content.decode()
    # the genuine code on another region's host
    other = Client(HTTP_HOST=host_of(buol)).get(url.path)
    assert other.status_code == 404 and izin.nomor not in other.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Đào",  # Vietnamese
        "Łukasz Żółkiewski",  # Polish
        "Ömer Şahin Çelik",  # Turkish
        "Αλέξανδρος Παπαδόπουλος",  # Greek
        "Сергей Иванов",  # Cyrillic
    ],
)
def test_names_outside_latin1_print_on_the_permit(
    standards: Any, people: dict[str, User], day: Day, name: str
) -> None:
    kepala = people["kepala"]
    kepala.full_name = "Ir. Đặng Văn Hùng"
    kepala.save(update_fields=["full_name"])
    izin = _issue(standards, people, day, nama_pemohon=name, lokasi="Jl. Kuta Ōtsuka № 5")
    text = _text(izin_pdf_bytes(izin))
    assert name in text
    assert "Ir. Đặng Văn Hùng" in text and "Jl. Kuta Ōtsuka № 5" in text
    assert "?" not in text.split("Pindai")[0]  # nothing replaced


def test_a_character_the_font_lacks_does_not_stop_issuance(
    standards: Any, people: dict[str, User], day: Day
) -> None:
    izin = _issue(standards, people, day, nama_pemohon="Tan 陳 Wei")
    text = _text(izin_pdf_bytes(izin))
    assert "Tan" in text and "Wei" in text and izin.nomor in text
