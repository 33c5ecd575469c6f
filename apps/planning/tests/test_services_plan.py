"""RKPD entries: each bad input refused naming its field, nothing half-saved; stages enforced."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.audit.models import AuditEntry
from apps.planning.errors import PlanningError, PlanningForbidden, StageClosedError
from apps.planning.models import OpdCeiling, PlanEntry, Stage
from apps.planning.services.calendar import period_create, stage_close, stage_create, stage_open
from apps.planning.services.plan import ceiling_set, plan_entry_create, plan_entry_update
from apps.planning.tests.conftest import (
    DINKES,
    DISDIK,
    YEAR,
    MakePerson,
    a_desa,
    entry_input,
    plan_year,
)
from apps.reference.models import Nomenklatur


def test_bappeda_adds_an_entry_with_its_audit_entry(stages: Any, person: MakePerson) -> None:
    bappeda = person(Role.BAPPEDA)
    desa = a_desa()
    before = AuditEntry.objects.count()
    entry = plan_entry_create(
        actor=bappeda, data=entry_input(desa=desa.kode, kecamatan=desa.kecamatan_id)
    )
    assert entry.pagu == 1500000000 and entry.kecamatan_id == desa.kecamatan_id
    assert AuditEntry.objects.count() == before + 1


BAD_FIELDS = [
    ("sub_kegiatan", {"sub_kegiatan": "9.99.99.2.01.0001"}),
    ("sub_kegiatan", {"sub_kegiatan": "1.02.02"}),  # a program, not a sub kegiatan
    ("desa", {"desa": "72.05.01.2001"}),  # Buol's, not Medan's
    ("kecamatan", {"kecamatan": "72.05.01"}),
    ("pagu", {"pagu": "-1"}),
    ("pagu", {"pagu": "1000.5"}),
    ("pagu", {"pagu": "1000.001"}),
    ("pagu_berikut", {"pagu_berikut": "abc"}),
    ("pagu_berikut", {"pagu_berikut": "NaN"}),
    ("target", {"target": "-3"}),
    ("target_berikut", {"target_berikut": "1.234"}),
    ("opd", {"opd": "9.99.0.00.0.00.01.0000"}),
    ("sumber_dana", {"sumber_dana": "tidak-ada"}),
    ("indikator", {"indikator": "  "}),
    ("satuan", {"satuan": ""}),
]


@pytest.mark.parametrize(("field", "bad"), BAD_FIELDS, ids=[f"{f}-{b}" for f, b in BAD_FIELDS])
def test_every_bad_field_is_refused_naming_it_and_nothing_is_saved(
    stages: Any, person: MakePerson, field: str, bad: dict[str, str]
) -> None:
    bappeda = person(Role.BAPPEDA)
    entries, audits = PlanEntry.objects.count(), AuditEntry.objects.count()
    with pytest.raises(PlanningError) as refused:
        plan_entry_create(actor=bappeda, data=entry_input(**bad))
    assert refused.value.field == field
    assert refused.value.message
    assert (PlanEntry.objects.count(), AuditEntry.objects.count()) == (entries, audits)


def test_a_province_level_code_is_refused(stages: Any, person: MakePerson) -> None:
    parent = Nomenklatur.objects.filter(tingkat="kegiatan").first()
    Nomenklatur.objects.create(
        kode="1.02.02.1.01.0001", nama="Sub kegiatan provinsi", tingkat="sub_kegiatan", induk=parent
    )
    with pytest.raises(PlanningError, match="tingkat kabupaten/kota") as refused:
        plan_entry_create(
            actor=person(Role.BAPPEDA), data=entry_input(sub_kegiatan="1.02.02.1.01.0001")
        )
    assert refused.value.field == "sub_kegiatan"


def test_a_retired_code_is_refused(stages: Any, person: MakePerson) -> None:
    kode = entry_input().sub_kegiatan
    Nomenklatur.objects.filter(kode=kode).update(retired_at=timezone.now())
    with pytest.raises(PlanningError, match="tidak berlaku") as refused:
        plan_entry_create(actor=person(Role.BAPPEDA), data=entry_input(sub_kegiatan=kode))
    assert refused.value.field == "sub_kegiatan"


def test_a_support_program_code_is_allowed(stages: Any, person: MakePerson) -> None:
    entry = plan_entry_create(
        actor=person(Role.BAPPEDA), data=entry_input(sub_kegiatan="X.XX.01.2.01.0001")
    )
    assert entry.sub_kegiatan.penunjang


def test_a_desa_outside_the_named_kecamatan_is_refused(stages: Any, person: MakePerson) -> None:
    desa, other = a_desa(0), a_desa(-1)
    assert desa.kecamatan_id != other.kecamatan_id
    with pytest.raises(PlanningError) as refused:
        plan_entry_create(
            actor=person(Role.BAPPEDA),
            data=entry_input(desa=desa.kode, kecamatan=other.kecamatan_id),
        )
    assert refused.value.field == "desa"


@pytest.mark.parametrize("kind", [Role.OPD_OPERATOR, Role.KEPALA_OPD])
def test_an_opd_user_writes_only_their_own_opd(stages: Any, person: MakePerson, kind: str) -> None:
    operator = person(kind, opd=DINKES)
    own = plan_entry_create(actor=operator, data=entry_input())
    with pytest.raises(PlanningForbidden) as refused:
        plan_entry_create(actor=operator, data=entry_input(opd=DISDIK))
    assert refused.value.field == "opd"
    other = plan_entry_create(actor=person(Role.BAPPEDA), data=entry_input(opd=DISDIK))
    with pytest.raises(PlanningForbidden):
        plan_entry_update(actor=operator, entry=other, data=entry_input(opd=DINKES))
    with pytest.raises(PlanningForbidden):
        plan_entry_update(actor=operator, entry=own, data=entry_input(opd=DISDIK))
    own.refresh_from_db()
    assert own.opd.kode == DINKES


def test_a_write_with_no_open_stage_names_the_stage_and_its_dates(
    in_medan: Any, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    with pytest.raises(StageClosedError, match="belum dijadwalkan"):
        plan_entry_create(actor=bappeda, data=entry_input())
    stages = plan_year(open_kinds=())
    with pytest.raises(StageClosedError) as refused:
        plan_entry_create(actor=bappeda, data=entry_input())
    assert refused.value.field == "tahap"
    assert "Forum OPD 2027" in refused.value.message
    assert str(stages[Stage.Kind.FORUM_OPD].dibuka_pada.year) in refused.value.message
    assert PlanEntry.objects.count() == 0


def test_an_open_stage_past_its_close_date_refuses_writes(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    past = timezone.localdate() - datetime.timedelta(days=1)
    Stage.objects.filter(tahun=YEAR).update(
        dibuka_pada=past - datetime.timedelta(days=5), ditutup_pada=past
    )
    with pytest.raises(StageClosedError):
        plan_entry_create(actor=person(Role.BAPPEDA), data=entry_input())


def test_a_closed_stage_refuses_writes_of_its_kind(
    stages: dict[str, Stage], person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    for kind in ("forum_opd", "rkpd_awal", "rkpd_rancangan", "rkpd_akhir", "renja_rancangan"):
        stage_close(actor=bappeda, stage=stages[kind])
    with pytest.raises(StageClosedError, match="tidak sedang dibuka"):
        plan_entry_create(actor=bappeda, data=entry_input())


def test_ceilings_are_whole_rupiah_and_replaced(stages: Any, person: MakePerson) -> None:
    bappeda = person(Role.BAPPEDA)
    ceiling_set(actor=bappeda, tahun=YEAR, opd=DINKES, pagu="1000000")
    ceiling_set(actor=bappeda, tahun=YEAR, opd=DINKES, pagu=2000000)
    assert OpdCeiling.objects.get(tahun=YEAR).pagu == 2000000
    for bad in ("-5", "10.25", "x"):
        with pytest.raises(PlanningError) as refused:
            ceiling_set(actor=bappeda, tahun=YEAR, opd=DINKES, pagu=bad)
        assert refused.value.field == "pagu"


def test_a_planned_sub_kegiatan_whose_code_is_retired_is_reported_with_its_successor(
    stages: Any, person: MakePerson
) -> None:
    from django.utils import timezone

    from apps.reference.models import Nomenklatur
    from apps.reference.referencing import retired_references

    # given an entry planned on a sub kegiatan that a later nomenclature retires
    entry = plan_entry_create(actor=person(Role.BAPPEDA), data=entry_input())
    Nomenklatur.objects.filter(pk=entry.sub_kegiatan_id).update(retired_at=timezone.now())
    # then the region's report lists the entry, which keeps pointing at the retired item
    code = Nomenklatur.objects.get(pk=entry.sub_kegiatan_id).kode
    rows = [r for r in retired_references() if str(r.source) == "Sub kegiatan RKPD/Renja"]
    assert [r.kode for r in rows] == [code]


def test_the_calendar_services_schedule_open_and_close_a_year_each_step_audited(
    in_medan: Any, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    today = timezone.localdate()
    before = AuditEntry.objects.count()
    period = period_create(actor=bappeda, nama="RPJMD 2030-2034", tahun_awal=2030)
    stage = stage_create(
        actor=bappeda,
        period=period,
        tahun=2031,
        jenis=Stage.Kind.FORUM_OPD,
        dibuka_pada=today,
        ditutup_pada=today + datetime.timedelta(days=3),
    )
    assert stage.status == Stage.State.PLANNED
    assert stage_open(actor=bappeda, stage=stage).status == Stage.State.OPEN
    snapshot = stage_close(actor=bappeda, stage=stage)
    assert Stage.objects.get(pk=stage.pk).status == Stage.State.CLOSED and snapshot.sha256
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)[before:])
    assert actions == [
        "planning.period_created",
        "planning.stage_created",
        "planning.stage_opened",
        "planning.stage_closed",
    ]
    with pytest.raises(PlanningError) as overlap:
        period_create(actor=bappeda, nama="Lagi", tahun_awal=2032)
    assert overlap.value.field == "tahun_awal"
