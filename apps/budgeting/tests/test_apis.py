"""The budgeting API: closed by role, OPD-scoped, every refusal as JSON naming the field; the
enacted budget cannot be written through it."""

from typing import Any

from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.budgeting.models import Rincian, Versi
from apps.budgeting.selectors.summary import apbd_summary
from apps.budgeting.tests.conftest import DINKES, YEAR, Budget, client_as, fill_and_enact
from tenants.models import Tenant


def _body(b: Budget, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "tahun": YEAR,
        "plan_entry": b.entries[0].pk,
        "rekening": "5.1.02.01.01.0024",
        "standar_harga": "SSH.01.0001",
        "volume_1": "2",
        "satuan_1": "orang",
        "sumber_dana": b.entries[0].sumber_dana.kode,
    }
    body.update(overrides)
    return body


def test_an_operator_adds_reads_and_deletes_a_line(budget: Budget) -> None:
    client = client_as(budget.tenant, budget.operator)
    made = client.post("/api/anggaran/rincian/", _body(budget), content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["jumlah"] == "130000.00" and made.json()["harga"] == "65000.00"
    pk = made.json()["id"]
    assert client.get(f"/api/anggaran/rincian/{pk}/").json()["standar_harga"] == "SSH.01.0001"
    listed = client.get(f"/api/anggaran/rincian/?tahun={YEAR}&opd={DINKES}").json()
    assert listed["count"] == 1
    assert client.delete(f"/api/anggaran/rincian/{pk}/").status_code == 204
    assert not Rincian.objects.exists()


def test_a_typed_price_is_refused_as_json_naming_harga(budget: Budget) -> None:
    client = client_as(budget.tenant, budget.operator)
    response = client.post(
        "/api/anggaran/rincian/", _body(budget, harga="1000"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "harga" and "standar harga" in response.json()["message"]
    assert not Rincian.objects.exists()


def test_an_over_ceiling_line_is_refused_with_both_amounts(budget: Budget) -> None:
    client = client_as(budget.tenant, budget.operator)
    response = client.post(
        "/api/anggaran/rincian/", _body(budget, volume_1="2000"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "Rp 130.000.000,00" in response.json()["message"]
    assert "Rp 100.000.000,00" in response.json()["message"]


def test_roles_and_opd_scope_are_enforced(budget: Budget) -> None:
    made = client_as(budget.tenant, budget.operator).post(
        "/api/anggaran/rincian/", _body(budget), content_type="application/json"
    )
    pk = made.json()["id"]
    other = client_as(budget.tenant, budget.disdik_operator)
    assert other.get(f"/api/anggaran/rincian/{pk}/").status_code == 403
    assert other.delete(f"/api/anggaran/rincian/{pk}/").status_code == 403
    dprd = client_as(budget.tenant, budget.people["dprd"])
    assert dprd.get(f"/api/anggaran/rincian/{pk}/").status_code == 200
    assert dprd.delete(f"/api/anggaran/rincian/{pk}/").status_code == 403
    assert (
        dprd.post("/api/anggaran/tetapkan/", {"tahun": YEAR, "dasar_hukum": "x"}).status_code == 403
    )
    inspektorat = client_as(budget.tenant, budget.people["inspektorat"])
    assert inspektorat.get(f"/api/anggaran/ringkasan/?tahun={YEAR}").status_code == 200
    assert client_as(budget.tenant, None).get(
        f"/api/anggaran/ringkasan/?tahun={YEAR}"
    ).status_code in (401, 403)
    assert Rincian.objects.count() == 1


def test_the_whole_workflow_through_the_api(budget: Budget) -> None:
    op = client_as(budget.tenant, budget.operator)
    assert (
        op.post(
            "/api/anggaran/rincian/", _body(budget), content_type="application/json"
        ).status_code
        == 201
    )
    kepala = client_as(budget.tenant, budget.kepala)
    assert kepala.post("/api/anggaran/rka/ajukan/", {"tahun": YEAR, "opd": DINKES}).json() == {
        "diajukan": 1
    }
    tapd = client_as(budget.tenant, budget.tapd)
    board = tapd.get(f"/api/anggaran/rka/?tahun={YEAR}").json()
    assert [r["status"] for r in board] == ["diajukan"]
    line_id = Rincian.objects.get().pk
    returned = tapd.post(
        f"/api/anggaran/rka/{board[0]['id']}/verifikasi/",
        {"terima": False, "catatan": "Perbaiki", "catatan_rincian": {str(line_id): "Kurangi"}},
        content_type="application/json",
    )
    assert returned.json()["status"] == "dikembalikan"
    assert Rincian.objects.get().catatan == "Kurangi"
    kepala.post("/api/anggaran/rka/ajukan/", {"tahun": YEAR, "opd": DINKES})
    tapd.post(
        f"/api/anggaran/rka/{board[0]['id']}/verifikasi/",
        {"terima": True},
        content_type="application/json",
    )
    bpkad = client_as(budget.tenant, budget.bpkad)
    enacted = bpkad.post("/api/anggaran/tetapkan/", {"tahun": YEAR, "dasar_hukum": "Perda 1/2026"})
    assert enacted.status_code == 200 and enacted.json()["status"] == "ditetapkan"
    assert len(enacted.json()["digest"]) == 64
    # the enacted line cannot be written through the API
    blocked = op.put(
        f"/api/anggaran/rincian/{line_id}/",
        _body(budget, volume_1="1"),
        content_type="application/json",
    )
    assert blocked.status_code == 409 and blocked.json()["field"] == "versi"
    assert op.delete(f"/api/anggaran/rincian/{line_id}/").status_code == 409
    added = op.post("/api/anggaran/rincian/", _body(budget), content_type="application/json")
    assert added.status_code == 409
    summary = tapd.get(f"/api/anggaran/ringkasan/?tahun={YEAR}").json()
    assert summary["belanja"] == "130000.00" and summary["versi"] == "APBD murni"


def test_reports_consistency_compare_trace_and_price_use(budget: Budget) -> None:
    made = fill_and_enact(budget)
    tapd = client_as(budget.tenant, budget.tapd)
    report = tapd.get(f"/api/anggaran/konsistensi/?tahun={YEAR}").json()
    assert report["diperiksa"] == 3 and report["bermasalah"] == 0 and report["kunci_utuh"] is True
    revision = tapd.post("/api/anggaran/revisi/", {"tahun": YEAR, "jenis": "perubahan"}).json()
    assert revision["label"] == "APBD-Perubahan" and revision["status"] == Versi.Status.DRAFT
    compare = tapd.get(f"/api/anggaran/versi/{revision['id']}/perbandingan/").json()
    assert compare["total"]["semula"] == compare["total"]["menjadi"]
    trace = tapd.get(f"/api/anggaran/rincian/{made[0].pk}/telusur/").json()
    assert trace["sub_kegiatan"]["kode"] == budget.entries[0].sub_kegiatan.kode
    assert trace["sasaran"] == budget.entries[0].sasaran
    uses = tapd.get(f"/api/anggaran/standar-harga/?tahun={YEAR}&kode=SSH.01.0001").json()
    assert {u["id"] for u in uses} == {made[0].pk, made[2].pk}
    items = tapd.get(f"/api/anggaran/harga/?tahun={YEAR}&rekening=5.1.02.01.01.0024").json()
    assert {i["kode"] for i in items} == {"SSH.01.0001", "SSH.01.0002"}


def test_another_region_sees_nothing_of_this_budget(budget: Budget, buol: Tenant) -> None:
    made = fill_and_enact(budget)
    with schema_context(buol.schema_name):
        assert not Rincian.objects.exists() and not Versi.objects.exists()
        reader = User.objects.create_user(email="tapd-buol@example.org")
        RoleAssignment.objects.create(user=reader, role=Role.TAPD)
        client = client_as(buol, reader)
        assert client.get(f"/api/anggaran/rincian/{made[0].pk}/").status_code == 404
        assert client.get(f"/api/anggaran/ringkasan/?tahun={YEAR}").status_code == 404
        assert apbd_summary(YEAR) is None


def test_year_ceilings_revenue_financing_and_dpa_endpoints(budget: Budget) -> None:
    fill_and_enact(budget)
    bpkad = client_as(budget.tenant, budget.bpkad)
    versions = bpkad.get("/api/anggaran/versi/").json()
    assert [v["status"] for v in versions] == ["ditetapkan"]
    ceilings = bpkad.get(f"/api/anggaran/pagu/?tahun={YEAR}").json()
    assert {c["opd"] for c in ceilings["opd"]} == {DINKES, "1.01.0.00.0.00.01.0000"}
    assert len(ceilings["sub_kegiatan"]) == 5
    revenue = bpkad.get(f"/api/anggaran/pendapatan/?tahun={YEAR}").json()
    assert revenue[0]["rekening_kode"] == "4.1.01.06.01.0001"
    assert revenue[0]["jumlah"] == "250000000.00"
    financing = bpkad.get(f"/api/anggaran/pembiayaan/?tahun={YEAR}").json()
    assert financing[0]["jumlah"] == "10000000.00"
    refused = bpkad.post(
        "/api/anggaran/pendapatan/",
        {"tahun": YEAR, "opd": DINKES, "rekening": "5.1.02.01.01.0024", "jumlah": "1"},
    )
    assert refused.status_code == 409 and refused.json()["field"] == "versi"  # enacted
    issued = bpkad.post("/api/anggaran/dpa/", {"tahun": YEAR, "opd": DINKES})
    assert issued.status_code == 201
    assert bpkad.get(f"/api/anggaran/dpa/?tahun={YEAR}").json()[0]["opd_kode"] == DINKES
    lowered = bpkad.post("/api/anggaran/pagu-opd/", {"tahun": YEAR, "opd": DINKES, "pagu": "-5"})
    assert lowered.status_code == 400 and lowered.json()["field"] == "pagu"
