"""E-planning forms in Chromium: a desa operator enters a Musrenbang proposal with a photo, a
citizen follows it on the public tracking page without signing in, the kecamatan forum
recommends it; the RKPD entry form shows each refusal next to its field. Screenshots of each
page go to $BROWSER_ARTIFACTS/musrenbang (default .artifacts/browser)."""

import datetime
import os
import struct
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.files.models import StoredFile
from apps.planning.models import Period, PlanEntry, Proposal, Stage
from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana
from apps.wilayah.models import Desa, Kecamatan
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-peramban-2026"
YEAR = 2027
KEC, DESA = "12.71.98", "12.71.98.1001"
RETIRED = "1.03.97.2.97.0002"
SHOTS = Path(os.environ.get("BROWSER_ARTIFACTS", ".artifacts/browser")) / "musrenbang"


def _png(path: Path) -> Path:
    """A real 8x8 PNG (a photo of the site, as far as the upload check can tell)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x30\x80\x30" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def _world(committed: Committed, schema: str) -> dict[str, Any]:
    """Places, reference rows, open stages and people of the journey; all undone afterwards."""
    made: list[Any] = []
    people: list[User] = []
    with schema_context(schema):

        def ensure(model: Any, kode: str, **kw: Any) -> Any:
            row, created = model.objects.get_or_create(kode=kode, defaults=kw)
            if created:
                made.append(row)
            return row

        bidang = ensure(Nomenklatur, "1.03", nama="PEKERJAAN UMUM", tingkat="bidang")
        program = ensure(
            Nomenklatur, "1.03.97", nama="PROGRAM DRAINASE", tingkat="program", induk=bidang
        )
        kegiatan = ensure(
            Nomenklatur,
            "1.03.97.2.97",
            nama="Drainase Lingkungan",
            tingkat="kegiatan",
            induk=program,
        )
        ensure(
            Nomenklatur,
            "1.03.97.2.97.0001",
            nama="Normalisasi Saluran Drainase",
            tingkat="sub_kegiatan",
            induk=kegiatan,
        )
        ensure(
            Nomenklatur,
            RETIRED,
            nama="Pembangunan Saluran Lama",
            tingkat="sub_kegiatan",
            induk=kegiatan,
            retired_at=timezone.now(),
        )
        opd = ensure(PerangkatDaerah, "1.03.0.00.0.00.01.0000", nama="Dinas PUPR")
        ensure(SumberDana, "9.98", nama="Dana uji peramban")
        kec = ensure(Kecamatan, KEC, nama="Kecamatan Peramban")
        ensure(Desa, DESA, nama="Kelurahan Formulir", kecamatan=kec, jenis="kelurahan")
        period = Period.objects.filter(tahun_awal__lte=YEAR, tahun_akhir__gte=YEAR).first()
        if period is None:
            period = Period.objects.create(nama="RPJMD uji", tahun_awal=2025, tahun_akhir=2029)
            made.append(period)
        today = timezone.localdate()
        for kind in (
            Stage.Kind.MUSRENBANG_DESA,
            Stage.Kind.MUSRENBANG_KECAMATAN,
            Stage.Kind.FORUM_OPD,
        ):
            stage, created = Stage.objects.get_or_create(
                tahun=YEAR,
                jenis=kind,
                defaults={
                    "period": period,
                    "dibuka_pada": today - datetime.timedelta(days=5),
                    "ditutup_pada": today + datetime.timedelta(days=5),
                    "status": Stage.State.OPEN,
                },
            )
            if created:
                made.append(stage)
        for email, role, kw in (
            ("desa@medan.go.id", Role.OPERATOR_DESA, {"wilayah_code": DESA}),
            ("camat@medan.go.id", Role.OPERATOR_KECAMATAN, {"wilayah_code": KEC}),
            ("pupr@medan.go.id", Role.OPD_OPERATOR, {"opd_code": opd.kode}),
        ):
            user = User.objects.create_user(
                email=email, password=PASSWORD, full_name=f"Petugas {role}"
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            RoleAssignment.objects.create(user=user, role=role, **kw)
            people.append(user)

    def undo() -> None:
        with schema_context(schema):
            for proposal in Proposal.objects.filter(desa_id=DESA):
                files = list(proposal.lampiran.all())
                proposal.delete()
                StoredFile.objects.filter(pk__in=[f.pk for f in files]).delete()
            PlanEntry.objects.filter(opd__kode="1.03.0.00.0.00.01.0000").delete()
            Session.objects.all().delete()
            User.objects.filter(pk__in=[u.pk for u in people]).delete()
            for row in reversed(made):
                row.delete()

    committed.undo(undo)
    return {"opd": opd.kode}


def _sign_in(page: Page, live_site: LiveSite, email: str) -> None:
    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def _shooter(page: Page) -> Callable[[str], None]:
    SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return shot


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
    return context.new_page()


def test_a_desa_proposal_with_a_photo_is_tracked_publicly_and_recommended_by_the_kecamatan(
    page: Page, browser: Browser, live_site: LiveSite, committed: Committed, tmp_path: Path
) -> None:
    medan = Tenant.objects.get(slug="medan")
    _world(committed, medan.schema_name)
    shot = _shooter(page)

    _sign_in(page, live_site, "desa@medan.go.id")
    page.goto(live_site.url("/perencanaan/musrenbang/usulan/baru/", region="medan"))
    expect(page.get_by_label("Desa/kelurahan")).to_have_value(DESA)
    page.get_by_label("Permasalahan").fill("Saluran tersumbat, banjir setiap hujan deras")
    page.get_by_label("Usulan kegiatan").fill("Normalisasi saluran drainase Gang Mawar")
    page.get_by_label("Volume").fill("180")
    page.get_by_label("Satuan", exact=True).fill("meter")
    page.get_by_label("Perkiraan biaya (Rp)").fill("96500000")
    page.get_by_label("Foto atau dokumen").set_input_files(str(_png(tmp_path / "gang-mawar.png")))
    shot("01-usulan-diisi")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim usulan").click()
    nomor = page.locator("#proposal-nomor").inner_text()
    assert nomor.startswith(f"MR-{YEAR}-")
    expect(page.get_by_role("link", name="gang-mawar.png")).to_be_visible()
    shot("02-usulan-tersimpan")

    citizen = _new_page(browser)
    citizen.goto(live_site.url("/perencanaan/lacak/", region="medan"))
    citizen.get_by_label("Nomor usulan").fill(nomor)
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Lacak").click()
    expect(citizen.locator("#track-status")).to_have_text("Diusulkan desa/kelurahan")
    expect(citizen.get_by_text("Kelurahan Formulir")).to_be_visible()
    expect(citizen.get_by_text("Petugas")).to_have_count(0)
    expect(citizen.get_by_text("gang-mawar.png")).to_have_count(0)
    citizen.screenshot(path=str(SHOTS / "03-lacak-publik.png"), full_page=True)

    forum = _new_page(browser)
    _sign_in(forum, live_site, "camat@medan.go.id")
    forum.goto(live_site.url(f"/perencanaan/musrenbang/?tahun={YEAR}", region="medan"))
    with forum.expect_navigation():
        forum.get_by_role("link", name=nomor).click()
    forum.get_by_label("Ditolak").check()
    expect(forum.get_by_label("Usulan setelah perubahan")).to_be_hidden()
    with forum.expect_navigation():
        forum.get_by_role("button", name="Catat rekomendasi").click()
    error = forum.locator("[data-field='alasan'] .field-error")
    expect(error).to_have_text("Alasan penolakan wajib diisi.")
    forum.screenshot(path=str(SHOTS / "04-forum-alasan-kosong.png"), full_page=True)
    forum.get_by_label("Diterima dengan perubahan").check()
    forum.get_by_label("Biaya setelah perubahan (Rp)").fill("90000000")
    with forum.expect_navigation():
        forum.get_by_role("button", name="Catat rekomendasi").click()
    expect(forum.locator("#proposal-status")).to_have_text("Diteruskan kecamatan")
    forum.screenshot(path=str(SHOTS / "05-forum-kecamatan.png"), full_page=True)

    citizen.reload()
    expect(citizen.locator("#track-status")).to_have_text("Diteruskan kecamatan")
    expect(citizen.get_by_text("Diterima dengan perubahan")).to_be_visible()
    expect(citizen.get_by_text("Perkiraan biaya: Rp 96.500.000 → Rp 90.000.000")).to_be_visible()
    citizen.screenshot(path=str(SHOTS / "06-lacak-setelah-forum.png"), full_page=True)
    citizen.context.close()
    forum.context.close()


def test_the_entry_form_shows_each_refusal_next_to_its_field(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    _world(committed, medan.schema_name)
    shot = _shooter(page)
    _sign_in(page, live_site, "pupr@medan.go.id")
    page.goto(live_site.url(f"/perencanaan/entri/baru/?tahun={YEAR}", region="medan"))
    code = page.get_by_label("Sub kegiatan (kode)")

    def type_code(value: str) -> None:
        """Type a code and let the search answer (a search cut short by a submit would count
        as a failed request of the page)."""
        with page.expect_response(lambda r: "/nomenklatur/cari/" in r.url):
            code.fill(value)

    type_code("1.03.97")
    expect(page.locator("#sub-kegiatan-pilihan option")).to_have_count(
        1
    )  # the retired one is not offered
    type_code("1.03.97.2.97.0001")
    expect(page.locator(".sub-kegiatan-nama")).to_have_text("Normalisasi Saluran Drainase")
    page.get_by_label("Indikator keluaran").fill("Panjang saluran yang dinormalisasi")
    page.get_by_label("Satuan", exact=True).fill("meter")
    page.get_by_label("Target tahun ini").fill("180")
    page.get_by_label("Target tahun berikutnya").fill("200")
    page.get_by_label("Pagu indikatif (Rp)").fill("1500000,50")
    page.get_by_label("Pagu tahun berikutnya (Rp)").fill("0")
    page.get_by_label("Sumber dana").select_option("9.98")

    def submit() -> None:
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan").click()

    submit()
    pagu = page.locator("[data-field='pagu'] .field-error")
    expect(pagu).to_contain_text("tanpa sen")
    expect(page.get_by_label("Pagu indikatif (Rp)")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Indikator keluaran")).to_have_value(
        "Panjang saluran yang dinormalisasi"
    )
    shot("07-entri-pagu-pecahan")

    page.get_by_label("Pagu indikatif (Rp)").fill("1500000")
    type_code(RETIRED)
    submit()
    expect(page.locator("[data-field='sub_kegiatan'] .field-error")).to_contain_text(
        "sudah tidak berlaku"
    )
    shot("08-entri-kode-tidak-berlaku")

    # a desa of another region, posted as a crafted option (the list offers only this region's)
    type_code("1.03.97.2.97.0001")
    page.evaluate(
        "() => { const s = document.querySelector('select[name=desa]');"
        " s.add(new Option('Desa lain', '72.05.01.2001')); s.value = '72.05.01.2001'; }"
    )
    submit()
    expect(page.locator("[data-field='desa'] .field-error")).to_contain_text(
        "tidak berada di daerah ini"
    )
    shot("09-entri-lokasi-luar-daerah")
    with schema_context(medan.schema_name):
        assert not PlanEntry.objects.filter(opd__kode="1.03.0.00.0.00.01.0000").exists()

    page.get_by_label("Desa/kelurahan").select_option(DESA)
    # a further output indicator in the table's first row (the second blank one is ignored)
    page.get_by_label("Uraian indikator 2").fill("Titik genangan yang tertangani")
    page.get_by_label("Satuan indikator 2").fill("titik")
    page.get_by_label("Target indikator 2 tahun ini").fill("12,5")
    page.get_by_label("Target indikator 2 tahun berikutnya").fill("15")
    shot("10-entri-indikator-lain")
    submit()
    expect(page.locator("#total-pagu")).to_be_visible()
    with schema_context(medan.schema_name):
        entry = PlanEntry.objects.get(opd__kode="1.03.0.00.0.00.01.0000")
        assert (int(entry.pagu), entry.desa_id, entry.kecamatan_id) == (1500000, DESA, KEC)
        assert list(entry.indikator_lain.values_list("uraian", "target")) == [
            ("Titik genangan yang tertangani", Decimal("12.5"))
        ]
