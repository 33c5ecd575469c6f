"""Fixtures of e-planning tests: a plan year with every stage open today in Kota Medan, people of
each planning role, and entry input built from real reference rows."""

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.planning.models import Period, Stage
from apps.planning.services.plan import EntryInput
from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana
from apps.reference.services import reference_diff_apply
from apps.wilayah.models import Desa, Kecamatan
from apps.wilayah.services import wilayah_fill
from tenants.models import Tenant

YEAR = 2027
DINKES = "1.02.0.00.0.00.01.0000"
DISDIK = "1.01.0.00.0.00.01.0000"


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
def in_medan(medan: Tenant) -> Iterator[Tenant]:
    with schema_context(medan.schema_name):
        if not Kecamatan.objects.exists():
            wilayah_fill(kode_kabkota=str(medan.region_id))
        if not Nomenklatur.objects.exists():
            reference_diff_apply(actor="uji")
        yield medan


def plan_year(*, open_kinds: tuple[str, ...] | None = None) -> dict[str, Stage]:
    """Every stage of YEAR scheduled around today; `open_kinds` (default all) opened. Set-up
    rows written directly (two statements): the calendar services that schedule and open
    stages, with their role checks and audit entries, have tests of their own, and a dozen
    audited service calls before every planning test cost more than most of the tests."""
    today = timezone.localdate()
    period = Period.objects.filter(tahun_awal__lte=YEAR, tahun_akhir__gte=YEAR).first()
    if period is None:
        period = Period.objects.create(nama="RPJMD 2025-2029", tahun_awal=2025, tahun_akhir=2029)
    Stage.objects.bulk_create(
        Stage(
            period=period,
            tahun=YEAR,
            jenis=kind,
            dibuka_pada=today - datetime.timedelta(days=10),
            ditutup_pada=today + datetime.timedelta(days=10),
            status=Stage.State.OPEN
            if open_kinds is None or kind in open_kinds
            else Stage.State.PLANNED,
        )
        for kind in Stage.Kind.values
    )
    return {stage.jenis: stage for stage in Stage.objects.filter(tahun=YEAR)}


@pytest.fixture
def stages(in_medan: Tenant) -> dict[str, Stage]:
    """Every stage of the plan year scheduled and open."""
    return plan_year()


MakePerson = Callable[..., User]


@pytest.fixture
def person(in_medan: Tenant) -> MakePerson:
    """person(role, opd=..., wilayah=...) made in the current region schema."""
    count = {"n": 0}

    def make(*roles: str, opd: str = "", wilayah: str = "") -> User:
        count["n"] += 1
        user = User.objects.create_user(email=f"p{count['n']}-{'-'.join(roles)}@example.org")
        for role in roles:
            RoleAssignment.objects.create(
                user=user,
                role=role,
                opd_code=opd if role in (Role.OPD_OPERATOR, Role.KEPALA_OPD) else "",
                wilayah_code=wilayah
                if role in (Role.OPERATOR_DESA, Role.OPERATOR_KECAMATAN)
                else "",
            )
        return user

    return make


def sub_kegiatan_codes(bidang: str, n: int = 5) -> list[str]:
    rows = Nomenklatur.objects.filter(
        tingkat=Nomenklatur.Level.SUB_KEGIATAN, kode__startswith=bidang + ".", retired_at=None
    ).order_by("kode")
    return list(rows.values_list("kode", flat=True)[:n])


def entry_input(**overrides: Any) -> EntryInput:
    values: dict[str, Any] = {
        "tahun": YEAR,
        "sub_kegiatan": sub_kegiatan_codes("1.02", 1)[0],
        "opd": DINKES,
        "indikator": "Jumlah puskesmas yang direhabilitasi",
        "satuan": "unit",
        "target": "3",
        "target_berikut": "4",
        "pagu": "1500000000",
        "pagu_berikut": "1750000000",
        "sumber_dana": SumberDana.objects.order_by("kode").values_list("kode", flat=True)[0],
        "kecamatan": "",
        "desa": "",
        "sasaran": "Meningkatnya derajat kesehatan masyarakat",
    }
    values.update(overrides)
    return EntryInput(**values)


def a_desa(index: int = 0) -> Desa:
    rows = Desa.objects.select_related("kecamatan")
    return rows.order_by("-kode")[-index - 1] if index < 0 else rows.order_by("kode")[index]


def client_as(tenant: Tenant, user: User | None) -> Client:
    domain = tenant.get_primary_domain()
    assert domain is not None
    client = Client(HTTP_HOST=str(domain.domain))
    if user is not None:
        client.force_login(user)
    return client


def opd_exists(kode: str) -> bool:
    return PerangkatDaerah.objects.filter(kode=kode).exists()
