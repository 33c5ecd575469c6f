"""What an RKPD entry serves (RPJMD program prioritas / sasaran, its OPD's Renstra sasaran) and
its further output indicators: checked before the entry is written."""

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from apps.planning.errors import PlanningError
from apps.planning.models_rpjmd import (
    EntryIndikator,
    ProgramPrioritas,
    RenstraSasaran,
    RpjmdSasaran,
)
from apps.planning.services import rpjmd_input as inp
from apps.planning.services._common import quantity

if TYPE_CHECKING:
    from apps.planning.models import PlanEntry
    from apps.planning.services.plan import EntryInput

MAX_INDICATORS = 20


def _outside(field: str, tahun: int) -> PlanningError:
    return PlanningError(
        _("Pilihan ini bukan milik periode RPJMD tahun %(year)s.") % {"year": tahun}, field=field
    )


def _link(entry: "PlanEntry", data: "EntryInput", name: str, rows: Any, path: str) -> None:
    """Set link `name` from `data` (None keeps it, 0 clears it); its period must hold the year."""
    raw = getattr(data, name)
    if raw is None:
        return
    row = inp.ref({name: raw}, name, rows, required=False)
    if row is not None:
        lookup = {f"{path}__tahun_awal__lte": entry.tahun, f"{path}__tahun_akhir__gte": entry.tahun}
        if not rows.filter(pk=row.pk, **lookup).exists():
            raise _outside(name, entry.tahun)
    setattr(entry, name, row)


def entry_links_apply(entry: "PlanEntry", data: "EntryInput") -> None:
    """The program prioritas must be the sub kegiatan's program; the Renstra sasaran must be of
    the entry's OPD; each must belong to the period of the entry's year."""
    _link(
        entry,
        data,
        "program_prioritas",
        ProgramPrioritas.objects.select_related("program"),
        "sasaran__tujuan__misi__rpjmd__period",
    )
    _link(entry, data, "rpjmd_sasaran", RpjmdSasaran.objects.all(), "tujuan__misi__rpjmd__period")
    _link(
        entry,
        data,
        "renstra_sasaran",
        RenstraSasaran.objects.select_related("tujuan__renstra"),
        "tujuan__renstra__period",
    )
    priority = entry.program_prioritas
    if priority is not None and not entry.sub_kegiatan.kode.startswith(priority.program.kode + "."):
        raise PlanningError(
            _("Program prioritas %(kode)s bukan program sub kegiatan ini.")
            % {"kode": priority.program.kode},
            field="program_prioritas",
        )
    sasaran = entry.renstra_sasaran
    if sasaran is not None and sasaran.tujuan.renstra.opd_id != entry.opd.pk:
        raise PlanningError(_("Sasaran Renstra ini milik OPD lain."), field="renstra_sasaran")


def entry_indicators_parse(raw: Any) -> list[dict[str, str]] | None:
    """Further indicators as checked dicts; None when not given."""
    if raw is None:
        return None
    if not isinstance(raw, list | tuple) or len(raw) > MAX_INDICATORS:
        raise PlanningError(
            _("Paling banyak %(n)d indikator tambahan.") % {"n": MAX_INDICATORS},
            field="indikator_lain",
        )
    out = []
    for i, item in enumerate(raw):
        prefix = f"indikator_lain.{i}."
        if not isinstance(item, dict):
            raise PlanningError(_("Wajib diisi."), field=prefix + "uraian")
        values = {
            "uraian": inp.text(item, "uraian", limit=2000, field=prefix + "uraian"),
            "satuan": inp.text(item, "satuan", limit=100, field=prefix + "satuan"),
        }
        for name in ("target", "target_berikut"):
            values[name] = str(quantity(item.get(name, ""), field=prefix + name))
        out.append(values)
    return out


def entry_indicators_save(entry: "PlanEntry", indicators: list[dict[str, str]] | None) -> None:
    if indicators is None:
        return
    # A caller that fetched the entry with its indicators prefetched must not read the old ones.
    getattr(entry, "_prefetched_objects_cache", {}).pop("indikator_lain", None)
    EntryIndikator.objects.filter(entry=entry).delete()
    EntryIndikator.objects.bulk_create(
        EntryIndikator(entry=entry, urutan=i + 2, **values) for i, values in enumerate(indicators)
    )
