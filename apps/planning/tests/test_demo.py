"""The demo year is made through the services: proposals at every level, a closed stage with
its snapshot and a live plan that moved after it."""

from typing import Any

from django.core.management import call_command

from apps.planning.demo import planner_ensure, planning_demo_fill
from apps.planning.models import PlanEntry, Proposal, Snapshot, Stage
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


def test_the_command_names_its_region(in_medan: Tenant, capsys: Any) -> None:
    call_command(
        "planning_demo", "--schema", in_medan.schema_name, "--tahun", "2032", "--jumlah", "12"
    )
    assert "rencana 2032" in capsys.readouterr().out
