"""The demo's APBD is made through the services: enacted, with DPAs and one enacted pergeseran."""

from typing import Any

from django.core.management import call_command

from apps.budgeting.models import Dpa, Rincian, Versi
from apps.budgeting.selectors.revision import revision_compare
from apps.budgeting.selectors.summary import apbd_summary
from apps.budgeting.tests.conftest import ITEMS, price_list
from apps.planning.demo import planner_ensure, planning_demo_fill
from tenants.models import Tenant

PASSWORD = "Rahasia-yang-panjang-123"


def test_the_demo_enacts_an_apbd_and_one_revision_once(in_medan: Tenant, capsys: Any) -> None:
    planner = planner_ensure(email="bappeda.uji@berbagi.test", password=PASSWORD)
    assert planning_demo_fill(actor=planner, tahun=2031, count=20)
    price_list(2031, ITEMS)
    call_command(
        "budgeting_demo", "--schema", in_medan.schema_name, "--tahun", "2031", "--per-sub", "2"
    )
    assert "APBD 2031" in capsys.readouterr().out
    versions = list(Versi.objects.filter(tahun__tahun=2031).order_by("id"))
    assert [(v.jenis, v.status) for v in versions] == [
        ("murni", "ditetapkan"),
        ("pergeseran", "ditetapkan"),
    ]
    assert Rincian.objects.filter(versi=versions[0]).count() >= 20
    assert (
        Dpa.objects.filter(versi=versions[0]).count()
        == versions[0].rka.values("opd").distinct().count()
    )
    doc = revision_compare(versions[1])
    assert doc["total"]["selisih"] < 0
    summary = apbd_summary(2031)
    assert summary is not None and summary.versi == "Pergeseran anggaran ke-1"
    assert summary.silpa == summary.surplus_defisit + summary.pembiayaan_neto
    call_command("budgeting_demo", "--schema", in_medan.schema_name, "--tahun", "2031")
    assert "sudah ada" in capsys.readouterr().out
