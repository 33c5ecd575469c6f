"""KUA-PPAS as TAPD meets it: with the RKPD enacted, open the fiscal year on the page, take the
ceilings from the RKPD, have a lowered OPD ceiling refused next to its field, then set it. A
screenshot of each step is kept."""

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, User
from apps.audit.models import AuditChainHead, AuditEntry
from apps.budgeting.models import PaguOpd, PaguSubKegiatan, TahunAnggaran, Versi
from apps.planning.models import Period, PlanEntry, Snapshot, Stage
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite
from tests.browser.test_budgeting import SHOTS, _person, _reference, _sign_in

pytestmark = pytest.mark.browser

YEAR = 2031


def _enacted_rkpd(committed: Committed, schema: str) -> dict[str, Any]:
    """One enacted RKPD entry of YEAR and a TAPD member; removed after the test with the fiscal
    year the test opens and the audit entries it caused."""
    with schema_context(schema):
        head = AuditChainHead.objects.get()
        seq, hash_ = head.seq, head.hash
        sub, opd, dana, _rekening = _reference()
        entry = PlanEntry.objects.create(
            tahun=YEAR,
            sub_kegiatan=sub,
            opd=opd,
            indikator="Dokumen",
            satuan="dokumen",
            target=1,
            target_berikut=1,
            pagu=Decimal(75_000_000),
            pagu_berikut=0,
            sumber_dana=dana,
            sasaran="Misi 2",
        )
        period = Period.objects.create(
            nama="RPJMD uji KUA", tahun_awal=YEAR - 1, tahun_akhir=YEAR + 3
        )
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
        tapd = _person("tapd-kua@medan.go.id", Role.TAPD)

    def undo() -> None:
        with schema_context(schema):
            years = TahunAnggaran.objects.filter(tahun=YEAR)
            PaguSubKegiatan.objects.filter(tahun__in=years).delete()
            PaguOpd.objects.filter(tahun__in=years).delete()
            Versi.objects.filter(tahun__in=years).delete()
            years.delete()
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
            User.objects.filter(pk=tapd.pk).delete()

    committed.undo(undo)
    return {"opd": opd, "entry": entry}


def test_tapd_opens_a_year_and_sets_a_ceiling(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    setup = _enacted_rkpd(committed, medan.schema_name)
    SHOTS.mkdir(parents=True, exist_ok=True)

    _sign_in(page, live_site, "tapd-kua@medan.go.id")
    page.goto(live_site.url(f"/anggaran/kua/?tahun={YEAR}", region="medan"))
    opening = page.locator("#form-buka")
    opening.get_by_label("Tahun anggaran").fill(str(YEAR))
    with page.expect_navigation():
        opening.get_by_role("button", name="Buka tahun anggaran").click()
    expect(page.get_by_text(f"Tahun anggaran {YEAR} dibuka dengan APBD murni.")).to_be_visible()
    expect(page.locator("#kua-silpa")).to_have_text("Rp 0,00")
    with page.expect_navigation():
        page.get_by_role("button", name="Ambil pagu dari RKPD").click()
    row = page.locator(f"#pagu-opd tr[data-opd='{setup['opd'].kode}']")
    expect(row).to_contain_text("Rp 75.000.000,00")
    page.screenshot(path=SHOTS / "05-kua-year-opened.png", full_page=True)

    ceiling = page.locator("#form-pagu-opd")
    ceiling.get_by_label("OPD", exact=True).select_option(setup["opd"].kode)
    ceiling.get_by_label("Pagu OPD (Rp)").fill("banyak")
    with page.expect_navigation():
        ceiling.get_by_role("button", name="Simpan pagu OPD").click()
    field = page.locator("#form-pagu-opd")
    expect(field.locator("#id_pagu-pagu-error")).to_have_text("Nilai rupiah tidak valid.")
    expect(field.get_by_label("Pagu OPD (Rp)")).to_have_value("banyak")
    expect(field.get_by_label("OPD", exact=True)).to_have_value(setup["opd"].kode)
    page.screenshot(path=SHOTS / "06-kua-ceiling-refused.png", full_page=True)

    field.get_by_label("Pagu OPD (Rp)").fill("80.000.000,50")
    with page.expect_navigation():
        field.get_by_role("button", name="Simpan pagu OPD").click()
    expect(page.get_by_text("menjadi Rp 80.000.000,50")).to_be_visible()
    expect(row).to_contain_text("Rp 80.000.000,50")
    page.screenshot(path=SHOTS / "07-kua-ceiling-set.png", full_page=True)
    with schema_context(medan.schema_name):
        saved = PaguOpd.objects.get(tahun__tahun=YEAR, opd=setup["opd"])
        assert saved.pagu == Decimal("80000000.50")
        assert PaguSubKegiatan.objects.get(plan_entry=setup["entry"]).pagu == Decimal(75_000_000)
