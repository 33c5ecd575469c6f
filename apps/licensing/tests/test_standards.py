"""Service standards: adopted from the reference, edited by kepala DPMPTSP only, each change
kept as a version; days off; the fee rule in exact rupiah; the IKM survey and its index."""

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import Role, User
from apps.licensing.errors import LicensingConflict, LicensingError, LicensingRoleError
from apps.licensing.models import HariLibur, Permohonan, StandarLayanan
from apps.licensing.selectors import ikm, ikm_grade
from apps.licensing.services.permits import survei_submit
from apps.licensing.services.standards import hari_libur_add, standar_update
from apps.licensing.services.steps import fee_amount
from apps.licensing.tests.conftest import STEPS, Day
from apps.licensing.tests.test_path import apply, run_to_end
from tenants.models import Tenant
from tests.pages import region_client


def test_an_edit_keeps_the_previous_version(standards: Any, people: dict[str, User]) -> None:
    standar = standards["free"]
    before = standar.versi
    standar = standar_update(
        standar=standar, actor=people["kepala"], data={"langkah": {**STEPS, "teknis": 7}}
    )
    assert standar.versi == before + 1
    old = standar.riwayat.get(versi=before)
    assert old.isi["langkah"]["teknis"] == 3
    assert standar.total_hari_kerja == 1 + 7 + 1 + 1 + 1 + 1  # no fee: no SKRD, no payment


def test_an_application_keeps_the_standard_it_was_made_under(
    standards: Any, people: dict[str, User], day: Day
) -> None:
    p = apply(standards["free"], people)
    standar_update(
        standar=standards["free"], actor=people["kepala"], data={"langkah": {**STEPS, "berkas": 9}}
    )
    p.refresh_from_db()
    assert p.ketentuan["langkah"]["berkas"] == 1 and p.langkah.get().hari_kerja == 1


@pytest.mark.parametrize("who", ["front", "back", "bappeda", "warga"])
def test_only_kepala_dpmptsp_edits_a_standard(
    standards: Any, people: dict[str, User], who: str
) -> None:
    with pytest.raises(LicensingRoleError):
        standar_update(standar=standards["free"], actor=people[who], data={"nama": "X"})
    assert StandarLayanan.objects.get(pk=standards["free"].pk).nama != "X"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"nama": " "}, "nama"),
        ({"persyaratan": []}, "persyaratan"),
        ({"persyaratan": [{"nama": "A", "jenis": ["exe"], "maks_kb": 10}]}, "persyaratan"),
        ({"persyaratan": [{"nama": "A", "jenis": ["pdf"], "maks_kb": 0}]}, "persyaratan"),
        ({"langkah": {**STEPS, "teknis": 0}}, "langkah"),
        ({"retribusi_jenis": "fixed", "retribusi_tetap": 0}, "retribusi_tetap"),
        ({"retribusi_jenis": "formula", "retribusi_tarif": 5}, "retribusi_besaran"),
        (
            {
                "retribusi_jenis": "formula",
                "retribusi_tarif": -1,
                "retribusi_besaran": [{"kode": "luas"}],
            },
            "retribusi_tarif",
        ),
        ({"opd_teknis": "9.99.tidak-ada"}, "opd_teknis"),
    ],
)
def test_a_bad_standard_is_refused_naming_the_field(
    standards: Any, people: dict[str, User], data: dict[str, Any], field: str
) -> None:
    versi = standards["free"].versi
    with pytest.raises(LicensingError) as refused:
        standar_update(standar=standards["free"], actor=people["kepala"], data=data)
    assert refused.value.field == field
    assert StandarLayanan.objects.get(pk=standards["free"].pk).versi == versi


@pytest.mark.parametrize(
    ("rule", "besaran", "amount"),
    [
        ({"retribusi_jenis": "none"}, {}, Decimal(0)),
        ({"retribusi_jenis": "fixed", "retribusi_tetap": "150000"}, {}, Decimal(150000)),
        (
            {
                "retribusi_jenis": "formula",
                "retribusi_tarif": "0.10",
                "retribusi_besaran": [{"kode": "a"}, {"kode": "b"}],
            },
            {"a": "3.33", "b": "15"},
            Decimal(5),
        ),
        (
            {
                "retribusi_jenis": "formula",
                "retribusi_tarif": "12500.50",
                "retribusi_besaran": [{"kode": "luas_m2"}],
            },
            {"luas_m2": "0.1"},
            Decimal(1250),
        ),
    ],
)
def test_the_fee_is_exact_whole_rupiah(
    rule: dict[str, Any], besaran: dict[str, str], amount: Decimal
) -> None:
    assert fee_amount(rule, besaran) == amount


def test_days_off_are_kept_once_and_only_by_kepala(people: dict[str, User]) -> None:
    hari_libur_add(
        tanggal=date(2026, 6, 1), nama="Hari jadi kota", jenis="lokal", actor=people["kepala"]
    )
    with pytest.raises(LicensingConflict):
        hari_libur_add(tanggal=date(2026, 6, 1), nama="Lagi", jenis="lokal", actor=people["kepala"])
    with pytest.raises(LicensingRoleError):
        hari_libur_add(tanggal=date(2026, 6, 2), nama="X", jenis="lokal", actor=people["front"])
    assert HariLibur.objects.count() == 1


def test_the_days_off_page_adds_a_day(medan: Tenant) -> None:
    client, _u = region_client(medan, Role.KEPALA_DPMPTSP)
    response = client.post(
        "/perizinan/libur/",
        {"tanggal": "2026-12-24", "nama": "Cuti bersama", "jenis": "cuti_bersama"},
    )
    assert response.status_code == 302
    with schema_context(medan.schema_name):
        assert HariLibur.objects.get().jenis == "cuti_bersama"


def test_the_standard_page_saves_a_new_version(medan: Tenant, standards: Any) -> None:
    client, _u = region_client(medan, Role.KEPALA_DPMPTSP)
    form = {
        "nama": "Sertifikat Uji Baru",
        "aktif": "on",
        "opd_teknis": "",
        "persyaratan": "KTP | ya | pdf,jpg | 500\nFoto | tidak | png | 200",
        "retribusi_jenis": "fixed",
        "retribusi_tetap": "250000",
        "retribusi_tarif": "",
        "retribusi_besaran": "",
        "masa_berlaku_bulan": "24",
        **{f"hari_{k}": v for k, v in STEPS.items()},
    }
    response = client.post("/perizinan/standar/UJI-SLF/", form)
    assert response.status_code == 302
    with schema_context(medan.schema_name):
        standar = StandarLayanan.objects.get(kode="UJI-SLF")
        assert standar.nama == "Sertifikat Uji Baru" and standar.retribusi_tetap == 250000
        assert standar.persyaratan[1] == {
            "nama": "Foto",
            "wajib": False,
            "jenis": ["png"],
            "maks_kb": 200,
        }
        assert standar.riwayat.count() == 2


def test_the_survey_after_handover_and_its_index(
    standards: Any, people: dict[str, User], day: Day
) -> None:
    p = apply(standards["free"], people)
    with pytest.raises(LicensingConflict):
        survei_submit(permohonan=p, actor=people["warga"], nilai={})
    p = run_to_end(p, people, day)
    with pytest.raises(LicensingError) as refused:
        survei_submit(permohonan=p, actor=people["warga"], nilai={"u1": 5})
    assert refused.value.field == "u1"
    with pytest.raises(LicensingError):
        survei_submit(permohonan=p, actor=people["front"], nilai={f"u{i}": 4 for i in range(1, 10)})
    survei_submit(
        permohonan=p, actor=people["warga"], nilai={**{f"u{i}": 4 for i in range(1, 10)}, "u9": 3}
    )
    quarter = ikm()["triwulan"][0]
    # mean of the nine elements (35/9) x 25 = 97.22: mutu A
    assert quarter["ikm"] == Decimal("97.22") and quarter["mutu"] == "A"
    assert quarter["responden"] == 1
    assert Permohonan.objects.get(pk=p.pk).survei.u9 == 3


def test_the_ikm_grades_follow_permenpanrb_14_2017() -> None:
    assert [ikm_grade(Decimal(v)) for v in ("88.31", "88.30", "76.61", "65.00", "64.99")] == [
        "A",
        "B",
        "B",
        "C",
        "D",
    ]


def test_the_demo_puts_applications_at_every_step_and_runs_once(buol: Tenant) -> None:
    from django.core.management import call_command

    from apps.audit.services import verify_chain
    from apps.licensing.models import Izin
    from apps.reference.models import JenisIzin

    with schema_context(buol.schema_name):
        for kode in (
            "PBG",
            "REKLAME",
            "SLF",
        ):  # the release's codes, in case this schema lacks them
            JenisIzin.objects.get_or_create(
                kode=kode, defaults={"nama": kode, "persyaratan": ["KTP", "Denah"], "berlaku": True}
            )
    call_command("licensing_demo", "72.05", "--putaran", "2", verbosity=0)
    with schema_context(buol.schema_name):
        # two rounds: every standard's returned and refused application twice over
        per_status = Counter(Permohonan.objects.values_list("status", flat=True))
        assert per_status["ditolak"] >= 2 * 2 and per_status["dikembalikan"] >= 2 * 2
        steps = set(Permohonan.objects.values_list("langkah_sekarang", flat=True))
        statuses = set(Permohonan.objects.values_list("status", flat=True))
        count = Permohonan.objects.count()
        assert steps >= {
            "berkas",
            "teknis",
            "rekomendasi",
            "keputusan",
            "skrd",
            "pembayaran",
            "penerbitan",
            "penyerahan",
        }
        assert statuses == {"diproses", "selesai", "dikembalikan", "ditolak"}
        assert Izin.objects.exists() and verify_chain().ok
    call_command("licensing_demo", "72.05", verbosity=0)
    with schema_context(buol.schema_name):
        assert Permohonan.objects.count() == count
