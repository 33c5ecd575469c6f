"""The e-planning forms on the pages: every write through its service, each refusal of the
issue's "Bad input" shown in Bahasa Indonesia next to the field it names, what was typed kept,
nothing half-saved."""

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.files.models import StoredFile
from apps.planning.models import OpdCeiling, Period, PlanEntry, Proposal, RenjaReview, Stage
from apps.planning.services.plan import plan_entry_create
from apps.planning.tests.conftest import (
    DINKES,
    DISDIK,
    YEAR,
    MakePerson,
    a_desa,
    client_as,
    entry_input,
    plan_year,
    sub_kegiatan_codes,
)
from apps.reference.models import Nomenklatur, SumberDana
from tenants.models import Tenant

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def field_error(response: Any, field: str) -> str:
    """The error shown inside the block of `field` ('' when there is none)."""
    html = response.content.decode()
    match = re.search(
        rf'<div class="field[^"]*" data-field="{field}">(.*?)</div>\s*(?=<div class="field|<)',
        html,
        re.S,
    )
    assert match, f"no field {field} on the page"
    error = re.search(r'<p class="field-error"[^>]*>(.*?)</p>', match.group(1), re.S)
    return unescape(error.group(1)).strip() if error else ""


def form_notice(response: Any) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="notice notice--error form-errors"[^>]*>(.*?)</div>', html, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def entry_post(**overrides: Any) -> dict[str, Any]:
    values = entry_input(**overrides).__dict__
    return {k: str(v) for k, v in values.items() if v is not None}


# --- RKPD entries ----------------------------------------------------------------------------


def _provincial_code() -> str:
    """A sub kegiatan of the provincial level (digit 1 after the program)."""
    parent = Nomenklatur.objects.filter(tingkat="kegiatan").first()
    kode = "1.02.02.1.01.0001"
    Nomenklatur.objects.get_or_create(
        kode=kode,
        defaults={"nama": "Sub kegiatan provinsi", "tingkat": "sub_kegiatan", "induk": parent},
    )
    return kode


def _retired_code() -> str:
    kode = sub_kegiatan_codes("1.02", 3)[2]
    Nomenklatur.objects.filter(kode=kode).update(retired_at=timezone.now())
    return kode


ENTRY_REFUSALS: dict[str, tuple[str, Any, str]] = {
    "wrong level": ("sub_kegiatan", _provincial_code, "bukan sub kegiatan tingkat kabupaten/kota"),
    "a kegiatan": ("sub_kegiatan", lambda: "1.02.02.2.01", "bukan sub kegiatan dalam nomenklatur"),
    "outside": ("sub_kegiatan", lambda: "9.99.99.2.99.9999", "bukan sub kegiatan dalam"),
    "retired": ("sub_kegiatan", _retired_code, "sudah tidak berlaku"),
    "kecamatan elsewhere": ("kecamatan", lambda: "72.05.01", "tidak berada di daerah ini"),
    "desa elsewhere": ("desa", lambda: "72.05.01.2001", "tidak berada di daerah ini"),
    "negative pagu": ("pagu", lambda: "-5", "tidak boleh negatif"),
    "fractional pagu": ("pagu", lambda: "1500000,50", "tanpa sen"),
    "fractional pagu dot": ("pagu", lambda: "1500000.5", "tanpa sen"),
    "three-decimal target": ("target", lambda: "1.255", "dua desimal"),
    "empty indicator": ("indikator", lambda: "", "Wajib diisi"),
    "another OPD": ("opd", lambda: DISDIK, "bukan OPD Anda"),
}


@pytest.mark.parametrize("case", sorted(ENTRY_REFUSALS))
def test_the_entry_form_shows_each_refusal_next_to_its_field_and_saves_nothing(
    stages: Any, person: MakePerson, medan: Tenant, case: str
) -> None:
    field, value_of, message = ENTRY_REFUSALS[case]
    operator = person(Role.OPD_OPERATOR, opd=DINKES)
    value = value_of()
    before = PlanEntry.objects.count()
    response = client_as(medan, operator).post(
        "/perencanaan/entri/baru/", entry_post(**{field: value})
    )
    assert response.status_code == 400
    assert message in field_error(response, field)
    assert PlanEntry.objects.count() == before
    html = response.content.decode()
    assert 'value="Meningkatnya derajat kesehatan masyarakat"' in html  # what was typed is kept
    if value and field not in ("kecamatan", "desa", "opd"):
        assert f'value="{value}"' in html


def test_an_entry_outside_an_open_stage_names_the_stage_and_its_dates(
    in_medan: Tenant, person: MakePerson
) -> None:
    plan_year(open_kinds=())
    operator = person(Role.OPD_OPERATOR, opd=DINKES)
    response = client_as(in_medan, operator).post("/perencanaan/entri/baru/", entry_post())
    assert response.status_code == 400
    notice = form_notice(response)
    assert "Forum OPD 2027" in notice and "tidak sedang dibuka" in notice
    assert str(timezone.localdate().year) in notice
    assert not PlanEntry.objects.exists()


def test_an_opd_operator_adds_edits_and_deletes_their_entries(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    operator = person(Role.OPD_OPERATOR, opd=DINKES)
    client = client_as(medan, operator)
    desa = a_desa(0)
    form = client.get("/perencanaan/entri/baru/")
    assert form.status_code == 200 and 'name="csrfmiddlewaretoken"' in form.content.decode()
    assert form.content.decode().count("<option") < 1000  # no select of every sub kegiatan
    created = client.post(
        "/perencanaan/entri/baru/",
        entry_post(kecamatan=desa.kecamatan_id, desa=desa.kode, pagu="2500000000"),
    )
    assert created.status_code == 302
    entry = PlanEntry.objects.get()
    assert (entry.desa_id, int(entry.pagu)) == (desa.kode, 2_500_000_000)
    edit_url = f"/perencanaan/entri/{entry.pk}/ubah/"
    assert f'value="{entry.sub_kegiatan.kode}"' in client.get(edit_url).content.decode()
    changed = client.post(edit_url, entry_post(pagu="1000", desa=desa.kode))
    assert changed.status_code == 302
    entry.refresh_from_db()
    assert entry.pagu == 1000
    refused = client.post(edit_url, entry_post(pagu="-1"))
    assert refused.status_code == 400 and "negatif" in field_error(refused, "pagu")
    entry.refresh_from_db()
    assert entry.pagu == 1000
    assert client.post(f"/perencanaan/entri/{entry.pk}/hapus/").status_code == 302
    assert not PlanEntry.objects.exists()


def test_an_opd_operator_cannot_open_another_opds_entry(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    entry = plan_entry_create(actor=person(Role.BAPPEDA), data=entry_input(opd=DINKES))
    client = client_as(medan, person(Role.OPD_OPERATOR, opd=DISDIK))
    for path in (f"/perencanaan/entri/{entry.pk}/ubah/", f"/perencanaan/entri/{entry.pk}/hapus/"):
        assert client.get(path).status_code == 403
        assert client.post(path, entry_post(opd=DISDIK)).status_code == 403
    entry.refresh_from_db()
    assert entry.opd.kode == DINKES


def test_the_sub_kegiatan_search_answers_a_few_kabkota_items(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.OPD_OPERATOR, opd=DINKES))
    found = client.get("/perencanaan/nomenklatur/cari/", {"q": "1.02"}).json()["hasil"]
    assert 0 < len(found) <= 20
    assert all(row["kode"].split(".")[3] == "2" and row["kode"].count(".") == 5 for row in found)
    by_name = client.get("/perencanaan/nomenklatur/cari/", {"q": found[0]["nama"]}).json()
    assert found[0]["kode"] in [row["kode"] for row in by_name["hasil"]]
    assert client.get("/perencanaan/nomenklatur/cari/", {"q": "1"}).json() == {"hasil": []}
    assert client.get("/perencanaan/nomenklatur/cari/", {"q": "1.02\x00"}).status_code < 500


# --- calendar, ceilings, Renja ---------------------------------------------------------------


def test_bappeda_keeps_the_calendar_on_the_page(in_medan: Tenant, person: MakePerson) -> None:
    client = client_as(in_medan, person(Role.BAPPEDA))
    assert (
        client.post(
            "/perencanaan/jadwal/periode/", {"nama": "RPJMD", "tahun_awal": "2025"}
        ).status_code
        == 302
    )
    overlap = client.post("/perencanaan/jadwal/periode/", {"nama": "Lagi", "tahun_awal": "2027"})
    assert overlap.status_code == 400 and "bertumpang tindih" in field_error(overlap, "tahun_awal")
    period = Period.objects.get()
    today = timezone.localdate()
    stage = {
        "period": period.pk,
        "tahun": YEAR,
        "jenis": Stage.Kind.RKPD_AWAL,
        "dibuka_pada": str(today),
        "ditutup_pada": str(today - timedelta(days=1)),
    }
    reversed_dates = client.post("/perencanaan/jadwal/tahapan/", stage)
    assert reversed_dates.status_code == 400
    assert "sebelum tanggal buka" in field_error(reversed_dates, "ditutup_pada")
    assert f'value="{today}"' in reversed_dates.content.decode()
    outside = client.post("/perencanaan/jadwal/tahapan/", {**stage, "tahun": 2031})
    assert "di luar periode" in field_error(outside, "tahun")
    assert not Stage.objects.exists()
    stage["ditutup_pada"] = str(today + timedelta(days=3))
    assert client.post("/perencanaan/jadwal/tahapan/", stage).status_code == 302
    made = Stage.objects.get()
    assert client.post(f"/perencanaan/jadwal/tahapan/{made.pk}/buka/").status_code == 302
    again = client.post(f"/perencanaan/jadwal/tahapan/{made.pk}/buka/")
    assert again.status_code == 400 and "sudah dibuka" in again.content.decode()
    assert client.post(f"/perencanaan/jadwal/tahapan/{made.pk}/tutup/").status_code == 302
    made.refresh_from_db()
    assert made.status == Stage.State.CLOSED and made.snapshot.sha256
    page = client.get("/perencanaan/jadwal/").content.decode()
    assert f"?dari={made.snapshot.pk}" in page


def test_bappeda_sets_a_ceiling_and_a_bad_amount_is_named(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.BAPPEDA))
    for pagu, message in (("-1", "negatif"), ("10,5", "tanpa sen"), ("sepuluh", "tidak valid")):
        refused = client.post(
            "/perencanaan/pagu-opd/simpan/", {"tahun": YEAR, "opd": DINKES, "pagu": pagu}
        )
        assert refused.status_code == 400 and message in field_error(refused, "pagu")
    unknown = client.post("/perencanaan/pagu-opd/simpan/", {"tahun": YEAR, "opd": "X", "pagu": "1"})
    assert "tidak dikenal" in field_error(unknown, "opd")
    assert not OpdCeiling.objects.exists()
    saved = client.post(
        "/perencanaan/pagu-opd/simpan/", {"tahun": YEAR, "opd": DINKES, "pagu": "9000000000"}
    )
    assert saved.status_code == 302
    assert "Rp 9.000.000.000" in client.get(saved["Location"]).content.decode()


def test_the_renja_is_submitted_by_its_kepala_and_returned_with_notes_by_bappeda(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    kepala = client_as(medan, person(Role.KEPALA_OPD, opd=DINKES))
    other = kepala.post("/perencanaan/renja/ajukan/", {"tahun": YEAR, "opd": DISDIK})
    assert other.status_code == 400 and "bukan OPD Anda" in field_error(other, "opd")
    assert (
        kepala.post("/perencanaan/renja/ajukan/", {"tahun": YEAR, "opd": DINKES}).status_code == 302
    )
    review = RenjaReview.objects.get()
    bappeda = client_as(medan, person(Role.BAPPEDA))
    url = f"/perencanaan/renja/{review.pk}/verifikasi/"
    no_notes = bappeda.post(
        url, {f"r{review.pk}-keputusan": "kembalikan", f"r{review.pk}-catatan": ""}
    )
    assert no_notes.status_code == 400 and "Catatan wajib diisi" in field_error(no_notes, "catatan")
    review.refresh_from_db()
    assert review.status == RenjaReview.State.SUBMITTED
    returned = bappeda.post(
        url,
        {f"r{review.pk}-keputusan": "kembalikan", f"r{review.pk}-catatan": "Lengkapi indikator"},
    )
    assert returned.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.catatan) == (RenjaReview.State.RETURNED, "Lengkapi indikator")


# --- Musrenbang ------------------------------------------------------------------------------


def proposal_post(desa: str, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "tahun": YEAR,
        "desa": desa,
        "masalah": "Drainase tersumbat",
        "usulan": "Normalisasi drainase lingkungan",
        "volume": "250",
        "satuan": "meter",
        "biaya": "175000000",
        "prioritas": "1",
    }
    values.update(extra)
    return values


def test_a_desa_operator_enters_a_proposal_with_a_photo_and_sees_its_number(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    desa = a_desa(0)
    client = client_as(medan, person(Role.OPERATOR_DESA, wilayah=desa.kode))
    form = client.get("/perencanaan/musrenbang/usulan/baru/").content.decode()
    assert f'<option value="{desa.kode}" selected>' in form
    select = re.search(r'<select name="desa".*?</select>', form, re.S)
    assert select and select.group(0).count("<option") == 2  # their own desa (and the empty one)
    photo = SimpleUploadedFile("foto.png", PNG, content_type="image/png")
    response = client.post(
        "/perencanaan/musrenbang/usulan/baru/", {**proposal_post(desa.kode), "berkas": [photo]}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.lampiran.get().name == "foto.png"
    detail = client.get(response["Location"]).content.decode()
    assert proposal.nomor in detail and "foto.png" in detail


PROPOSAL_REFUSALS: dict[str, tuple[str, dict[str, Any], str]] = {
    "another desa": ("desa", {"desa": "OTHER"}, "di luar wilayah tugas Anda"),
    "desa elsewhere": ("desa", {"desa": "72.05.01.2001"}, "tidak berada di daerah ini"),
    "fractional cost": ("biaya", {"biaya": "100,5"}, "tanpa sen"),
    "negative cost": ("biaya", {"biaya": "-100"}, "negatif"),
    "zero volume": ("volume", {"volume": "0"}, "lebih besar dari nol"),
    "wrong type": ("berkas", {"file": ("skrip.exe", b"MZ" + b"\x00" * 20)}, ""),
    "type lie": ("berkas", {"file": ("foto.png", b"%PDF-1.4 bukan gambar")}, ""),
    "oversized": ("berkas", {"file": ("besar.png", PNG * 200_000)}, "5"),
}


@pytest.mark.parametrize("case", sorted(PROPOSAL_REFUSALS))
def test_the_proposal_form_shows_each_refusal_next_to_its_field_and_stores_nothing(
    stages: Any, person: MakePerson, medan: Tenant, case: str
) -> None:
    field, changes, message = PROPOSAL_REFUSALS[case]
    desa, other = a_desa(0), a_desa(-1)
    client = client_as(medan, person(Role.OPERATOR_DESA, wilayah=desa.kode))
    data = proposal_post(desa.kode, masalah="Tetap terisi")
    files = changes.pop("file", None) if "file" in changes else None
    data.update({k: other.kode if v == "OTHER" else v for k, v in changes.items()})
    if files:
        data["berkas"] = [SimpleUploadedFile(files[0], files[1])]
    changes.update({"file": files} if files else {})
    response = client.post("/perencanaan/musrenbang/usulan/baru/", data)
    assert response.status_code == 400
    error = field_error(response, field)
    assert error and message in error
    assert "Tetap terisi" in response.content.decode()
    assert not Proposal.objects.exists() and not StoredFile.objects.exists()


def _proposal(person: MakePerson, medan: Tenant) -> tuple[Proposal, Client]:
    desa = a_desa(0)
    client = client_as(medan, person(Role.OPERATOR_DESA, wilayah=desa.kode))
    assert (
        client.post("/perencanaan/musrenbang/usulan/baru/", proposal_post(desa.kode)).status_code
        == 302
    )
    return Proposal.objects.get(), client_as(
        medan, person(Role.OPERATOR_KECAMATAN, wilayah=desa.kecamatan_id)
    )


RECOMMEND_REFUSALS = {
    "reject without reason": ({"jenis": "tolak", "alasan": ""}, "alasan", "Alasan penolakan wajib"),
    "changes missing": ({"jenis": "terima_ubah"}, "ubah_usulan", "Perubahan wajib diisi"),
    "bad changed cost": ({"jenis": "terima_ubah", "ubah_biaya": "1,5"}, "ubah_biaya", "tanpa sen"),
    "no OPD": ({"jenis": "teruskan_opd", "opd": ""}, "opd", "OPD tujuan wajib"),
}


@pytest.mark.parametrize("case", sorted(RECOMMEND_REFUSALS))
def test_the_forum_form_names_what_a_recommendation_lacks(
    stages: Any, person: MakePerson, medan: Tenant, case: str
) -> None:
    data, field, message = RECOMMEND_REFUSALS[case]
    proposal, forum = _proposal(person, medan)
    response = forum.post(f"/perencanaan/musrenbang/usulan/{proposal.pk}/rekomendasi/", data)
    assert response.status_code == 400
    assert message in field_error(response, field)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.State.DESA and not proposal.rekomendasi.exists()
    assert proposal.biaya == 175_000_000


@pytest.mark.parametrize(
    ("kind", "extra", "status"),
    [
        ("terima", {}, Proposal.State.KECAMATAN),
        (
            "terima_ubah",
            {"ubah_biaya": "150000000", "ubah_volume": "200"},
            Proposal.State.KECAMATAN,
        ),
        ("tolak", {"alasan": "Sudah dibiayai dana desa"}, Proposal.State.REJECTED),
        ("teruskan_opd", {"opd": DINKES}, Proposal.State.KECAMATAN),
    ],
)
def test_the_kecamatan_forum_records_every_kind_on_the_page(
    stages: Any, person: MakePerson, medan: Tenant, kind: str, extra: dict[str, str], status: str
) -> None:
    proposal, forum = _proposal(person, medan)
    page = forum.get(f"/perencanaan/musrenbang/usulan/{proposal.pk}/").content.decode()
    assert 'id="recommend-form"' in page
    done = forum.post(
        f"/perencanaan/musrenbang/usulan/{proposal.pk}/rekomendasi/", {"jenis": kind, **extra}
    )
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == status
    reco = proposal.rekomendasi.get()
    if kind == "terima_ubah":
        assert reco.perubahan == {
            "biaya": ["175000000", "150000000"],
            "volume": ["250.00", "200.00"],
        }
        assert proposal.biaya == 150_000_000
    track = Client(HTTP_HOST=forum.defaults["HTTP_HOST"]).get(
        f"/perencanaan/lacak/{proposal.nomor}/"
    )
    assert reco.get_jenis_display() in track.content.decode()


@pytest.mark.parametrize(
    ("kind", "extra", "status"),
    [
        ("terima", {}, Proposal.State.KABKOTA),
        ("terima_ubah", {"ubah_usulan": "Drainase 150 meter"}, Proposal.State.KABKOTA),
        ("tolak", {"alasan": "Di luar prioritas RPJMD"}, Proposal.State.REJECTED),
        ("teruskan_opd", {"opd": DINKES}, Proposal.State.OPD),
    ],
)
def test_the_kabkota_forum_records_every_kind_on_the_page(
    stages: Any, person: MakePerson, medan: Tenant, kind: str, extra: dict[str, str], status: str
) -> None:
    proposal, forum = _proposal(person, medan)
    url = f"/perencanaan/musrenbang/usulan/{proposal.pk}/rekomendasi/"
    assert forum.post(url, {"jenis": "terima"}).status_code == 302
    again = forum.post(url, {"jenis": "terima"})  # the kecamatan has decided; not its level now
    assert again.status_code == 400
    bappeda = client_as(medan, person(Role.BAPPEDA))
    assert (
        "Musrenbang kabupaten/kota" in bappeda.get(url.replace("rekomendasi/", "")).content.decode()
    )
    assert bappeda.post(url, {"jenis": kind, **extra}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == status
    assert list(proposal.rekomendasi.values_list("tingkat", "jenis")) == [
        ("kecamatan", "terima"),
        ("kabkota", kind),
    ]


def test_another_kecamatans_forum_neither_sees_nor_decides_the_proposal(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    proposal, _forum = _proposal(person, medan)
    elsewhere = a_desa(-1).kecamatan_id
    assert elsewhere != proposal.desa.kecamatan_id
    other = client_as(medan, person(Role.OPERATOR_KECAMATAN, wilayah=elsewhere))
    url = f"/perencanaan/musrenbang/usulan/{proposal.pk}/"
    assert other.get(url).status_code == 404
    assert other.post(url + "rekomendasi/", {"jenis": "terima"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.State.DESA


def test_the_whole_path_to_the_rkpd_on_the_pages_new_and_existing_entries(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    bappeda = client_as(medan, person(Role.BAPPEDA))
    operator = client_as(medan, person(Role.OPD_OPERATOR, opd=DINKES))
    first, forum = _proposal(person, medan)
    forum.post(f"/perencanaan/musrenbang/usulan/{first.pk}/rekomendasi/", {"jenis": "terima"})
    kabkota = bappeda.post(
        f"/perencanaan/musrenbang/usulan/{first.pk}/rekomendasi/",
        {"jenis": "teruskan_opd", "opd": DINKES},
    )
    assert kabkota.status_code == 302
    first.refresh_from_db()
    assert first.status == Proposal.State.OPD
    page = operator.get(f"/perencanaan/musrenbang/usulan/{first.pk}/").content.decode()
    assert 'id="attach-new-form"' in page
    bad = operator.post(
        f"/perencanaan/musrenbang/usulan/{first.pk}/lampirkan-baru/",
        {f"baru-{k}": v for k, v in entry_post(pagu="12,5").items()},
    )
    assert bad.status_code == 400 and "tanpa sen" in field_error(bad, "pagu")
    assert not PlanEntry.objects.exists()
    made = operator.post(
        f"/perencanaan/musrenbang/usulan/{first.pk}/lampirkan-baru/",
        {f"baru-{k}": v for k, v in entry_post().items()},
    )
    assert made.status_code == 302
    first.refresh_from_db()
    assert first.status == Proposal.State.RKPD and first.plan_entry is not None
    # a second proposal joins the existing entry
    desa = a_desa(0)
    desa_client = client_as(medan, person(Role.OPERATOR_DESA, wilayah=desa.kode))
    desa_client.post(
        "/perencanaan/musrenbang/usulan/baru/", proposal_post(desa.kode, prioritas="2")
    )
    second = Proposal.objects.exclude(pk=first.pk).get()
    forum.post(f"/perencanaan/musrenbang/usulan/{second.pk}/rekomendasi/", {"jenis": "terima"})
    bappeda.post(f"/perencanaan/musrenbang/usulan/{second.pk}/rekomendasi/", {"jenis": "terima"})
    joined = operator.post(
        f"/perencanaan/musrenbang/usulan/{second.pk}/lampirkan/?opd={DINKES}",
        {"entri": first.plan_entry.pk},
    )
    assert joined.status_code == 302
    second.refresh_from_db()
    assert second.plan_entry_id == first.plan_entry_id
    track = Client(HTTP_HOST=forum.defaults["HTTP_HOST"]).get(f"/perencanaan/lacak/{second.nomor}/")
    assert first.plan_entry.sub_kegiatan.kode in track.content.decode()


def test_dprd_enters_a_pokir_marked_as_pokir(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.DPRD))
    form = client.get("/perencanaan/musrenbang/pokir/baru/")
    assert form.status_code == 200 and "Pokok pikiran DPRD" in form.content.decode()
    assert (
        client.post(
            "/perencanaan/musrenbang/pokir/baru/", proposal_post(a_desa(0).kode)
        ).status_code
        == 302
    )
    pokir = Proposal.objects.get()
    assert pokir.sumber == Proposal.Source.POKIR and pokir.nomor.startswith("PK-")
    assert (
        client.post(
            "/perencanaan/musrenbang/usulan/baru/", proposal_post(a_desa(0).kode)
        ).status_code
        == 403
    )


# --- role boundaries for every role ----------------------------------------------------------

WRITES: dict[str, frozenset[str]] = {
    "/perencanaan/jadwal/periode/": frozenset({Role.BAPPEDA}),
    "/perencanaan/jadwal/tahapan/": frozenset({Role.BAPPEDA}),
    "/perencanaan/pagu-opd/simpan/": frozenset({Role.BAPPEDA}),
    "/perencanaan/entri/baru/": frozenset({Role.BAPPEDA, Role.OPD_OPERATOR, Role.KEPALA_OPD}),
    "/perencanaan/renja/ajukan/": frozenset({Role.KEPALA_OPD}),
    "/perencanaan/musrenbang/usulan/baru/": frozenset(
        {Role.OPERATOR_DESA, Role.OPERATOR_KECAMATAN, Role.BAPPEDA}
    ),
    "/perencanaan/musrenbang/pokir/baru/": frozenset({Role.DPRD}),
}


@pytest.mark.parametrize("role", Role.values)
def test_every_form_refuses_every_role_it_does_not_name(
    stages: Any, person: MakePerson, medan: Tenant, role: str
) -> None:
    desa = a_desa(0)
    user = person(role, opd=DINKES, wilayah=desa.kode)
    client = client_as(medan, user)
    periods = Period.objects.count()
    for path, allowed in WRITES.items():
        status = client.post(path, {}).status_code
        if role in allowed:
            assert status == 400, (path, status)  # reached the form, refused the empty input
        else:
            assert status == 403, (path, status)
    assert Period.objects.count() == periods and not Proposal.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_by_every_form(stages: Any, medan: Tenant) -> None:
    client = client_as(medan, None)
    for path in WRITES:
        response = client.post(path, {})
        assert response.status_code == 302 and "/akun/login/" in response["Location"], path


def test_inspektorat_reads_the_calendar_and_renja_but_writes_nothing(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.INSPEKTORAT))
    for path in ("/perencanaan/jadwal/", "/perencanaan/pagu-opd/", "/perencanaan/renja/"):
        assert client.get(path).status_code == 200, path
    for path in WRITES:
        assert client.post(path, {}).status_code == 403, path
    stage = stages[Stage.Kind.RKPD_AWAL]
    assert client.post(f"/perencanaan/jadwal/tahapan/{stage.pk}/tutup/").status_code == 403
    assert SumberDana.objects.exists()


def test_a_region_reaches_none_of_anothers_entries_or_proposals_through_the_forms(
    stages: Any, person: MakePerson, medan: Tenant, buol: Tenant
) -> None:
    entry = plan_entry_create(actor=person(Role.BAPPEDA), data=entry_input())
    desa = a_desa(0)
    operator = client_as(medan, person(Role.OPERATOR_DESA, wilayah=desa.kode))
    operator.post("/perencanaan/musrenbang/usulan/baru/", proposal_post(desa.kode))
    proposal = Proposal.objects.get()
    with schema_context(buol.schema_name):
        planner = User.objects.create_user(email="bappeda@buol.go.id")
        RoleAssignment.objects.create(user=planner, role=Role.BAPPEDA)
        buol_client = client_as(buol, planner)
        for path in (
            f"/perencanaan/entri/{entry.pk}/ubah/",
            f"/perencanaan/entri/{entry.pk}/hapus/",
            f"/perencanaan/musrenbang/usulan/{proposal.pk}/",
        ):
            assert buol_client.get(path).status_code == 404, path
        refused = buol_client.post("/perencanaan/entri/baru/", entry_post(desa=desa.kode))
        assert refused.status_code == 400
        assert not PlanEntry.objects.exists() and not Proposal.objects.exists()
    entry.refresh_from_db()
    assert PlanEntry.objects.count() == 1
