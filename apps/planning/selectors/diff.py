"""What moved between two versions of a plan (snapshots or the live plan)."""

import json
from decimal import Decimal
from typing import Any

from apps.planning.models import Snapshot
from apps.planning.selectors.plan import totals

COMPARED = (
    "kode",
    "opd",
    "kecamatan",
    "desa",
    "indikator",
    "satuan",
    "target",
    "target_berikut",
    "pagu",
    "pagu_berikut",
    "sumber_dana",
    "sasaran",
    "program_prioritas",
    "rpjmd_sasaran",
    "renstra_sasaran",
    "indikator_lain",
)
# Fields that snapshots frozen before they existed lack: read as their empty value, so an old
# snapshot compares with a new one (or the live plan) without every entry showing as changed.
ABSENT = {"program_prioritas": None, "rpjmd_sasaran": None, "renstra_sasaran": None}


def snapshot_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    return list(json.loads(snapshot.isi)["entri"])


def _field(row: dict[str, Any], name: str) -> Any:
    if name == "indikator_lain":
        return row.get(name) or []
    return row.get(name, ABSENT.get(name))


def _total_changes(before: dict[str, Decimal], after: dict[str, Decimal]) -> list[dict[str, str]]:
    out = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key, Decimal(0)), after.get(key, Decimal(0))
        out.append({"kode": key, "sebelum": str(a), "sesudah": str(b), "selisih": str(b - a)})
    return out


def plan_diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, Any]:
    """Entries added, removed and changed (field by field, by entry id), and totals per OPD,
    urusan and bidang on both sides."""
    old = {row["id"]: row for row in before}
    new = {row["id"]: row for row in after}
    added = [new[k] for k in sorted(new.keys() - old.keys())]
    removed = [old[k] for k in sorted(old.keys() - new.keys())]
    changed = []
    for key in sorted(old.keys() & new.keys()):
        fields = {
            name: [_field(old[key], name), _field(new[key], name)]
            for name in COMPARED
            if _field(old[key], name) != _field(new[key], name)
        }
        if fields:
            changed.append(
                {
                    "id": key,
                    "kode": new[key]["kode"],
                    "nama": new[key]["nama"],
                    "opd": new[key]["opd"],
                    "perubahan": fields,
                }
            )
    t_old, t_new = totals(before), totals(after)
    return {
        "ditambah": added,
        "dihapus": removed,
        "diubah": changed,
        "total": {
            level: _total_changes(t_old[level], t_new[level])
            for level in ("opd", "urusan", "bidang", "total")
        },
    }
