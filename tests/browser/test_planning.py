"""E-planning as people meet it: a planner opens the plan tree and unfolds it; anyone follows a
Musrenbang proposal by its public number without signing in."""

from decimal import Decimal
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.planning.models import PlanEntry, Proposal, Recommendation
from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana
from apps.wilayah.models import Desa, Kecamatan
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-peramban-2026"
NOMOR = "MR-2027-PERAMBAN"


def _plan(committed: Committed, schema: str) -> None:
    """A minimal plan with one proposal, written directly (setup) and removed after the test."""
    made: list[Any] = []
    with schema_context(schema):

        def ensure(model: Any, kode: str, **kw: Any) -> Any:
            row, created = model.objects.get_or_create(kode=kode, defaults=kw)
            if created:
                made.append(row)
            return row

        bidang = ensure(Nomenklatur, kode="1.03", nama="PEKERJAAN UMUM", tingkat="bidang")
        program = ensure(
            Nomenklatur, kode="1.03.98", nama="PROGRAM JALAN", tingkat="program", induk=bidang
        )
        kegiatan = ensure(
            Nomenklatur,
            kode="1.03.98.2.98",
            nama="Pemeliharaan Jalan",
            tingkat="kegiatan",
            induk=program,
        )
        sub = ensure(
            Nomenklatur,
            kode="1.03.98.2.98.0001",
            nama="Rehabilitasi Jalan Lingkungan",
            tingkat="sub_kegiatan",
            induk=kegiatan,
        )
        opd = ensure(PerangkatDaerah, kode="1.03.0.00.0.00.01.0000", nama="Dinas PUPR")
        dana = ensure(SumberDana, kode="9.99", nama="Dana uji")
        kec = ensure(Kecamatan, kode="12.71.99", nama="Kecamatan Uji")
        desa = ensure(
            Desa, kode="12.71.99.1001", nama="Kelurahan Peramban", kecamatan=kec, jenis="kelurahan"
        )
        user = User.objects.create_user(
            email="perencana@medan.go.id", password=PASSWORD, full_name="Perencana Peramban"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        RoleAssignment.objects.create(user=user, role=Role.BAPPEDA)
        entry = PlanEntry.objects.create(
            tahun=2027,
            sub_kegiatan=sub,
            opd=opd,
            kecamatan=kec,
            desa=desa,
            indikator="Panjang jalan direhabilitasi",
            satuan="meter",
            target=Decimal(1200),
            target_berikut=Decimal(900),
            pagu=Decimal(1234567890),
            pagu_berikut=Decimal(0),
            sumber_dana=dana,
        )
        proposal = Proposal.objects.create(
            nomor=NOMOR,
            tahun=2027,
            sumber="musrenbang",
            desa=desa,
            masalah="Jalan rusak",
            usulan="Pengaspalan gang",
            volume=Decimal(120),
            satuan="meter",
            biaya=Decimal(90000000),
            prioritas=1,
            status="ditolak",
            diusulkan_oleh=user,
        )
        Recommendation.objects.create(
            proposal=proposal, tingkat="kecamatan", jenis="tolak", alasan="Sudah dibiayai dana desa"
        )

    def undo() -> None:
        with schema_context(schema):
            Proposal.objects.filter(pk=proposal.pk).delete()
            PlanEntry.objects.filter(pk=entry.pk).delete()
            Session.objects.all().delete()
            User.objects.filter(pk=user.pk).delete()
            for row in reversed(made):
                row.delete()

    committed.undo(undo)


def test_a_planner_unfolds_the_plan_tree_and_anyone_tracks_a_proposal(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    _plan(committed, medan.schema_name)

    page.goto(live_site.url("/perencanaan/lacak/", region="medan"))
    page.get_by_label("Nomor usulan").fill(NOMOR)
    with page.expect_navigation():
        page.get_by_role("button", name="Lacak").click()
    expect(page.locator("#track-status")).to_have_text("Ditolak")
    expect(page.get_by_text("Sudah dibiayai dana desa")).to_be_visible()
    expect(page.get_by_text("Kelurahan Peramban")).to_be_visible()
    expect(page.get_by_text("Perencana Peramban")).to_have_count(0)

    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill("perencana@medan.go.id")
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    page.goto(live_site.url("/perencanaan/?tahun=2027", region="medan"))
    expect(page.locator("#total-pagu")).to_contain_text("Rp 1.234.567.890")
    row = page.get_by_role("cell", name="Rehabilitasi Jalan Lingkungan")
    expect(row).to_be_hidden()
    page.get_by_text("PROGRAM JALAN").click()
    page.get_by_text("Pemeliharaan Jalan").click()
    expect(row).to_be_visible()
