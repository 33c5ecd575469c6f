"""Fixtures of perizinan: staff of each role, an applicant, a fee and a no-fee standard in
Medan (all inside the test's transaction)."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.licensing import clock
from apps.licensing.models import Retribusi, StandarLayanan
from apps.licensing.services.standards import standar_adopt, standar_update
from apps.reference.models import JenisIzin
from tenants.models import Tenant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Monday with no holiday around it.
MONDAY = date(2026, 3, 2)


def pdf_upload(name: str = "dokumen.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def staff(email: str, *roles: str) -> User:
    user = User.objects.create_user(email=email, full_name=email.split("@")[0].title())
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    return user


class Day:
    """The clock's today, moved by tests."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: date) -> None:
        self.value = start
        monkeypatch.setattr(clock, "today", lambda: self.value)

    def set(self, value: date) -> None:
        self.value = value


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch) -> Day:
    return Day(monkeypatch, MONDAY)


@pytest.fixture
def region(medan: Tenant) -> Iterator[Tenant]:
    with schema_context(medan.schema_name):
        yield medan


@pytest.fixture
def people(region: Tenant) -> dict[str, User]:
    return {
        "front": staff("front@medan.go.id", Role.PERIZINAN_FRONT),
        "back": staff("back@medan.go.id", Role.PERIZINAN_BACK),
        "kepala": staff("kepala@medan.go.id", Role.KEPALA_DPMPTSP),
        "bappeda": staff("bappeda@medan.go.id", Role.BAPPEDA),
        "warga": User.objects.create_user(email="warga@example.org", full_name="Budi Santoso"),
    }


def _jenis(kode: str, nama: str, hari: int) -> JenisIzin:
    jenis, _created = JenisIzin.objects.get_or_create(
        kode=kode,
        defaults={
            "nama": nama,
            "sektor": "Uji",
            "persyaratan": ["KTP", "Gambar rencana"],
            "waktu_hari_kerja": hari,
            "berlaku": True,
        },
    )
    return jenis


STEPS = {
    "berkas": 1,
    "teknis": 3,
    "rekomendasi": 1,
    "keputusan": 1,
    "skrd": 1,
    "pembayaran": 2,
    "penerbitan": 1,
    "penyerahan": 1,
}


@pytest.fixture
def standards(people: dict[str, User]) -> dict[str, StandarLayanan]:
    kepala = people["kepala"]
    fee = standar_adopt(jenis_izin=_jenis("UJI-PBG", "Persetujuan Uji Bangunan", 10), actor=kepala)
    fee = standar_update(
        standar=fee,
        actor=kepala,
        data={
            "persyaratan": [
                {"nama": "KTP", "wajib": True, "jenis": ["pdf", "jpg"], "maks_kb": 100},
                {"nama": "Gambar rencana", "wajib": True, "jenis": ["pdf"], "maks_kb": 100},
                {"nama": "Foto lokasi", "wajib": False, "jenis": ["png"], "maks_kb": 100},
            ],
            "langkah": STEPS,
            "retribusi_jenis": Retribusi.FORMULA,
            "retribusi_tarif": Decimal("12500.50"),
            "retribusi_besaran": [{"kode": "luas_m2", "label": "Luas lantai (m²)"}],
            "masa_berlaku_bulan": 12,
        },
    )
    free = standar_adopt(jenis_izin=_jenis("UJI-SLF", "Sertifikat Uji", 5), actor=kepala)
    free = standar_update(
        standar=free,
        actor=kepala,
        data={
            "persyaratan": [{"nama": "KTP", "wajib": True, "jenis": ["pdf"], "maks_kb": 100}],
            "langkah": STEPS,
        },
    )
    return {"fee": fee, "free": free}


def documents(standar: StandarLayanan) -> dict[str, Any]:
    return {p["nama"]: pdf_upload() for p in standar.persyaratan if p["wajib"]}
