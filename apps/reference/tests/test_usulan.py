"""Standard-price change requests (usulan SSH): proposed by an OPD, effective only after BPKAD's
and TAPD's approvals by two different people, every refusal named, nothing half-saved."""

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError
from apps.files.models import StoredFile
from apps.reference.errors import UsulanHargaConflict, UsulanHargaError, UsulanHargaForbidden
from apps.reference.models import (
    PersetujuanHarga,
    RiwayatHarga,
    StandarHarga,
    UsulanHarga,
)
from apps.reference.usulan.selectors import riwayat_harga, usulan_visible
from apps.reference.usulan.services import (
    UsulanInput,
    usulan_harga_approve,
    usulan_harga_create,
    usulan_harga_reject,
)
from tenants.models import Tenant

DINKES = "1.02.0.00.0.00.01.0000"
DISDIK = "1.01.0.00.0.00.01.0000"
ATK = "5.1.02.01.01.0024"
CETAK = "5.1.02.01.01.0026"
PULPEN = "SSH.01.0001"  # 4,500.00 in the sample list, allowed on ATK

MakePerson = Callable[..., User]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.FILES_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root},
    }
    return root


@pytest.fixture
def in_medan(priced: None, medan: Tenant) -> Iterator[Tenant]:
    with schema_context(medan.schema_name):
        yield medan


@pytest.fixture
def person(in_medan: Tenant) -> MakePerson:
    count = {"n": 0}

    def make(*roles: str, opd: str = "") -> User:
        count["n"] += 1
        user = User.objects.create_user(email=f"u{count['n']}-{'-'.join(roles)}@medan.go.id")
        for role in roles:
            bound = role in (Role.OPD_OPERATOR, Role.KEPALA_OPD)
            RoleAssignment.objects.create(user=user, role=role, opd_code=opd if bound else "")
        return user

    return make


@pytest.fixture
def people(person: MakePerson) -> dict[str, User]:
    return {
        "operator": person(Role.OPD_OPERATOR, opd=DINKES),
        "kepala_lain": person(Role.KEPALA_OPD, opd=DISDIK),
        "bpkad": person(Role.BPKAD),
        "tapd": person(Role.TAPD),
        "keduanya": person(Role.BPKAD, Role.TAPD),
        "bappeda": person(Role.BAPPEDA),
        "inspektorat": person(Role.INSPEKTORAT),
    }


def new_item(**overrides: Any) -> UsulanInput:
    values: dict[str, Any] = {
        "jenis_usulan": "item_baru",
        "opd": DINKES,
        "alasan": "Harga pasar 2026 dari tiga penawaran",
        "jenis_standar": "SSH",
        "kode": "SSH.99.0001",
        "uraian": "Masker medis 3 lapis",
        "spesifikasi": "isi 50",
        "satuan": "kotak",
        "harga": "65000",
        "rekening": [ATK],
    }
    values.update(overrides)
    return UsulanInput(**values)


def test_a_new_item_takes_effect_only_after_both_approvals(people: dict[str, User]) -> None:
    # given a request from the health office
    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    assert usulan.status == UsulanHarga.Status.DIAJUKAN
    assert not StandarHarga.objects.filter(kode="SSH.99.0001").exists()
    # when BPKAD approves, nothing changes yet
    usulan_harga_approve(actor=people["bpkad"], usulan=usulan)
    assert not StandarHarga.objects.filter(kode="SSH.99.0001").exists()
    # then TAPD's approval puts the item into the list in force with its account
    usulan = usulan_harga_approve(actor=people["tapd"], usulan=usulan)
    usulan.refresh_from_db()
    assert usulan.status == UsulanHarga.Status.DISETUJUI
    item = StandarHarga.objects.get(kode="SSH.99.0001")
    assert item.daftar_id == usulan.daftar_id and item.harga == Decimal("65000.00")
    assert list(item.rekening.values_list("kode", flat=True)) == [ATK]
    assert usulan.standar_harga_id == item.pk
    history = riwayat_harga(item=item)
    assert [(h.perubahan, h.harga_lama, h.harga_baru) for h in history] == [
        ("item_baru", None, Decimal("65000.00"))
    ]
    assert history[0].usulan == usulan.nomor
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))[-4:]
    assert actions == [
        "reference.price_request_created",
        "reference.price_request_approved",
        "reference.price_request_approved",
        "reference.price_request_applied",
    ]


def test_a_new_price_applies_in_either_order_and_the_history_keeps_the_imported_price(
    people: dict[str, User],
) -> None:
    item = StandarHarga.objects.get(kode=PULPEN)
    imported = item.harga
    data = UsulanInput(
        jenis_usulan="harga_baru", opd=DINKES, alasan="naik", item=PULPEN, harga="5000"
    )
    usulan = usulan_harga_create(actor=people["operator"], data=data)
    usulan_harga_approve(actor=people["tapd"], usulan=usulan)
    item.refresh_from_db()
    assert item.harga == imported  # one approval: nothing yet
    usulan_harga_approve(actor=people["bpkad"], usulan=usulan)
    item.refresh_from_db()
    assert item.harga == Decimal("5000.00")
    # a second change later: the history reads import -> 5000 -> 5250
    second = usulan_harga_create(
        actor=people["operator"],
        data=UsulanInput(
            jenis_usulan="harga_baru", opd=DINKES, alasan="naik lagi", item=PULPEN, harga="5250.50"
        ),
    )
    usulan_harga_approve(actor=people["keduanya"], usulan=second)  # as BPKAD
    usulan_harga_approve(actor=people["tapd"], usulan=second)
    item.refresh_from_db()
    history = riwayat_harga(item=item)
    assert [(h.perubahan, h.harga_lama, h.harga_baru) for h in history] == [
        ("impor", None, imported),
        ("harga", imported, Decimal("5000.00")),
        ("harga", Decimal("5000.00"), Decimal("5250.50")),
    ]
    assert history[0].berlaku_mulai == item.daftar.dibuat_pada
    assert [h.usulan for h in history] == [None, usulan.nomor, second.nomor]


def test_a_new_account_for_an_existing_item(people: dict[str, User]) -> None:
    data = UsulanInput(
        jenis_usulan="rekening_baru", opd=DINKES, alasan="cetak", item=PULPEN, rekening=[CETAK]
    )
    usulan = usulan_harga_create(actor=people["operator"], data=data)
    item = StandarHarga.objects.get(kode=PULPEN)
    assert CETAK not in item.rekening.values_list("kode", flat=True)
    usulan_harga_approve(actor=people["bpkad"], usulan=usulan)
    usulan_harga_approve(actor=people["tapd"], usulan=usulan)
    assert CETAK in item.rekening.values_list("kode", flat=True)
    entry = RiwayatHarga.objects.get(standar_harga=item)
    assert entry.rekening is not None and entry.rekening.kode == CETAK
    assert entry.harga_lama == entry.harga_baru == item.harga


@pytest.mark.parametrize(
    "harga", ["-1", "0", "0.00", "abc", "12.345", "1e20", "1e999999999", "NaN", "Infinity", ""]
)
def test_refuses_a_price_that_is_not_positive_rupiah(people: dict[str, User], harga: str) -> None:
    with pytest.raises(UsulanHargaError) as caught:
        usulan_harga_create(actor=people["operator"], data=new_item(harga=harga))
    assert caught.value.field == "harga"
    assert not UsulanHarga.objects.exists()


def test_refuses_a_duplicate_code_in_the_list_or_in_an_open_request(
    people: dict[str, User],
) -> None:
    with pytest.raises(UsulanHargaError) as caught:
        usulan_harga_create(actor=people["operator"], data=new_item(kode=PULPEN))
    assert caught.value.field == "kode" and PULPEN in caught.value.message
    first = usulan_harga_create(actor=people["operator"], data=new_item())
    with pytest.raises(UsulanHargaError) as again:
        usulan_harga_create(actor=people["operator"], data=new_item())
    assert first.nomor in again.value.message


@pytest.mark.parametrize(
    ("rekening", "words"),
    [
        ("5.1.02.01.01", "sub rincian objek"),  # a rincian objek, one level up
        ("4.1.01.01.01.0001", "belanja"),  # a revenue account
        ("9.9.9.99.99.9999", "tidak dikenal"),
    ],
)
def test_refuses_an_account_above_sub_rincian_objek_or_outside_belanja(
    people: dict[str, User], rekening: str, words: str
) -> None:
    with pytest.raises(UsulanHargaError) as caught:
        usulan_harga_create(actor=people["operator"], data=new_item(rekening=[ATK, rekening]))
    assert caught.value.field == "rekening"
    assert rekening in caught.value.message and words in caught.value.message


def test_the_same_person_cannot_give_both_approvals_even_holding_both_roles(
    people: dict[str, User],
) -> None:
    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    usulan_harga_approve(actor=people["keduanya"], usulan=usulan)
    with pytest.raises(UsulanHargaForbidden) as caught:
        usulan_harga_approve(actor=people["keduanya"], usulan=usulan, peran="tapd")
    assert "persetujuan kedua harus diberikan orang lain" in caught.value.message
    assert caught.value.field == "persetujuan"
    assert PersetujuanHarga.objects.filter(usulan=usulan).count() == 1
    assert not StandarHarga.objects.filter(kode="SSH.99.0001").exists()


def test_the_database_refuses_a_second_approval_by_the_same_person(
    people: dict[str, User],
) -> None:
    from django.db import IntegrityError, transaction

    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    PersetujuanHarga.objects.create(usulan=usulan, peran="bpkad", oleh=people["keduanya"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PersetujuanHarga.objects.create(usulan=usulan, peran="tapd", oleh=people["keduanya"])


def test_a_role_cannot_approve_twice_through_two_people(
    people: dict[str, User], person: MakePerson
) -> None:
    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    usulan_harga_approve(actor=people["bpkad"], usulan=usulan)
    with pytest.raises(UsulanHargaConflict) as caught:
        usulan_harga_approve(actor=person(Role.BPKAD), usulan=usulan)
    assert "BPKAD" in caught.value.message and caught.value.field == "peran"


@pytest.mark.parametrize("who", ["operator", "bappeda", "inspektorat", "kepala_lain"])
def test_approval_by_a_wrong_role_is_refused(people: dict[str, User], who: str) -> None:
    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    with pytest.raises(UsulanHargaForbidden) as caught:
        usulan_harga_approve(actor=people[who], usulan=usulan)
    assert "BPKAD" in caught.value.message and "TAPD" in caught.value.message
    with pytest.raises(UsulanHargaForbidden):
        usulan_harga_reject(actor=people[who], usulan=usulan, alasan="tidak")


@pytest.mark.parametrize("who", ["bpkad", "bappeda", "kepala_lain"])
def test_only_the_opds_own_operator_or_kepala_proposes(people: dict[str, User], who: str) -> None:
    with pytest.raises(UsulanHargaForbidden):
        usulan_harga_create(actor=people[who], data=new_item())
    assert not UsulanHarga.objects.exists()


def test_deciding_a_decided_request_is_refused(people: dict[str, User]) -> None:
    rejected = usulan_harga_create(actor=people["operator"], data=new_item())
    usulan_harga_reject(actor=people["tapd"], usulan=rejected, alasan="harga terlalu tinggi")
    with pytest.raises(UsulanHargaConflict):
        usulan_harga_approve(actor=people["bpkad"], usulan=rejected)
    approved = usulan_harga_create(actor=people["operator"], data=new_item(kode="SSH.99.0002"))
    usulan_harga_approve(actor=people["bpkad"], usulan=approved)
    usulan_harga_approve(actor=people["tapd"], usulan=approved)
    with pytest.raises(UsulanHargaConflict) as caught:
        usulan_harga_approve(actor=people["keduanya"], usulan=approved)
    assert caught.value.field == "status"
    with pytest.raises(UsulanHargaConflict) as again:
        usulan_harga_reject(actor=people["keduanya"], usulan=approved, alasan="batal")
    assert again.value.field == "status"


def test_a_rejection_needs_a_reason_and_changes_nothing(people: dict[str, User]) -> None:
    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    with pytest.raises(UsulanHargaError) as caught:
        usulan_harga_reject(actor=people["bpkad"], usulan=usulan, alasan="  ")
    assert caught.value.field == "alasan"
    usulan_harga_reject(actor=people["bpkad"], usulan=usulan, alasan="tidak wajar")
    usulan.refresh_from_db()
    assert usulan.status == UsulanHarga.Status.DITOLAK
    assert usulan.alasan_penolakan == "tidak wajar"
    assert not StandarHarga.objects.filter(kode="SSH.99.0001").exists()


def test_nothing_is_half_saved_when_the_document_is_not_what_it_claims(
    people: dict[str, User],
) -> None:
    fake = SimpleUploadedFile("penawaran.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ApplicationError):
        usulan_harga_create(actor=people["operator"], data=new_item(), lampiran=fake)
    assert not UsulanHarga.objects.exists() and not StoredFile.objects.exists()
    real = SimpleUploadedFile("penawaran.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    usulan = usulan_harga_create(actor=people["operator"], data=new_item(), lampiran=real)
    assert usulan.lampiran is not None and usulan.lampiran.owner_app == "usulan_harga"


def test_an_approval_that_cannot_apply_leaves_nothing_behind(people: dict[str, User]) -> None:
    # given an approved-once request whose code was taken in the meantime
    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    usulan_harga_approve(actor=people["bpkad"], usulan=usulan)
    StandarHarga.objects.create(
        daftar=usulan.daftar,
        kode="SSH.99.0001",
        nama="lain",
        jenis="SSH",
        satuan="buah",
        harga=Decimal(1),
    )
    # when TAPD approves, the application is refused and the approval is not kept
    with pytest.raises(UsulanHargaConflict):
        usulan_harga_approve(actor=people["tapd"], usulan=usulan)
    usulan.refresh_from_db()
    assert usulan.status == UsulanHarga.Status.DIAJUKAN
    assert list(usulan.persetujuan.values_list("peran", flat=True)) == ["bpkad"]
    assert not RiwayatHarga.objects.exists()


def test_an_opd_reads_only_its_own_requests(people: dict[str, User], person: MakePerson) -> None:
    usulan = usulan_harga_create(actor=people["operator"], data=new_item())
    other = person(Role.OPD_OPERATOR, opd=DISDIK)
    assert not usulan_visible(user=other).exists()
    assert list(usulan_visible(user=people["bpkad"])) == [usulan]
    assert list(usulan_visible(user=people["inspektorat"])) == [usulan]


def test_requests_stay_in_their_region(people: dict[str, User], buol: Tenant) -> None:
    usulan_harga_create(actor=people["operator"], data=new_item())
    assert UsulanHarga.objects.count() == 1
    with schema_context(buol.schema_name):
        assert not UsulanHarga.objects.exists()
        assert not StandarHarga.objects.filter(kode="SSH.99.0001").exists()
