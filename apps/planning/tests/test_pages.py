"""Pages: the plan tree and its exports agree on totals; the board, diff, consistency report and
public tracking render; pages refuse roles without planning access."""

import io
from typing import Any

import pytest
from django_tenants.utils import tenant_context
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.accounts.models import Role
from apps.planning.exports import plan_pdf
from apps.planning.formatting import rupiah_text
from apps.planning.models import Stage
from apps.planning.selectors.plan import plan_tree
from apps.planning.services.calendar import stage_close
from apps.planning.services.plan import ceiling_set, plan_entry_create
from apps.planning.tests.conftest import (
    DINKES,
    DISDIK,
    MakePerson,
    client_as,
    entry_input,
    sub_kegiatan_codes,
)
from tenants.models import Tenant

PAGES = [
    "/perencanaan/",
    "/perencanaan/musrenbang/",
    "/perencanaan/selisih/",
    "/perencanaan/konsistensi/",
]


def _plan(actor: Any) -> None:
    for i, kode in enumerate(sub_kegiatan_codes("1.02", 4)):
        plan_entry_create(
            actor=actor, data=entry_input(sub_kegiatan=kode, pagu=str(1_234_567 * (i + 1)))
        )
    plan_entry_create(
        actor=actor,
        data=entry_input(opd=DISDIK, sub_kegiatan=sub_kegiatan_codes("1.01", 1)[0], pagu="5"),
    )


def test_the_tree_xlsx_and_pdf_show_the_same_total(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    bappeda = person(Role.BAPPEDA)
    _plan(bappeda)
    expected = sum(1_234_567 * i for i in range(1, 5)) + 5
    client = client_as(medan, bappeda)
    page = client.get("/perencanaan/", {"tahun": 2027})
    assert page.status_code == 200
    assert rupiah_text(expected) in page.content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/perencanaan/ekspor.xlsx?tahun=2027").content))
    rows = list(sheet.active.iter_rows(values_only=True))
    assert rows[-1][1] == "JUMLAH" and rows[-1][5] == expected
    assert sum(r[5] for r in rows[2:-1] if r[0] and r[0].count(".") == 5) == expected
    pdf = client.get("/perencanaan/ekspor.pdf?tahun=2027")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert rupiah_text(expected) in text


def test_a_long_pdf_repeats_its_header_on_every_page_and_prints_text_beyond_latin_1(
    medan: Tenant,
) -> None:
    with tenant_context(medan):
        codes = sub_kegiatan_codes("1.02", 3)
        rows = [
            {
                "kode": codes[i % 3],
                "nama": "Sub kegiatan",
                "indikator": f"Indikator {i}" if i != 7 else "Jalan Łódź, Kota Ağr",
                "satuan": "unit",
                "target": "2.50",
                "lokasi": "",
                "pagu": str(1_000 + i),
                "pagu_berikut": "0",
                "opd_nama": "Dinas Kesehatan",
                "sumber_dana_nama": "DAU",
                "indikator_lain": [],
            }
            for i in range(120)
        ]
        pdf = PdfReader(io.BytesIO(plan_pdf(plan_tree(rows), title="RKPD")))
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) >= 3
    assert all("KODE" in text and "PAGU" in text for text in pages)
    text = "".join(pages)
    assert "Jalan Łódź, Kota Ağr" in text
    assert "Indikator 119" in text and "2,5 unit" in text
    assert rupiah_text(sum(1_000 + i for i in range(120))) in text


def test_filters_narrow_the_tree_and_the_exports_alike(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    bappeda = person(Role.BAPPEDA)
    _plan(bappeda)
    client = client_as(medan, bappeda)
    page = client.get(f"/perencanaan/?tahun=2027&opd={DISDIK}").content.decode()
    assert "Rp 5<" in page or "Rp 5 " in page
    sheet = load_workbook(
        io.BytesIO(client.get(f"/perencanaan/ekspor.xlsx?tahun=2027&opd={DISDIK}").content)
    )
    assert list(sheet.active.iter_rows(values_only=True))[-1][5] == 5


def test_every_page_renders_with_data_and_the_diff_names_what_moved(
    stages: dict[str, Stage], person: MakePerson, medan: Tenant
) -> None:
    bappeda = person(Role.BAPPEDA)
    _plan(bappeda)
    ceiling_set(actor=bappeda, tahun=2027, opd=DINKES, pagu="1")
    snapshot = stage_close(actor=bappeda, stage=stages[Stage.Kind.FORUM_OPD])
    plan_entry_create(actor=bappeda, data=entry_input(sub_kegiatan="X.XX.01.2.01.0001"))
    client = client_as(medan, bappeda)
    for path in PAGES:
        assert client.get(path, {"tahun": 2027}).status_code == 200, path
    diff = client.get("/perencanaan/selisih/", {"dari": snapshot.pk}).content.decode()
    assert "X.XX.01.2.01.0001" in diff
    report = client.get("/perencanaan/konsistensi/", {"tahun": 2027}).content.decode()
    assert DINKES in report  # over its ceiling


@pytest.mark.parametrize("role", [Role.PERIZINAN_FRONT, Role.KEPALA_DPMPTSP])
def test_pages_refuse_roles_without_planning_access(
    stages: Any, person: MakePerson, medan: Tenant, role: str
) -> None:
    client = client_as(medan, person(role))
    for path in [*PAGES, "/perencanaan/ekspor.xlsx", "/perencanaan/ekspor.pdf"]:
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_reach_only_the_tracking_page(in_medan: Any, medan: Tenant) -> None:
    client = client_as(medan, None)
    for path in PAGES:
        assert client.get(path).status_code == 302, path
    assert client.get("/perencanaan/lacak/").status_code == 200
    assert client.get("/perencanaan/lacak/MR-2027-TIDAKADA/").status_code == 404


def test_the_tree_and_exports_cost_the_same_queries_at_any_size(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bappeda = person(Role.BAPPEDA)
    client = client_as(medan, bappeda)
    paths = ["/perencanaan/", "/perencanaan/ekspor.xlsx", "/perencanaan/ekspor.pdf"]

    def counts() -> list[int]:
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path, {"tahun": 2027}).status_code == 200
            out.append(len(queries))
        return out

    plan_entry_create(actor=bappeda, data=entry_input())
    counts()  # the first request also loads the session's user
    small = counts()
    _plan(bappeda)
    assert counts() == small
    assert all(n > 0 for n in small)
