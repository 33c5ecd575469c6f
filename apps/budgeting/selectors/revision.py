"""A revision document: semula (the enacted version it started from), menjadi (the revision)
and bertambah/(berkurang), line by line and totalled per sub kegiatan, OPD and account group."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from apps.budgeting.models import Versi
from apps.budgeting.selectors.rka import line_rows

ZERO = Decimal("0.00")


def _line(row: dict[str, Any] | None, twin: dict[str, Any] | None) -> dict[str, Any]:
    base = row or twin
    assert base is not None
    semula = twin["jumlah"] if twin else ZERO
    menjadi = row["jumlah"] if row else ZERO
    return {
        "opd": base["opd"],
        "opd_nama": base["opd_nama"],
        "sub_kegiatan": base["sub_kegiatan"],
        "sub_kegiatan_nama": base["sub_kegiatan_nama"],
        "rekening": base["rekening_kode"],
        "kelompok": base["rekening_kode"][:3],
        "uraian": base["uraian"],
        "kode_harga": base["kode_harga"],
        "volume_semula": twin["volume"] if twin else ZERO,
        "volume_menjadi": row["volume"] if row else ZERO,
        "semula": semula,
        "menjadi": menjadi,
        "selisih": menjadi - semula,
    }


def revision_compare(version: Versi) -> dict[str, Any]:
    """Lines are paired by their origin: a copied line with the enacted one it continues, a new
    line with nothing (semula 0), an enacted line dropped from the revision with nothing
    (menjadi 0). Two queries."""
    if version.induk_id is None:
        return {"versi": version, "induk": None, "lines": [], "totals": {}}
    induk = version.induk
    assert induk is not None
    before = {row["id"]: row for row in line_rows(induk)}
    lines = []
    continued = set()
    for row in line_rows(version):
        twin = before.get(row["asal_id"]) if row["asal_id"] else None
        if twin is not None:
            continued.add(twin["id"])
        lines.append(_line(row, twin))
    lines += [_line(None, twin) for pk, twin in before.items() if pk not in continued]
    lines.sort(key=lambda r: (r["opd"], r["sub_kegiatan"], r["rekening"]))
    totals: dict[str, dict[str, dict[str, Decimal]]] = {}
    for level in ("sub_kegiatan", "opd", "kelompok"):
        acc: dict[str, dict[str, Decimal]] = defaultdict(
            lambda: {"semula": ZERO, "menjadi": ZERO, "selisih": ZERO}
        )
        for line in lines:
            key = (
                line[level] if level != "sub_kegiatan" else f"{line['opd']} {line['sub_kegiatan']}"
            )
            for k in ("semula", "menjadi", "selisih"):
                acc[key][k] += line[k]
        totals[level] = dict(sorted(acc.items()))
    grand = {k: sum((line[k] for line in lines), ZERO) for k in ("semula", "menjadi", "selisih")}
    return {"versi": version, "induk": induk, "lines": lines, "totals": totals, "total": grand}
