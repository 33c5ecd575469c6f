"""The demo year is made through the services: proposals at every level, a closed stage with
its snapshot and a live plan that moved after it."""

from typing import Any

from django.core.management import call_command

from apps.planning.demo import planner_ensure, planning_demo_fill
from apps.planning.models import PlanEntry, Proposal, Snapshot, Stage
from apps.planning.models_rpjmd import (
    EntryIndikator,
    ProgramPrioritas,
    RenstraSasaran,
    Rpjmd,
    RpjmdIndikator,
)
from apps.planning.selectors.consistency import consistency_report
from apps.planning.selectors.diff import plan_diff, snapshot_rows
from apps.planning.selectors.plan import plan_rows
from tenants.models import Tenant


def test_the_demo_fills_a_believable_year_once(in_medan: Tenant) -> None:
    planner = planner_ensure(email="bappeda.uji@berbagi.test", password="Rahasia-yang-panjang-123")
    assert planning_demo_fill(actor=planner, tahun=2031, count=40)
    assert PlanEntry.objects.filter(tahun=2031).count() >= 30
    states = set(Proposal.objects.values_list("status", flat=True))
    assert {"desa", "kabkota", "ditolak", "rkpd"} <= states
    forum = Snapshot.objects.get(stage__jenis=Stage.Kind.FORUM_OPD, tahun=2031)
    diff = plan_diff(snapshot_rows(forum), plan_rows(tahun=2031))
    assert diff["diubah"]
    assert Stage.objects.filter(tahun=2031, status="dibuka").exists()
    assert not planning_demo_fill(actor=planner, tahun=2031, count=40)


def test_the_demo_year_has_an_rpjmd_and_renstra_its_entries_serve(in_medan: Tenant) -> None:
    planner = planner_ensure(email="bappeda.uji@berbagi.test", password="Rahasia-yang-panjang-123")
    assert planning_demo_fill(actor=planner, tahun=2031, count=40)
    rpjmd = Rpjmd.objects.get(period__tahun_awal__lte=2031, period__tahun_akhir__gte=2031)
    assert rpjmd.misi.count() == 5
    assert RpjmdIndikator.objects.count() == 10 and ProgramPrioritas.objects.exists()
    assert RenstraSasaran.objects.filter(rpjmd_sasaran__isnull=False).count() >= 3
    entries = PlanEntry.objects.filter(tahun=2031)
    linked = entries.filter(renstra_sasaran__isnull=False)
    assert linked.count() >= entries.count() * 3 // 4
    assert entries.filter(program_prioritas__isnull=False).exists()
    assert EntryIndikator.objects.filter(entry__tahun=2031).count() == entries.count()
    report = consistency_report(tahun=2031)
    assert report["indikator_tanpa_target"]  # the demo's last misi misses a year on purpose
    assert len(report["tanpa_tautan"]) == entries.count() - linked.count()


def test_the_command_names_its_region(in_medan: Tenant, capsys: Any) -> None:
    call_command(
        "planning_demo", "--schema", in_medan.schema_name, "--tahun", "2032", "--jumlah", "12"
    )
    assert "rencana 2032" in capsys.readouterr().out
