"""Publication: figures computed once by the kind's provider, frozen, audited; only frozen
versions reach the portal's pages, downloads and API; drafts never do."""

import csv
import hashlib
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from apps.audit.models import AuditEntry
from apps.planning.models import Stage
from apps.planning.services.calendar import stage_close
from apps.planning.services.plan import plan_entry_create
from apps.planning.tests.conftest import DISDIK, YEAR, client_as, entry_input, sub_kegiatan_codes
from apps.portal import providers
from apps.portal.errors import PortalError
from apps.portal.models import Publikasi
from apps.portal.population import penduduk
from apps.portal.services import publikasi_publish
from tenants.models import Tenant

MEDAN = "12.71"


def _publish(admin: Any, jenis: str, tahun: int = YEAR) -> Publikasi:
    return publikasi_publish(actor=admin, jenis=jenis, tahun=tahun, kode_wilayah=MEDAN)


def _two_entries(bappeda: Any) -> None:
    plan_entry_create(actor=bappeda, data=entry_input(pagu="1500000000"))
    plan_entry_create(
        actor=bappeda,
        data=entry_input(
            sub_kegiatan=sub_kegiatan_codes("1.01", 1)[0], opd=DISDIK, pagu="700000000"
        ),
    )


def test_the_rkpd_is_refused_until_its_enactment_stage_closes_and_nothing_is_written(
    stages: dict[str, Stage], admin: Any
) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(PortalError) as refused:
        _publish(admin, "rkpd")
    assert refused.value.field == "tahun"
    assert not Publikasi.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_rkpd_publication_is_the_enacted_snapshot_not_the_live_draft(
    stages: dict[str, Stage], admin: Any, person: Any
) -> None:
    # given an RKPD enacted with two entries, and a third added to the live plan afterwards
    bappeda = person("bappeda")
    _two_entries(bappeda)
    snapshot = stage_close(actor=bappeda, stage=stages[Stage.Kind.RKPD_PENETAPAN])
    plan_entry_create(actor=bappeda, data=entry_input(pagu="999000000"))
    # when published
    publikasi = _publish(admin, "rkpd")
    # then the frozen figures are the snapshot's
    data = json.loads(publikasi.isi)["data"]
    assert data["snapshot_sha256"] == snapshot.sha256
    assert Decimal(data["total"]) == Decimal("2200000000")
    assert sum(Decimal(r["jumlah"]) for r in data["per_opd"]) == Decimal("2200000000")
    programs = {".".join(sub_kegiatan_codes(b, 1)[0].split(".")[:3]) for b in ("1.01", "1.02")}
    assert {r["kode"] for r in data["per_program"]} == programs


def test_publishing_again_adds_a_version_and_each_is_audited_with_its_hash(
    in_medan: Tenant, admin: Any, apbd_provider_test_double: dict[str, Any]
) -> None:
    first = _publish(admin, "apbd")
    apbd_provider_test_double["silpa"] = Decimal("1.01")
    second = _publish(admin, "apbd")
    assert (first.versi, second.versi) == (1, 2)
    assert first.sha256 == hashlib.sha256(first.isi.encode()).hexdigest()
    assert first.sha256 != second.sha256
    entries = AuditEntry.objects.filter(action="portal.published").order_by("seq")
    assert [e.changes["sha256"] for e in entries] == [first.sha256, second.sha256]
    first.refresh_from_db()
    assert json.loads(first.isi)["data"]["silpa"] == "0.00"


def test_only_an_admin_daerah_publishes(
    in_medan: Tenant, person: Any, apbd_provider_test_double: dict[str, Any]
) -> None:
    with pytest.raises(PortalError) as refused:
        _publish(person("bappeda"), "apbd")
    assert refused.value.field == "role"
    assert not Publikasi.objects.exists()


def test_a_kind_without_a_provider_is_refused_naming_the_field(
    in_medan: Tenant, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every kind has a provider here; a deployment without one (say, no e-budgeting) refuses
    monkeypatch.delitem(providers.PROVIDERS, "apbd")
    with pytest.raises(PortalError) as refused:
        _publish(admin, "apbd")
    assert refused.value.field == "jenis"


def test_the_publish_form_publishes_and_refuses_with_the_field(
    in_medan: Tenant, admin: Any, apbd_provider_test_double: dict[str, Any]
) -> None:
    client = client_as(in_medan, admin)
    assert client.get("/portal/terbitkan/").status_code == 200
    bad = client.post("/portal/terbitkan/", {"jenis": "apbd", "tahun": "20x7"})
    assert bad.status_code == 400 and b'data-field="tahun"' in bad.content
    ok = client.post("/portal/terbitkan/", {"jenis": "apbd", "tahun": str(YEAR)})
    assert ok.status_code == 302 and ok["Location"] == f"/portal/apbd/{YEAR}/"
    assert Publikasi.objects.filter(jenis="apbd", tahun=YEAR, versi=1).exists()


def test_the_publish_form_is_closed_to_anonymous_and_other_roles(
    in_medan: Tenant, person: Any
) -> None:
    assert client_as(in_medan, None).get("/portal/terbitkan/").status_code == 302
    post = client_as(in_medan, person("bappeda")).post(
        "/portal/terbitkan/", {"jenis": "apbd", "tahun": str(YEAR)}
    )
    assert post.status_code == 403


def test_drafts_never_appear_on_pages_downloads_or_the_api(
    stages: dict[str, Stage], person: Any
) -> None:
    # a live plan with entries, nothing published
    _two_entries(person("bappeda"))
    anonymous = client_as(Tenant.objects.get(region_id=MEDAN), None)
    home = anonymous.get("/portal/")
    assert home.status_code == 200 and b"/portal/rkpd/" not in home.content
    for path in (
        f"/portal/rkpd/{YEAR}/",
        f"/portal/rkpd/{YEAR}/per_opd.csv",
        f"/portal/rkpd/{YEAR}/unduh.xlsx",
        f"/api/publik/v1/dokumen/rkpd/{YEAR}/",
        f"/api/publik/v1/dokumen/rkpd/{YEAR}/isi/",
    ):
        assert anonymous.get(path).status_code == 404, path
    assert anonymous.get("/api/publik/v1/dokumen/").json()["dokumen"] == []


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


def test_apbd_figures_equal_the_frozen_document_to_the_sen_on_page_csv_xlsx_and_api(
    in_medan: Tenant, admin: Any, apbd_provider_test_double: dict[str, Any]
) -> None:
    publikasi = _publish(admin, "apbd")
    anonymous = client_as(in_medan, None)
    page = anonymous.get(f"/portal/apbd/{YEAR}/")
    assert page.status_code == 200
    assert b"Rp 5.300.000.000,10" in page.content  # belanja, with its sen
    # CSV: every urusan row and the total equal the document's, to the sen
    rows = _csv_rows(anonymous.get(f"/portal/apbd/{YEAR}/per_urusan.csv").content)
    amounts = [Decimal(r[2]) for r in rows[1:-1]]
    assert amounts == [Decimal("2000000000.05"), Decimal("3300000000.05")]
    assert Decimal(rows[-1][2]) == Decimal("5300000000.10")
    # per capita: belanja of each urusan over the population of data/wilayah
    people = penduduk(MEDAN)
    assert people and Decimal(rows[1][3]) == (Decimal("2000000000.05") / people).quantize(
        Decimal("0.01")
    )
    # XLSX: one sheet per table, the same totals
    book = load_workbook(io.BytesIO(anonymous.get(f"/portal/apbd/{YEAR}/unduh.xlsx").content))
    sheet = list(book["per_kelompok"].iter_rows(values_only=True))
    assert Decimal(str(sheet[-1][2])) == Decimal("5300000000.10")
    # API: the frozen bytes hash to the published sha256
    raw = anonymous.get(f"/api/publik/v1/dokumen/apbd/{YEAR}/isi/").content
    assert hashlib.sha256(raw).hexdigest() == publikasi.sha256
    api = anonymous.get(f"/api/publik/v1/dokumen/apbd/{YEAR}/").json()
    assert api["isi"]["data"]["belanja"] == "5300000000.10" and api["versi"] == 1


def test_earlier_versions_stay_readable_and_the_page_says_when_each_was_published(
    in_medan: Tenant, admin: Any, apbd_provider_test_double: dict[str, Any]
) -> None:
    _publish(admin, "apbd")
    apbd_provider_test_double["belanja"] = Decimal("1.00")
    _publish(admin, "apbd")
    anonymous = client_as(in_medan, None)
    latest = anonymous.get(f"/portal/apbd/{YEAR}/")
    assert b"Rp 1" in latest.content and b'id="portal-versions"' in latest.content
    assert latest.content.count(b"?versi=") >= 2
    old = anonymous.get(f"/api/publik/v1/dokumen/apbd/{YEAR}/?versi=1").json()
    assert old["isi"]["data"]["belanja"] == "5300000000.10"
    assert anonymous.get(f"/portal/apbd/{YEAR}/?versi=9").status_code == 404


def test_musrenbang_and_permit_documents_render_and_download(
    stages: dict[str, Stage], admin: Any
) -> None:
    for jenis in ("musrenbang", "perizinan"):
        publikasi = _publish(admin, jenis)
        anonymous = client_as(Tenant.objects.get(region_id=MEDAN), None)
        assert anonymous.get(f"/portal/{jenis}/{YEAR}/").status_code == 200
        data = json.loads(publikasi.isi)["data"]
        assert data["tahun"] == YEAR
        assert anonymous.get(f"/portal/{jenis}/{YEAR}/unduh.xlsx").status_code == 200
