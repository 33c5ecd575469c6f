"""The perizinan document: licensing's own figures (share on time, median working days, IKM per
quarter, per year and per permit type), frozen at publication."""

import json
from decimal import Decimal
from typing import Any

from apps.accounts.models import Role
from apps.licensing.selectors import dashboard, ikm
from apps.licensing.services.permits import survei_submit
from apps.licensing.tests.conftest import (  # noqa: F401  (licensing's fixtures)
    Day,
    day,
    people,
    region,
    staff,
    standards,
)
from apps.licensing.tests.test_path import apply, run_to_end
from apps.portal.services import publikasi_publish


def test_the_permit_document_is_licensings_figures_with_the_ikm_per_type(
    standards: Any,  # noqa: F811
    people: dict[str, Any],  # noqa: F811
    day: Day,  # noqa: F811
) -> None:
    # given one application run to its end and its survey
    p = run_to_end(apply(standards["free"], people), people, day)
    survei_submit(
        permohonan=p, actor=people["warga"], nilai={**{f"u{i}": 4 for i in range(1, 10)}, "u9": 3}
    )
    assert p.selesai_pada is not None
    tahun = p.selesai_pada.year
    admin = staff("admin@medan.go.id", Role.ADMIN)
    # when published
    publikasi = publikasi_publish(actor=admin, jenis="perizinan", tahun=tahun, kode_wilayah="12.71")
    data = json.loads(publikasi.isi)["data"]
    # then the figures are licensing's, exactly
    figures = dashboard(year=tahun)
    assert data["selesai"] == figures["selesai"] == 1
    assert Decimal(data["persen_tepat_waktu"]) == figures["persen_tepat_waktu"]
    assert Decimal(data["median_hari_kerja"]) == figures["median_hari_kerja"]
    quarter = ikm(year=tahun)["triwulan"][0]
    assert Decimal(data["ikm"]) == quarter["ikm"] == Decimal("97.22")
    (row,) = data["per_jenis"]
    assert row["kode"] == standards["free"].kode and Decimal(row["ikm"]) == Decimal("97.22")
