"""E-budgeting as people meet it: an OPD operator budgets a line on the RKA page (the price comes
from the standard price, the totals move as the volumes are typed), the head of the OPD submits,
and TAPD returns the RKA with a note on the line. A screenshot of each page is kept."""

import hashlib
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.audit.models import AuditChainHead, AuditEntry
from apps.budgeting.models import PaguOpd, PaguSubKegiatan, Rincian, Rka, TahunAnggaran, Versi
from apps.budgeting.services.workflow import rka_submit
from apps.planning.models import Period, PlanEntry, Snapshot, Stage
from apps.reference.models import (
    DaftarHarga,
    Nomenklatur,
    PerangkatDaerah,
    Rekening,
    StandarHarga,
    StandarHargaRekening,
    SumberDana,
)
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-peramban-2026"
YEAR = 2029
ATK = "5.1.02.01.01.0024"
SHOTS = Path(os.environ.get("BROWSER_ARTIFACTS", ".artifacts/browser")) / "budgeting"


def _person(email: str, role: str, opd: str = "") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    RoleAssignment.objects.create(user=user, role=role, opd_code=opd)
    return user


def _reference() -> tuple[Any, Any, Any, Any]:
    """An OPD, a sub kegiatan, a funding source and the ATK account (existing rows if any)."""
    sub = Nomenklatur.objects.filter(tingkat="sub_kegiatan", kode__startswith="1.02.").first()
    opd = PerangkatDaerah.objects.filter(kode="1.02.0.00.0.00.01.0000").first()
    dana = SumberDana.objects.order_by("kode").first()
    rekening = Rekening.objects.filter(kode=ATK).first()
    assert sub and opd and dana and rekening, "the session region carries the reference release"
    return sub, opd, dana, rekening


def _budget_year(committed: Committed, schema: str) -> dict[str, Any]:
    """An enacted RKPD entry, the fiscal year's draft with ceilings, a price list, three people;
    written directly (setup) and removed after the test with the audit entries it caused."""
    with schema_context(schema):
        head = AuditChainHead.objects.get()
        seq, hash_ = head.seq, head.hash
        sub, opd, dana, rekening = _reference()
        entry = PlanEntry.objects.create(
            tahun=YEAR,
            sub_kegiatan=sub,
            opd=opd,
            indikator="Dokumen",
            satuan="dokumen",
            target=1,
            target_berikut=1,
            pagu=Decimal(50_000_000),
            pagu_berikut=0,
            sumber_dana=dana,
            sasaran="Misi 2",
        )
        period = Period.objects.create(nama="RPJMD uji", tahun_awal=YEAR - 1, tahun_akhir=YEAR + 3)
        stage = Stage.objects.create(
            period=period,
            tahun=YEAR,
            jenis=Stage.Kind.RKPD_PENETAPAN,
            status="ditutup",
            dibuka_pada=f"{YEAR - 1}-05-01",
            ditutup_pada=f"{YEAR - 1}-05-31",
        )
        isi = json.dumps({"entri": [{"id": entry.pk}]})
        Snapshot.objects.create(
            stage=stage, tahun=YEAR, isi=isi, sha256=hashlib.sha256(isi.encode()).hexdigest()
        )
        year = TahunAnggaran.objects.create(tahun=YEAR)
        version = Versi.objects.create(tahun=year, jenis=Versi.Jenis.MURNI)
        PaguOpd.objects.create(tahun=year, opd=opd, pagu=Decimal(50_000_000))
        PaguSubKegiatan.objects.create(tahun=year, plan_entry=entry, pagu=Decimal(50_000_000))
        daftar = DaftarHarga.objects.create(tahun=YEAR, versi=99)
        item = StandarHarga.objects.create(
            daftar=daftar,
            kode="SSH.UJI.0001",
            nama="Kertas HVS A4 80 gram",
            jenis="SSH",
            satuan="rim",
            harga=Decimal("65000.00"),
        )
        StandarHargaRekening.objects.create(standar_harga=item, rekening=rekening)
        people = {
            "operator": _person("operator@medan.go.id", Role.OPD_OPERATOR, opd.kode),
            "kepala": _person("kepala@medan.go.id", Role.KEPALA_OPD, opd.kode),
            "tapd": _person("tapd@medan.go.id", Role.TAPD),
        }

    def undo() -> None:
        with schema_context(schema):
            Rincian.objects.filter(versi=version).delete()
            Rka.objects.filter(versi=version).delete()
            PaguSubKegiatan.objects.filter(tahun=year).delete()
            PaguOpd.objects.filter(tahun=year).delete()
            Versi.objects.filter(pk=version.pk).delete()
            year.delete()
            StandarHarga.objects.filter(daftar=daftar).delete()
            daftar.delete()
            with transaction.atomic(), connection.cursor() as cursor:
                # The closed stage's snapshot is immutable (planning's trigger); the test's
                # own row is removed with triggers skipped for this transaction only.
                cursor.execute("SET LOCAL session_replication_role = replica")
                Snapshot.objects.filter(stage=stage).delete()
            stage.delete()
            period.delete()
            entry.delete()
            AuditEntry.objects.filter(seq__gt=seq).delete()
            AuditChainHead.objects.filter(singleton=True).update(seq=seq, hash=hash_)
            Session.objects.all().delete()
            User.objects.filter(pk__in=[p.pk for p in people.values()]).delete()

    committed.undo(undo)
    return {"opd": opd.kode, "entry": entry, "version": version, **people}


def _sign_in(page: Page, live_site: LiveSite, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def test_an_operator_budgets_a_line_and_tapd_returns_it(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    setup = _budget_year(committed, medan.schema_name)
    SHOTS.mkdir(parents=True, exist_ok=True)

    _sign_in(page, live_site, "operator@medan.go.id")
    page.goto(live_site.url(f"/anggaran/?tahun={YEAR}", region="medan"))
    page.get_by_label("Rekening (sub rincian objek)").fill(ATK)
    expect(page.locator("#standar-harga option")).to_have_count(1)
    expect(page.locator("#harga-satuan")).to_have_text("Rp 65.000,00")
    page.get_by_label("Volume 1").fill("2")
    page.get_by_label("Satuan 1").fill("orang")
    page.get_by_label("Volume 2").fill("3")
    page.get_by_label("Satuan 2").fill("bulan")
    expect(page.locator("#jumlah-baru")).to_have_text("Rp 390.000,00")
    page.get_by_label("PPN 11%").check()
    expect(page.locator("#jumlah-baru")).to_have_text("Rp 432.900,00")
    page.screenshot(path=SHOTS / "01-rka-form.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan rincian").click()
    expect(page.get_by_text("Rincian disimpan.")).to_be_visible()
    expect(page.locator("#total-opd")).to_have_text("Rp 432.900,00")
    page.screenshot(path=SHOTS / "02-rka-saved.png", full_page=True)
    with schema_context(medan.schema_name):
        made = Rincian.objects.get(versi=setup["version"])
        assert made.harga == Decimal("65000.00") and made.jumlah == Decimal("432900.00")
        rka_submit(actor=setup["kepala"], tahun=YEAR, opd=setup["opd"])

    _sign_in(page, live_site, "tapd@medan.go.id")
    page.goto(live_site.url(f"/anggaran/verifikasi/?tahun={YEAR}", region="medan"))
    column = page.locator("section[data-status='diajukan']")
    expect(column).to_contain_text("Rp 432.900,00")
    page.screenshot(path=SHOTS / "03-tapd-board.png", full_page=True)
    with page.expect_navigation():
        column.get_by_role("link").first.click()
    page.get_by_label("Catatan rincian").fill("Cukup 2 bulan")
    page.get_by_label("Catatan TAPD").fill("Volume terlalu besar")
    with page.expect_navigation():
        page.get_by_role("button", name="Kembalikan").click()
    expect(page.get_by_text("RKA dikembalikan ke OPD.")).to_be_visible()
    page.screenshot(path=SHOTS / "04-rka-returned.png", full_page=True)
    with schema_context(medan.schema_name):
        rka = Rka.objects.get(versi=setup["version"])
        assert rka.status == Rka.Status.RETURNED and rka.catatan == "Volume terlalu besar"
        assert Rincian.objects.get(rka=rka).catatan == "Cukup 2 bulan"
