"""RKPD entries linked to the RPJMD and Renstra, with several output indicators: checks, the
snapshot and diff carrying them (older snapshots still compared cleanly), the consistency
report's new sections."""

import hashlib
import json
from typing import Any

import pytest

from apps.accounts.models import Role
from apps.audit.models import AuditEntry
from apps.planning.errors import PlanningError
from apps.planning.models import Period, PlanEntry, Snapshot, Stage
from apps.planning.models_rpjmd import EntryIndikator
from apps.planning.selectors.calendar import diff_between
from apps.planning.selectors.consistency import consistency_report
from apps.planning.selectors.plan import entry_row, plan_entries, plan_rows
from apps.planning.services.calendar import period_create, stage_close
from apps.planning.services.plan import plan_entry_create, plan_entry_update
from apps.planning.services.rpjmd import rpjmd_node_save
from apps.planning.tests.conftest import DISDIK, MakePerson, a_desa, entry_input
from apps.planning.tests.rpjmd_support import Built, build, kab_codes, other_program

MORE = [
    {
        "uraian": "Jumlah tenaga kesehatan dilatih",
        "satuan": "orang",
        "target": "40",
        "target_berikut": "45",
    },
]


@pytest.fixture
def built(stages: Any, person: MakePerson) -> Built:
    return build(person(Role.BAPPEDA), Period.objects.get())


def _linked(b: Built, **overrides: Any) -> Any:
    code = kab_codes(b.program, 1)[0]
    values = {
        "sub_kegiatan": code,
        "program_prioritas": b.prioritas.pk,
        "rpjmd_sasaran": b.sasaran.pk,
        "renstra_sasaran": b.renstra_sasaran.pk,
        "indikator_lain": MORE,
    }
    return entry_input(**{**values, **overrides})


def test_an_entry_serves_the_rpjmd_and_its_renstra_with_two_indicators(
    built: Built, person: MakePerson
) -> None:
    entry = plan_entry_create(actor=person(Role.BAPPEDA), data=_linked(built))
    assert (entry.program_prioritas, entry.renstra_sasaran) == (
        built.prioritas,
        built.renstra_sasaran,
    )
    assert list(entry.indikator_lain.values_list("urutan", "uraian")) == [
        (2, "Jumlah tenaga kesehatan dilatih")
    ]
    # an update with today's fields only (as the page forms send) keeps links and indicators
    plain = entry_input(sub_kegiatan=entry.sub_kegiatan.kode, pagu="2000000000")
    entry = plan_entry_update(actor=person(Role.BAPPEDA), entry=entry, data=plain)
    entry.refresh_from_db()
    assert entry.renstra_sasaran_id == built.renstra_sasaran.pk and entry.pagu == 2000000000
    assert EntryIndikator.objects.filter(entry=entry).count() == 1
    cleared = entry_input(
        sub_kegiatan=entry.sub_kegiatan.kode, renstra_sasaran=0, indikator_lain=[]
    )
    entry = plan_entry_update(actor=person(Role.BAPPEDA), entry=entry, data=cleared)
    assert entry.renstra_sasaran is None and not EntryIndikator.objects.filter(entry=entry)


def _bad_links(b: Built, person: MakePerson) -> list[tuple[str, dict[str, Any]]]:
    bappeda = person(Role.BAPPEDA)
    later = period_create(actor=bappeda, nama="RPJMD 2030-2034", tahun_awal=2030)
    other = build(bappeda, later)
    disdik = rpjmd_node_save(
        actor=bappeda, kind="renstra", data={"period": b.period.pk, "opd": DISDIK}
    )
    t = rpjmd_node_save(
        actor=bappeda,
        kind="renstra-tujuan",
        data={"renstra": disdik.pk, "kode": "1", "uraian": "T"},
    )
    s = rpjmd_node_save(
        actor=bappeda, kind="renstra-sasaran", data={"tujuan": t.pk, "kode": "1", "uraian": "S"}
    )
    elsewhere = kab_codes(other_program(b.program), 1)[0]
    return [
        ("rpjmd_sasaran", {"rpjmd_sasaran": other.sasaran.pk}),
        ("program_prioritas", {"program_prioritas": other.prioritas.pk}),
        ("renstra_sasaran", {"renstra_sasaran": other.renstra_sasaran.pk}),
        ("renstra_sasaran", {"renstra_sasaran": s.pk}),  # Dinas Pendidikan's
        ("renstra_sasaran", {"renstra_sasaran": 987654}),
        ("program_prioritas", {"sub_kegiatan": elsewhere}),  # another program's sub kegiatan
        ("indikator_lain.0.target", {"indikator_lain": [{**MORE[0], "target": "-1"}]}),
        ("indikator_lain.0.satuan", {"indikator_lain": [{**MORE[0], "satuan": ""}]}),
        ("indikator_lain", {"indikator_lain": "x"}),
    ]


def test_a_bad_link_or_indicator_is_refused_naming_it_and_nothing_is_saved(
    built: Built, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    for field, bad in _bad_links(built, person):
        counts = (
            PlanEntry.objects.count(),
            EntryIndikator.objects.count(),
            AuditEntry.objects.count(),
        )
        with pytest.raises(PlanningError) as refused:
            plan_entry_create(actor=bappeda, data=_linked(built, **bad))
        assert refused.value.field == field, (bad, refused.value.message)
        assert (
            PlanEntry.objects.count(),
            EntryIndikator.objects.count(),
            AuditEntry.objects.count(),
        ) == counts


def test_snapshots_carry_every_indicator_and_an_older_snapshot_still_compares(
    built: Built, stages: dict[str, Stage], person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    entry = plan_entry_create(actor=bappeda, data=_linked(built))
    first = stage_close(actor=bappeda, stage=stages[Stage.Kind.FORUM_OPD])
    row = json.loads(first.isi)["entri"][0]
    assert row["indikator_lain"][0]["target"] == "40.00"
    # a snapshot frozen before links and indicators existed: its rows lack those keys
    old = json.loads(first.isi)
    for key in ("indikator_lain", "program_prioritas", "rpjmd_sasaran", "renstra_sasaran"):
        old["entri"][0].pop(key)
    # snapshots cannot be updated (a trigger refuses it): the older one is a row of its own
    isi = json.dumps(old)
    legacy = Snapshot.objects.create(
        stage=stages[Stage.Kind.RKPD_AWAL],
        tahun=first.tahun,
        isi=isi,
        sha256=hashlib.sha256(isi.encode()).hexdigest(),
    )
    unlinked = entry_input(
        sub_kegiatan=entry.sub_kegiatan.kode,
        program_prioritas=0,
        rpjmd_sasaran=0,
        renstra_sasaran=0,
        indikator_lain=[],
    )
    plan_entry_update(actor=bappeda, entry=entry, data=unlinked)
    assert diff_between(dari=legacy.pk, ke=None)["diubah"] == []
    plan_entry_update(
        actor=bappeda,
        entry=entry,
        data=_linked(built, indikator_lain=[{**MORE[0], "target": "55"}]),
    )
    changed = diff_between(dari=legacy.pk, ke=None)["diubah"]
    assert len(changed) == 1
    assert set(changed[0]["perubahan"]) == {
        "indikator_lain",
        "program_prioritas",
        "rpjmd_sasaran",
        "renstra_sasaran",
    }
    assert changed[0]["perubahan"]["indikator_lain"][1][0]["target"] == "55.00"


def test_the_consistency_report_lists_missing_links_and_targets(
    built: Built, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    linked = plan_entry_create(actor=bappeda, data=_linked(built))
    bare = plan_entry_create(
        actor=bappeda, data=entry_input(sub_kegiatan=kab_codes(other_program(built.program), 1)[0])
    )
    zero = [{**MORE[0], "target": "0"}]
    plan_entry_create(
        actor=bappeda,
        data=_linked(built, indikator_lain=zero, sub_kegiatan=kab_codes(built.program, 2)[1]),
    )
    rpjmd_node_save(
        actor=bappeda,
        kind="renstra-sasaran",
        data={"tujuan": built.renstra_tujuan.pk, "kode": "1.9", "uraian": "Lepas"},
    )
    rpjmd_node_save(
        actor=bappeda,
        kind="indikator",
        data={
            "sasaran": built.sasaran.pk,
            "uraian": "IPM",
            "satuan": "indeks",
            "target": {"2025": "1", "2026": "2", "2028": "4"},
        },
    )
    report = consistency_report(tahun=2027)
    assert [r["id"] for r in report["tanpa_tautan"]] == [bare.pk]
    assert linked.pk not in [r["id"] for r in report["tanpa_target"]]
    assert len(report["tanpa_target"]) == 1
    assert [r["kode"] for r in report["renstra_tanpa_rpjmd"]] == ["1.9"]
    assert [(r["jenis"], r["tahun_kosong"]) for r in report["indikator_tanpa_target"]] == [
        ("rpjmd", [2027, 2029])
    ]


def test_plan_rows_read_as_tuples_equal_entry_row_of_each_entry(
    built: Built, person: MakePerson
) -> None:
    bappeda = person(Role.BAPPEDA)
    desa = a_desa()
    plan_entry_create(actor=bappeda, data=_linked(built))
    plan_entry_create(
        actor=bappeda,
        data=_linked(
            built,
            sub_kegiatan=kab_codes(built.program, 2)[1],
            kecamatan=desa.kecamatan_id,
            desa=desa.kode,
            indikator_lain=[*MORE, {**MORE[0], "uraian": "Kedua", "target": "2.5"}],
        ),
    )
    plan_entry_create(actor=bappeda, data=entry_input(kecamatan=desa.kecamatan_id))
    year = entry_input().tahun
    slow = [entry_row(e) for e in plan_entries(tahun=year)]
    assert [len(r["indikator_lain"]) for r in slow] != [0, 0, 0]
    assert {r["lokasi"] for r in slow} >= {desa.nama, desa.kecamatan.nama}
    assert plan_rows(tahun=year) == slow
    assert json.dumps(plan_rows(tahun=year)) == json.dumps(slow)  # same keys in the same order
