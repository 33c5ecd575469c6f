"""Pages render for their roles and refuse others; the forms write through the services; every
export's total equals the database's to the sen; the public tracking page shows the budget line
a proposal became once enacted."""

import io
import re
from decimal import Decimal

from django.db.models import Sum
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.budgeting.formatting import rupiah_sen
from apps.budgeting.models import Rincian, Rka, Versi
from apps.budgeting.services.lines import line_update
from apps.budgeting.services.workflow import dpa_issue, revision_create
from apps.budgeting.tests.conftest import DINKES, YEAR, Budget, client_as, fill_and_enact, line
from apps.planning.models import Proposal
from apps.wilayah.models import Desa

PAGES = ["/anggaran/", "/anggaran/verifikasi/", "/anggaran/ringkasan/", "/anggaran/konsistensi/"]


def test_pages_render_for_readers_and_refuse_others(budget: Budget) -> None:
    fill_and_enact(budget)
    for user in (budget.operator, budget.tapd, budget.bpkad, budget.people["inspektorat"]):
        client = client_as(budget.tenant, user)
        for page in PAGES:
            assert client.get(f"{page}?tahun={YEAR}").status_code == 200, (user, page)
    anonymous = client_as(budget.tenant, None)
    assert anonymous.get("/anggaran/").status_code in (302, 403)
    made = Rincian.objects.first()
    assert made is not None
    trace = client_as(budget.tenant, budget.tapd).get(f"/anggaran/rincian/{made.pk}/telusur/")
    assert budget.entries[0].sasaran in trace.content.decode()


def test_the_line_form_saves_and_a_typed_price_is_refused(budget: Budget) -> None:
    client = client_as(budget.tenant, budget.operator)
    form = {
        "tahun": YEAR,
        "plan_entry": budget.entries[0].pk,
        "rekening": "5.1.02.01.01.0024",
        "standar_harga": "SSH.01.0001",
        "volume_1": "2",
        "satuan_1": "orang",
        "sumber_dana": budget.entries[0].sumber_dana.kode,
        "kembali": f"/anggaran/?tahun={YEAR}",
    }
    page = client.post("/anggaran/rincian/tambah/", form, follow=True)
    assert "Rincian disimpan" in page.content.decode() and Rincian.objects.count() == 1
    assert "Rp 130.000,00" in page.content.decode()
    page = client.post("/anggaran/rincian/tambah/", {**form, "harga": "5"}, follow=True)
    assert "tidak dapat diketik" in page.content.decode() and Rincian.objects.count() == 1
    page = client.post("/anggaran/rincian/tambah/", {**form, "volume_1": "0"}, follow=True)
    assert "lebih besar dari nol" in page.content.decode() and Rincian.objects.count() == 1


def test_submit_return_and_enact_through_the_forms(budget: Budget) -> None:
    op = client_as(budget.tenant, budget.operator)
    op.post(
        "/anggaran/rincian/tambah/",
        {
            "tahun": YEAR,
            "plan_entry": budget.entries[0].pk,
            "rekening": "5.1.02.01.01.0024",
            "standar_harga": "SSH.01.0001",
            "volume_1": "2",
            "satuan_1": "orang",
            "sumber_dana": budget.entries[0].sumber_dana.kode,
        },
    )
    client_as(budget.tenant, budget.kepala).post(
        "/anggaran/ajukan/", {"tahun": YEAR, "opd": DINKES}
    )
    rka = Rka.objects.get()
    assert rka.status == Rka.Status.SUBMITTED
    line_id = Rincian.objects.get().pk
    tapd = client_as(budget.tenant, budget.tapd)
    tapd.post(
        f"/anggaran/verifikasi/{rka.pk}/",
        {"keputusan": "kembalikan", "catatan": "Kurangi volume", f"catatan_{line_id}": "1 orang"},
    )
    rka.refresh_from_db()
    assert rka.status == Rka.Status.RETURNED and Rincian.objects.get().catatan == "1 orang"
    client_as(budget.tenant, budget.kepala).post(
        "/anggaran/ajukan/", {"tahun": YEAR, "opd": DINKES}
    )
    tapd.post(f"/anggaran/verifikasi/{rka.pk}/", {"keputusan": "terima"})
    bpkad = client_as(budget.tenant, budget.bpkad)
    page = bpkad.post(
        "/anggaran/tetapkan/", {"tahun": YEAR, "dasar_hukum": "Perda 1/2026"}, follow=True
    )
    assert "ditetapkan dan dikunci" in page.content.decode()
    assert Versi.objects.get().status == Versi.Status.ENACTED
    # the operator cannot delete the enacted line through the page
    page = op.post(f"/anggaran/rincian/{line_id}/hapus/", follow=True)
    assert "terkunci" in page.content.decode() and Rincian.objects.count() == 1


def _xlsx_total(content: bytes) -> Decimal:
    sheet = load_workbook(io.BytesIO(content)).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    return Decimal(str(last[-1])).quantize(Decimal("0.01"))


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_every_export_total_equals_the_database_to_the_sen(budget: Budget) -> None:
    made = fill_and_enact(budget)
    dpa_issue(actor=budget.bpkad, tahun=YEAR, opd=DINKES)
    client = client_as(budget.tenant, budget.bpkad)
    opd_total = Rincian.objects.filter(versi=budget.versi, rka__opd__kode=DINKES).aggregate(
        s=Sum("jumlah")
    )["s"]
    assert opd_total % 1 != 0  # the PPN line carries sen
    for kind in ("rka", "dpa"):
        xlsx = client.get(f"/anggaran/{kind}.xlsx?tahun={YEAR}&opd={DINKES}")
        assert xlsx.status_code == 200 and _xlsx_total(xlsx.content) == opd_total
        pdf = client.get(f"/anggaran/{kind}.pdf?tahun={YEAR}&opd={DINKES}")
        assert rupiah_sen(opd_total) in _pdf_text(pdf.content)
    summary = client.get(f"/anggaran/ringkasan.xlsx?tahun={YEAR}")
    silpa = (
        Decimal("250000000.00")
        - Rincian.objects.aggregate(s=Sum("jumlah"))["s"]
        + Decimal("10000000.00")
    )
    assert _xlsx_total(summary.content) == silpa
    assert rupiah_sen(silpa) in _pdf_text(
        client.get(f"/anggaran/ringkasan.pdf?tahun={YEAR}").content
    )
    revision = revision_create(actor=budget.bpkad, tahun=YEAR, jenis="pergeseran")
    copy = Rincian.objects.get(versi=revision, asal=made[0])
    line_update(actor=budget.operator, line=copy, data=line(budget.entries[0], volume_1="1"))
    compare = client.get(f"/anggaran/perubahan/{revision.pk}.xlsx")
    rows = list(load_workbook(io.BytesIO(compare.content)).active.iter_rows(values_only=True))
    semula, menjadi, selisih = (Decimal(str(v)).quantize(Decimal("0.01")) for v in rows[-1][-3:])
    assert semula == Rincian.objects.filter(versi=budget.versi).aggregate(s=Sum("jumlah"))["s"]
    assert menjadi == Rincian.objects.filter(versi=revision).aggregate(s=Sum("jumlah"))["s"]
    assert selisih == Decimal("-195000.00")
    text = _pdf_text(client.get(f"/anggaran/perubahan/{revision.pk}.pdf").content)
    assert "(Rp 195.000,00)" in text
    page = client.get(f"/anggaran/perubahan/{revision.pk}/").content.decode()
    assert re.search(r"\(Rp 195\.000,00\)", page)


def test_the_public_tracking_page_shows_the_enacted_line(budget: Budget) -> None:
    desa = Desa.objects.order_by("kode").first()
    assert desa is not None
    proposal = Proposal.objects.create(
        nomor="MR-2027-UJI00001",
        tahun=YEAR,
        sumber="musrenbang",
        desa=desa,
        masalah="m",
        usulan="Pengadaan kertas",
        volume=1,
        satuan="rim",
        biaya=1,
        prioritas=1,
        plan_entry=budget.entries[0],
        status="rkpd",
    )
    anonymous = client_as(budget.tenant, None)
    assert (
        "track-apbd" not in anonymous.get(f"/perencanaan/lacak/{proposal.nomor}/").content.decode()
    )
    made = fill_and_enact(budget)
    page = anonymous.get(f"/perencanaan/lacak/{proposal.nomor}/").content.decode()
    assert "track-apbd" in page and rupiah_sen(made[0].jumlah) in page
