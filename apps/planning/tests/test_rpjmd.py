"""RPJMD and Renstra services: the cascade, each bad input refused naming its field with nothing
saved, role boundaries (Bappeda writes the RPJMD, OPD writers their own OPD's Renstra)."""

from typing import Any

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.audit.models import AuditEntry
from apps.planning.errors import PlanningError, PlanningForbidden
from apps.planning.models import Period
from apps.planning.models_rpjmd import (
    RenstraIndikator,
    RenstraProgram,
    RenstraSasaran,
    RpjmdIndikator,
    RpjmdSasaran,
)
from apps.planning.services.calendar import period_create
from apps.planning.services.rpjmd import rpjmd_node_delete, rpjmd_node_save
from apps.planning.tests.conftest import DINKES, DISDIK, MakePerson
from apps.planning.tests.rpjmd_support import YEARS, Built, build
from apps.reference.models import Nomenklatur


@pytest.fixture
def built(stages: Any, person: MakePerson) -> Built:
    return build(person(Role.BAPPEDA), Period.objects.get())


def _counts() -> tuple[int, ...]:
    return (
        AuditEntry.objects.count(),
        RpjmdSasaran.objects.count(),
        RpjmdIndikator.objects.count(),
        RenstraSasaran.objects.count(),
        RenstraProgram.objects.count(),
        RenstraIndikator.objects.count(),
    )


def test_the_rpjmd_and_a_renstra_cascade_with_an_audit_entry_each(
    built: Built, person: MakePerson
) -> None:
    assert built.renstra_sasaran.rpjmd_sasaran == built.sasaran
    assert built.sasaran.renstra_sasaran.get() == built.renstra_sasaran
    entry = AuditEntry.objects.filter(action="planning.renstra_saved").order_by("-id").first()
    assert entry is not None and entry.changes["jenis"] == "renstra-sasaran"
    indicator = rpjmd_node_save(
        actor=person(Role.BAPPEDA),
        kind="indikator",
        data={
            "sasaran": built.sasaran.pk,
            "uraian": "IPM",
            "satuan": "indeks",
            "baseline": "70.5",
            "target": YEARS,
        },
    )
    assert indicator.target == {y: f"{v}.00" for y, v in YEARS.items()}
    assert str(indicator.baseline) == "70.50"


def _bad_cases(b: Built) -> list[tuple[str, str, dict[str, Any]]]:
    retired = Nomenklatur.objects.filter(tingkat="program", kode__startswith="1.03.").first()
    assert retired is not None
    Nomenklatur.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    kegiatan = Nomenklatur.objects.filter(tingkat="kegiatan", kode__startswith="1.02.").first()
    assert kegiatan is not None
    ind = {"uraian": "I", "satuan": "unit"}
    return [
        (
            "program-prioritas",
            "program",
            {"sasaran": b.sasaran.pk, "program": kegiatan.kode, "opd": DINKES},
        ),
        (
            "program-prioritas",
            "program",
            {"sasaran": b.sasaran.pk, "program": retired.kode, "opd": DINKES},
        ),
        (
            "program-prioritas",
            "program",
            {"sasaran": b.sasaran.pk, "program": "9.99.99", "opd": DINKES},
        ),
        (
            "program-prioritas",
            "opd",
            {"sasaran": b.sasaran.pk, "program": b.program, "opd": "9.99"},
        ),
        ("program-prioritas", "sasaran", {"sasaran": 999999, "program": b.program, "opd": DINKES}),
        ("indikator", "target", {**ind, "sasaran": b.sasaran.pk, "target": {"2031": "5"}}),
        ("indikator", "target", {**ind, "sasaran": b.sasaran.pk, "target": {"2026": "-5"}}),
        ("indikator", "target", {**ind, "sasaran": b.sasaran.pk, "target": {"2026": "1.234"}}),
        ("indikator", "target", {**ind, "sasaran": b.sasaran.pk, "target": "lima"}),
        ("indikator", "tujuan", {**ind}),
        ("indikator", "tujuan", {**ind, "sasaran": b.sasaran.pk, "tujuan": b.tujuan.pk}),
        ("indikator", "satuan", {"uraian": "I", "sasaran": b.sasaran.pk}),
        ("misi", "urutan", {"rpjmd": b.rpjmd.pk, "urutan": 1, "uraian": "dua kali"}),
        ("misi", "urutan", {"rpjmd": b.rpjmd.pk, "urutan": "x", "uraian": "M"}),
        ("rpjmd", "period", {"period": b.period.pk, "visi": "lagi"}),
        ("tujuan", "kode", {"misi": b.misi.pk, "kode": "", "uraian": "T"}),
        (
            "renstra-program",
            "nomenklatur",
            {"sasaran": b.renstra_sasaran.pk, "nomenklatur": "1.02.02.1.01"},
        ),
        (
            "renstra-program",
            "nomenklatur",
            {"sasaran": b.renstra_sasaran.pk, "nomenklatur": retired.kode},
        ),
        (
            "renstra-program",
            "pagu",
            {"sasaran": b.renstra_sasaran.pk, "nomenklatur": b.program, "pagu": {"2026": "-1"}},
        ),
        (
            "renstra-program",
            "pagu",
            {
                "sasaran": b.renstra_sasaran.pk,
                "nomenklatur": b.program,
                "pagu": {"2026": "1000.50"},
            },
        ),
        (
            "renstra-program",
            "pagu",
            {"sasaran": b.renstra_sasaran.pk, "nomenklatur": b.program, "pagu": {"2024": "1000"}},
        ),
        (
            "renstra-indikator",
            "target",
            {**ind, "sasaran": b.renstra_sasaran.pk, "target": {"2030": "1"}},
        ),
        ("renstra", "opd", {"period": b.period.pk, "opd": DINKES}),
    ]


def test_every_bad_input_is_refused_naming_its_field_and_nothing_is_saved(
    built: Built, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    for kind, field, data in _bad_cases(built):
        before = _counts()
        with pytest.raises(PlanningError) as refused:
            rpjmd_node_save(actor=bappeda, kind=kind, data=data)
        assert (kind, refused.value.field) == (kind, field), (kind, data, refused.value.message)
        assert refused.value.message
        assert _counts() == before


def test_a_renstra_sasaran_pointing_at_another_periods_rpjmd_sasaran_is_refused(
    built: Built, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    later = period_create(actor=bappeda, nama="RPJMD 2030-2034", tahun_awal=2030)
    rpjmd = rpjmd_node_save(actor=bappeda, kind="rpjmd", data={"period": later.pk, "visi": "V"})
    misi = rpjmd_node_save(
        actor=bappeda, kind="misi", data={"rpjmd": rpjmd.pk, "urutan": 1, "uraian": "M"}
    )
    tujuan = rpjmd_node_save(
        actor=bappeda, kind="tujuan", data={"misi": misi.pk, "kode": "1", "uraian": "T"}
    )
    foreign = rpjmd_node_save(
        actor=bappeda, kind="sasaran", data={"tujuan": tujuan.pk, "kode": "1.1", "uraian": "S"}
    )
    before = _counts()
    with pytest.raises(PlanningError, match="periode lain") as refused:
        rpjmd_node_save(
            actor=bappeda,
            kind="renstra-sasaran",
            data={
                "tujuan": built.renstra_tujuan.pk,
                "kode": "1.2",
                "uraian": "X",
                "rpjmd_sasaran": foreign.pk,
            },
        )
    assert refused.value.field == "rpjmd_sasaran" and _counts() == before
    with pytest.raises(PlanningError) as changed:
        rpjmd_node_save(
            actor=bappeda,
            kind="renstra-sasaran",
            node=built.renstra_sasaran,
            data={
                "tujuan": built.renstra_tujuan.pk,
                "kode": "1.1",
                "uraian": "RS",
                "rpjmd_sasaran": foreign.pk,
            },
        )
    assert changed.value.field == "rpjmd_sasaran"
    built.renstra_sasaran.refresh_from_db()
    assert built.renstra_sasaran.rpjmd_sasaran_id == built.sasaran.pk


def test_an_opd_operator_writes_only_their_own_opds_renstra_and_no_rpjmd(
    built: Built, person: MakePerson
) -> None:
    dinkes, disdik = person(Role.OPD_OPERATOR, opd=DINKES), person(Role.OPD_OPERATOR, opd=DISDIK)
    data = {"tujuan": built.renstra_tujuan.pk, "kode": "1.2", "uraian": "Baru"}
    made = rpjmd_node_save(actor=dinkes, kind="renstra-sasaran", data=data)
    assert made.opd_code == DINKES
    before = _counts()
    with pytest.raises(PlanningForbidden):
        rpjmd_node_save(actor=disdik, kind="renstra-sasaran", data=data)
    with pytest.raises(PlanningForbidden):
        rpjmd_node_save(
            actor=disdik, kind="renstra-sasaran", node=made, data={**data, "uraian": "Diubah"}
        )
    with pytest.raises(PlanningForbidden):
        rpjmd_node_delete(actor=disdik, kind="renstra-sasaran", node=made)
    with pytest.raises(PlanningForbidden):
        rpjmd_node_save(
            actor=disdik, kind="renstra", data={"period": built.period.pk, "opd": DINKES}
        )
    with pytest.raises(PlanningForbidden):
        rpjmd_node_save(
            actor=dinkes,
            kind="sasaran",
            data={"tujuan": built.tujuan.pk, "kode": "9", "uraian": "S"},
        )
    for role in (Role.INSPEKTORAT, Role.DPRD, Role.TAPD, Role.OPERATOR_DESA):
        with pytest.raises(PlanningForbidden):
            rpjmd_node_save(actor=person(role), kind="renstra-sasaran", data=data)
    assert _counts() == before
    made.refresh_from_db()
    assert made.uraian == "Baru"


def test_a_node_something_hangs_on_is_not_deleted(built: Built, person: MakePerson) -> None:
    bappeda = person(Role.BAPPEDA)
    with pytest.raises(PlanningError, match="turunan"):
        rpjmd_node_delete(actor=bappeda, kind="sasaran", node=built.sasaran)
    assert RpjmdSasaran.objects.filter(pk=built.sasaran.pk).exists()
    rpjmd_node_delete(actor=bappeda, kind="program-prioritas", node=built.prioritas)
    assert AuditEntry.objects.filter(action="planning.rpjmd_deleted").count() == 1


def _tree_queries(period: Period) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.planning.selectors.rpjmd import renstra_detail, rpjmd_tree

    with CaptureQueriesContext(connection) as captured:
        _rpjmd, misi = rpjmd_tree(period)
        for m in misi:
            for t in m.tujuan.all():
                list(t.indikator.all())
                for s in t.sasaran.all():
                    [(p.program.kode, p.opd.nama) for p in s.program_prioritas.all()]
                    [list(st.arah.all()) for st in s.strategi.all()]
                    [r.tujuan.renstra.opd.nama for r in s.renstra_sasaran.all()]
        renstra = renstra_detail(period=period, opd=DINKES)
        for rt in renstra.tujuan.all():
            for rs in rt.sasaran.all():
                str(rs.rpjmd_sasaran and rs.rpjmd_sasaran.tujuan.misi.urutan)
                [(p.nomenklatur.kode, list(p.indikator.all())) for p in rs.program.all()]
    return len(captured)


def test_the_rpjmd_tree_and_a_renstra_read_in_queries_that_do_not_grow(
    built: Built, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    small = _tree_queries(built.period)
    for n in range(2, 5):
        misi = rpjmd_node_save(
            actor=bappeda, kind="misi", data={"rpjmd": built.rpjmd.pk, "urutan": n, "uraian": "M"}
        )
        tujuan = rpjmd_node_save(
            actor=bappeda, kind="tujuan", data={"misi": misi.pk, "kode": f"{n}", "uraian": "T"}
        )
        sasaran = rpjmd_node_save(
            actor=bappeda,
            kind="sasaran",
            data={"tujuan": tujuan.pk, "kode": f"{n}.1", "uraian": "S"},
        )
        rpjmd_node_save(
            actor=bappeda,
            kind="renstra-sasaran",
            data={
                "tujuan": built.renstra_tujuan.pk,
                "kode": f"1.{n}",
                "uraian": "RS",
                "rpjmd_sasaran": sasaran.pk,
            },
        )
    assert _tree_queries(built.period) == small
