"""A demo DPMPTSP for a region: staff of each role, an applicant, three service standards
(a formula fee, a fixed fee, no fee) and applications standing at every step, all made
through the services. Idempotent: a region that already has applications is left alone."""

from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.accounts.models import Role, RoleAssignment, User
from apps.licensing.models import Langkah, Permohonan, Retribusi, StandarLayanan
from apps.licensing.services.applications import permohonan_submit
from apps.licensing.services.standards import standar_adopt, standar_update
from apps.licensing.services.steps import langkah_complete
from apps.reference.models import JenisIzin

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF = [
    ("loket", "Petugas Loket", Role.PERIZINAN_FRONT),
    ("teknis", "Petugas Back Office", Role.PERIZINAN_BACK),
    ("kadis", "Kepala DPMPTSP", Role.KEPALA_DPMPTSP),
]
WHO = {
    "berkas": "loket",
    "teknis": "teknis",
    "rekomendasi": "teknis",
    "keputusan": "kadis",
    "skrd": "teknis",
    "pembayaran": "loket",
    "penerbitan": "kadis",
    "penyerahan": "loket",
}
STEPS = {
    "berkas": 1,
    "teknis": 5,
    "rekomendasi": 2,
    "keputusan": 2,
    "skrd": 1,
    "pembayaran": 5,
    "penerbitan": 1,
    "penyerahan": 1,
}
# (reference code, fee rule)
PERMITS: list[tuple[str, dict[str, Any]]] = [
    (
        "PBG",
        {
            "retribusi_jenis": Retribusi.FORMULA,
            "retribusi_tarif": Decimal("15000"),
            "retribusi_besaran": [{"kode": "luas_m2", "label": "Luas lantai (m²)"}],
        },
    ),
    ("REKLAME", {"retribusi_jenis": Retribusi.FIXED, "retribusi_tetap": Decimal("350000")}),
    ("SLF", {"retribusi_jenis": Retribusi.NONE}),
]


def _user(email: str, name: str, password: str, role: str | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    return user


def _standard(kode: str, rule: dict[str, Any], kepala: User) -> StandarLayanan | None:
    existing = StandarLayanan.objects.filter(kode=kode).first()
    if existing:
        return existing
    jenis = JenisIzin.objects.filter(kode=kode, berlaku=True, retired_at__isnull=True).first()
    if jenis is None:
        return None
    standar = standar_adopt(jenis_izin=jenis, actor=kepala)
    first = standar.persyaratan[:3]
    for item in first:
        item["jenis"] = ["pdf", "jpg"]
    return standar_update(
        standar=standar,
        actor=kepala,
        data={
            "persyaratan": first,
            "langkah": STEPS,
            "masa_berlaku_bulan": 60,
            **rule,
        },
    )


def _advance(p: Permohonan, steps: int, people: dict[str, User]) -> Permohonan:
    for _ in range(steps):
        if p.status != Permohonan.Status.DIPROSES:
            break
        step = p.langkah_sekarang
        p = langkah_complete(
            permohonan=p,
            step=step,
            actor=people[WHO[step]],
            hasil=Langkah.Hasil.SETUJU,
            catatan="Sesuai.",
            data={"referensi": f"BANK-{p.pk:06d}"},
        )
    return p


@transaction.atomic
def licensing_demo(*, password: str, slug: str, rounds: int = 1) -> int:
    """Create the demo in the current region's schema; the number of applications made. Each
    round gives every standard one application at every step, one returned and one refused."""
    if Permohonan.objects.exists():
        return 0
    people = {
        key: _user(f"{key}.{slug}@berbagi.test", name, password, role) for key, name, role in STAFF
    }
    warga = _user(f"warga.{slug}@berbagi.test", "Rahmat Hidayat", password, None)
    standards = [_standard(kode, rule, people["kadis"]) for kode, rule in PERMITS]
    made = 0
    for _ in range(rounds):
        for standar in standards:
            if standar is not None:
                made += _round(standar, people, warga, slug, made)
    return made


def _documents(standar: StandarLayanan) -> dict[str, SimpleUploadedFile]:
    return {
        item["nama"]: SimpleUploadedFile("dokumen.pdf", PDF, "application/pdf")
        for item in standar.persyaratan
        if item["wajib"]
    }


def _round(
    standar: StandarLayanan, people: dict[str, User], warga: User, slug: str, made: int
) -> int:
    """One application at every step of `standar`, one returned, one refused: how many."""
    first = made
    for steps in range(len(standar.steps()) + 1):
        p = permohonan_submit(
            standar=standar,
            actor=warga,
            documents=_documents(standar),
            data={
                "nama_pemohon": "Rahmat Hidayat",
                "lokasi": f"Jl. Demo {made + 1}, {slug}",
                "besaran": {"luas_m2": str(90 + made * 7)},
            },
        )
        _advance(p, steps, people)
        made += 1
    p = permohonan_submit(
        standar=standar,
        actor=warga,
        documents=_documents(standar),
        data={"nama_pemohon": "Rahmat Hidayat", "besaran": {"luas_m2": "120"}},
    )
    langkah_complete(
        permohonan=p,
        step="berkas",
        actor=people["loket"],
        hasil=Langkah.Hasil.KEMBALIKAN,
        catatan="Scan KTP tidak terbaca.",
    )
    made += 1
    refused = _advance(
        permohonan_submit(
            standar=standar,
            actor=warga,
            documents=_documents(standar),
            data={"nama_pemohon": "Rahmat Hidayat", "besaran": {"luas_m2": "75"}},
        ),
        1,
        people,
    )
    langkah_complete(
        permohonan=refused,
        step="teknis",
        actor=people["teknis"],
        hasil=Langkah.Hasil.TOLAK,
        catatan="Lokasi berada di kawasan lindung menurut RTRW.",
    )
    made += 1
    return made - first
