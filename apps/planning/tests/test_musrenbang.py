"""The Musrenbang path desa -> kecamatan -> kabupaten/kota -> RKPD with every recommendation
kind, pokir, wilayah scope, uploads."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import Role, User
from apps.files.errors import FileError
from apps.files.models import StoredFile
from apps.planning.errors import PlanningError, PlanningForbidden, StageClosedError
from apps.planning.models import PlanEntry, Proposal, Recommendation, Stage
from apps.planning.services.calendar import stage_close
from apps.planning.services.musrenbang import proposal_attach, proposal_create, proposal_recommend
from apps.planning.services.plan import plan_entry_create
from apps.planning.tests.conftest import DINKES, YEAR, MakePerson, a_desa, entry_input

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
R = Recommendation.Kind
L = Recommendation.Level


def propose(actor: User, desa: str = "", **extra: Any) -> Proposal:
    values: dict[str, Any] = {
        "tahun": YEAR,
        "sumber": Proposal.Source.MUSRENBANG,
        "desa": desa,
        "masalah": "Drainase tersumbat, banjir tiap hujan",
        "usulan": "Normalisasi drainase lingkungan",
        "volume": "250",
        "satuan": "meter",
        "biaya": "175000000",
        "prioritas": 1,
    }
    values.update(extra)
    return proposal_create(actor=actor, **values)


def test_a_desa_operator_proposes_for_their_desa_only_with_photos(
    stages: Any, person: MakePerson
) -> None:
    desa, other = a_desa(0), a_desa(-1)
    operator = person(Role.OPERATOR_DESA, wilayah=desa.kode)
    photo = SimpleUploadedFile("foto lokasi.png", PNG, content_type="image/png")
    proposal = propose(operator, desa.kode, berkas=[photo])
    assert proposal.nomor.startswith(f"MR-{YEAR}-")
    assert proposal.lampiran.get().owner_app == "musrenbang"
    with pytest.raises(PlanningForbidden) as refused:
        propose(operator, other.kode)
    assert refused.value.field == "desa"


@pytest.mark.parametrize(
    ("name", "content"),
    [("dokumen.pdf", PNG), ("skrip.exe", b"MZ" + b"\x00" * 20), ("besar.png", PNG * 200_000)],
)
def test_a_wrong_or_oversized_upload_is_refused_and_nothing_is_saved(
    stages: Any, person: MakePerson, name: str, content: bytes
) -> None:
    desa = a_desa(0)
    operator = person(Role.OPERATOR_DESA, wilayah=desa.kode)
    with pytest.raises(FileError) as refused:
        propose(operator, desa.kode, berkas=[SimpleUploadedFile(name, content)])
    assert refused.value.field
    assert Proposal.objects.count() == 0 and StoredFile.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("biaya", {"biaya": "-1"}),
        ("biaya", {"biaya": "10.5"}),
        ("volume", {"volume": "0"}),
        ("masalah", {"masalah": ""}),
        ("desa", {"desa": "72.05.01.2001"}),
        ("prioritas", {"prioritas": 0}),
    ],
)
def test_bad_proposal_fields_are_refused_naming_them(
    stages: Any, person: MakePerson, field: str, bad: dict[str, Any]
) -> None:
    values = {"desa": a_desa(0).kode, **bad}
    with pytest.raises(PlanningError) as refused:
        propose(person(Role.BAPPEDA), **values)
    assert refused.value.field == field
    assert Proposal.objects.count() == 0


def test_a_kecamatan_operator_reviews_only_their_kecamatan(stages: Any, person: MakePerson) -> None:
    desa, other = a_desa(0), a_desa(-1)
    camat = person(Role.OPERATOR_KECAMATAN, wilayah=desa.kecamatan_id)
    bappeda = person(Role.BAPPEDA)
    mine, theirs = propose(bappeda, desa.kode), propose(bappeda, other.kode)
    proposal_recommend(actor=camat, proposal=mine, tingkat=L.KECAMATAN, jenis=R.ACCEPT)
    with pytest.raises(PlanningForbidden):
        proposal_recommend(actor=camat, proposal=theirs, tingkat=L.KECAMATAN, jenis=R.ACCEPT)


def test_the_whole_path_with_every_recommendation_kind(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    bappeda, dprd = person(Role.BAPPEDA), person(Role.DPRD)
    desa = a_desa(0)
    accepted, changed, rejected, passed = (
        propose(bappeda, desa.kode, prioritas=i) for i in (1, 2, 3, 4)
    )
    pokir = propose(dprd, desa.kode, sumber=Proposal.Source.POKIR)
    assert pokir.nomor.startswith("PK-")
    for p in (accepted, changed, rejected, passed, pokir):
        proposal_recommend(actor=bappeda, proposal=p, tingkat=L.KECAMATAN, jenis=R.ACCEPT)
    proposal_recommend(actor=bappeda, proposal=accepted, tingkat=L.KABKOTA, jenis=R.ACCEPT)
    proposal_recommend(
        actor=bappeda,
        proposal=changed,
        tingkat=L.KABKOTA,
        jenis=R.ACCEPT_CHANGED,
        perubahan={"volume": "100", "biaya": "90000000"},
    )
    with pytest.raises(PlanningError) as no_reason:
        proposal_recommend(actor=bappeda, proposal=rejected, tingkat=L.KABKOTA, jenis=R.REJECT)
    assert no_reason.value.field == "alasan"
    proposal_recommend(
        actor=bappeda,
        proposal=rejected,
        tingkat=L.KABKOTA,
        jenis=R.REJECT,
        alasan="Bukan kewenangan",
    )
    proposal_recommend(
        actor=bappeda, proposal=passed, tingkat=L.KABKOTA, jenis=R.PASS_OPD, opd=DINKES
    )
    proposal_recommend(actor=bappeda, proposal=pokir, tingkat=L.KABKOTA, jenis=R.ACCEPT)
    changed.refresh_from_db()
    assert changed.volume == 100 and changed.biaya == 90000000
    reco = changed.rekomendasi.get(tingkat=L.KABKOTA)
    assert reco.perubahan == {"volume": ["250.00", "100.00"], "biaya": ["175000000", "90000000"]}
    existing = plan_entry_create(actor=bappeda, data=entry_input())
    proposal_attach(actor=bappeda, proposal=accepted, entry=existing)
    new = proposal_attach(
        actor=bappeda, proposal=passed, data=entry_input(desa=desa.kode, pagu="175000000")
    )
    proposal_attach(actor=bappeda, proposal=pokir, entry=new)
    states = {p.pk: p.status for p in Proposal.objects.all()}
    assert states[accepted.pk] == states[passed.pk] == states[pokir.pk] == Proposal.State.RKPD
    assert states[rejected.pk] == Proposal.State.REJECTED
    assert states[changed.pk] == Proposal.State.KABKOTA
    assert PlanEntry.objects.get(pk=new.pk).proposals.count() == 2
    with pytest.raises(PlanningError):
        proposal_attach(actor=bappeda, proposal=rejected, entry=existing)


def test_a_recommendation_out_of_order_or_stage_is_refused(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    proposal = propose(bappeda, a_desa(0).kode)
    with pytest.raises(PlanningError) as refused:
        proposal_recommend(actor=bappeda, proposal=proposal, tingkat=L.KABKOTA, jenis=R.ACCEPT)
    assert refused.value.field == "status"
    stage_close(actor=bappeda, stage=stages[Stage.Kind.MUSRENBANG_KECAMATAN])
    with pytest.raises(StageClosedError, match="Musrenbang kecamatan"):
        proposal_recommend(actor=bappeda, proposal=proposal, tingkat=L.KECAMATAN, jenis=R.ACCEPT)
    stage_close(actor=bappeda, stage=stages[Stage.Kind.MUSRENBANG_DESA])
    with pytest.raises(StageClosedError, match="Musrenbang desa"):
        propose(bappeda, a_desa(0).kode)
