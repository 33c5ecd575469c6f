"""Changes shown to people: the diff page lists changed amounts and further indicators readably
(not as raw values or a Python list), and the public tracking page shows amounts, including a
forum's changed cost, as "Rp 1.234.567"."""

import re
from html import unescape
from typing import Any

from apps.accounts.models import Role
from apps.planning.models import Stage
from apps.planning.services.calendar import stage_close
from apps.planning.services.musrenbang import proposal_create, proposal_recommend
from apps.planning.services.plan import plan_entry_create, plan_entry_update
from apps.planning.tests.conftest import YEAR, MakePerson, a_desa, client_as, entry_input
from tenants.models import Tenant


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _changes(html: str, name: str) -> list[str]:
    found = re.findall(rf'<span data-change="{name}">(.*?)</span>', html, re.S)
    return [" ".join(unescape(f).split()) for f in found]


def test_the_diff_shows_changed_amounts_and_further_indicators_readably(
    stages: dict[str, Stage], person: MakePerson, medan: Tenant
) -> None:
    # given an entry with one further indicator, frozen in the Forum OPD snapshot
    bappeda = person(Role.BAPPEDA)
    first = {"uraian": "Kader dilatih", "satuan": "orang", "target": "40", "target_berikut": "45"}
    entry = plan_entry_create(actor=bappeda, data=entry_input(indikator_lain=[first]))
    snapshot = stage_close(actor=bappeda, stage=stages[Stage.Kind.FORUM_OPD])
    # when its pagu, target and indicators change in the live plan
    later = {
        "uraian": "Posyandu aktif",
        "satuan": "unit",
        "target": "1234.5",
        "target_berikut": "1",
    }
    plan_entry_update(
        actor=bappeda,
        entry=entry,
        data=entry_input(pagu="2000000000", target="12.5", indikator_lain=[first, later]),
    )
    html = client_as(medan, bappeda).get("/perencanaan/selisih/", {"dari": snapshot.pk})
    page = html.content.decode()
    # then each change reads the Indonesian way
    assert _changes(page, "pagu") == ["Pagu indikatif: Rp 1.500.000.000 → Rp 2.000.000.000"]
    assert _changes(page, "target") == ["Target tahun ini: 3 → 12,5"]
    assert _changes(page, "indikator_lain") == [
        "Indikator keluaran lainnya: Kader dilatih: 40 orang → "
        "Kader dilatih: 40 orang; Posyandu aktif: 1.234,5 unit"
    ]
    assert "[{" not in page and "'uraian'" not in page and "1500000000.00" not in page


def test_the_tracking_page_shows_the_cost_and_a_forums_changed_cost_in_rupiah(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    desa = a_desa(0)
    operator = person(Role.OPERATOR_DESA, wilayah=desa.kode)
    proposal = proposal_create(
        actor=operator,
        tahun=YEAR,
        sumber="musrenbang",
        desa=desa.kode,
        masalah="Banjir",
        usulan="Drainase",
        volume="10",
        satuan="meter",
        biaya="1500000",
        prioritas=1,
    )
    proposal_recommend(
        actor=person(Role.BAPPEDA),
        proposal=proposal,
        tingkat="kecamatan",
        jenis="terima_ubah",
        perubahan={"biaya": "2750000", "volume": "12.5"},
    )
    page = client_as(medan, None).get(f"/perencanaan/lacak/{proposal.nomor}/").content.decode()
    biaya = re.search(r'<dd id="track-biaya">(.*?)</dd>', page)
    assert biaya and biaya.group(1) == "Rp 2.750.000"
    assert _changes(page, "biaya") == ["Perkiraan biaya: Rp 1.500.000 → Rp 2.750.000"]
    assert _changes(page, "volume") == ["Volume: 10 → 12,5"]
    assert "2750000" not in _text(page)
