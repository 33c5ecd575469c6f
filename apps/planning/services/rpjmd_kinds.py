"""The kinds of RPJMD and Renstra node: each one's model, form/API fields, input checks, and
where its period and OPD are (query paths the lists filter by)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.planning.errors import PlanningError
from apps.planning.models import Period
from apps.planning.models_rpjmd import (
    ArahKebijakan,
    Misi,
    ProgramPrioritas,
    Renstra,
    RenstraIndikator,
    RenstraProgram,
    RenstraSasaran,
    RenstraTujuan,
    Rpjmd,
    RpjmdIndikator,
    RpjmdSasaran,
    RpjmdTujuan,
    Strategi,
)
from apps.planning.services import rpjmd_input as inp
from apps.planning.services._common import quantity
from apps.planning.services.lookups import opd_get
from apps.reference.models import Nomenklatur

Values = dict[str, Any]
L = Nomenklatur.Level


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    type: str = "text"  # text, textarea, id, kode, int, decimal, years
    required: bool = True


@dataclass(frozen=True)
class Kind:
    """One kind of RPJMD/Renstra node: its model, form fields, checks and where its period and
    OPD are (query paths used by the lists)."""

    name: str
    label: Any
    model: type[models.Model]
    fields: tuple[Field, ...]
    parse: Callable[[dict[str, Any], Any], Values]
    period_paths: tuple[str, ...]
    opd_paths: tuple[str, ...] = ()  # empty: an RPJMD node, written by Bappeda only

    @property
    def renstra(self) -> bool:
        return bool(self.opd_paths)

    @property
    def related(self) -> list[str]:
        """select_related paths for rows: parents up to the period and OPD, referenced codes."""
        opd = [p.removesuffix("__kode") for p in self.opd_paths]
        codes = [f.name for f in self.fields if f.type == "kode"]
        return [*self.period_paths, *opd, *codes]


def _rpjmd(data: dict[str, Any], node: Any) -> Values:
    period = inp.ref(data, "period", Period.objects.all())
    return {"period": period, "visi": inp.text(data, "visi")}


def _misi(data: dict[str, Any], node: Any) -> Values:
    rpjmd = inp.ref(data, "rpjmd", Rpjmd.objects.all())
    urutan = inp.whole(data, "urutan", low=1, high=99)
    return {"rpjmd": rpjmd, "urutan": urutan, "uraian": inp.text(data, "uraian")}


def _coded(parent: str, rows: "models.QuerySet[Any]") -> Callable[[dict[str, Any], Any], Values]:
    def parse(data: dict[str, Any], node: Any) -> Values:
        return {
            parent: inp.ref(data, parent, rows),
            "kode": inp.text(data, "kode", limit=20),
            "uraian": inp.text(data, "uraian"),
        }

    return parse


def _described(
    parent: str, rows: "models.QuerySet[Any]"
) -> Callable[[dict[str, Any], Any], Values]:
    def parse(data: dict[str, Any], node: Any) -> Values:
        return {parent: inp.ref(data, parent, rows), "uraian": inp.text(data, "uraian")}

    return parse


def _program_prioritas(data: dict[str, Any], node: Any) -> Values:
    sasaran = inp.ref(data, "sasaran", RpjmdSasaran.objects.all())
    program = inp.nomenklatur(data, "program", levels=(L.PROGRAM,))
    opd = opd_get(inp.text(data, "opd", limit=64))
    return {"sasaran": sasaran, "program": program, "opd": opd}


def _indicator(
    owners: dict[str, "models.QuerySet[Any]"], period_of: Callable[[Any], Period]
) -> Callable[[dict[str, Any], Any], Values]:
    def parse(data: dict[str, Any], node: Any) -> Values:
        given = {name: inp.ref(data, name, rows, required=False) for name, rows in owners.items()}
        chosen = [owner for owner in given.values() if owner is not None]
        if len(chosen) != 1:
            raise PlanningError(
                _("Pilih tepat satu induk indikator: %(names)s.") % {"names": ", ".join(owners)},
                field=next(iter(owners)),
            )
        period = period_of(chosen[0])
        return {
            **given,
            "uraian": inp.text(data, "uraian"),
            "satuan": inp.text(data, "satuan", limit=100),
            "baseline": quantity(data.get("baseline") or "0", field="baseline"),
            "target": inp.targets(data, period),
        }

    return parse


def _period_rpjmd(owner: Any) -> Period:
    tujuan = owner if isinstance(owner, RpjmdTujuan) else owner.tujuan
    return tujuan.misi.rpjmd.period


def _period_renstra(owner: Any) -> Period:
    if isinstance(owner, RenstraProgram):
        owner = owner.sasaran
    if isinstance(owner, RenstraSasaran):
        owner = owner.tujuan
    return owner.renstra.period  # type: ignore[no-any-return]


def _renstra(data: dict[str, Any], node: Any) -> Values:
    period = inp.ref(data, "period", Period.objects.all())
    opd = opd_get(inp.text(data, "opd", limit=64))
    return {"period": period, "opd": opd}


def _serves(data: dict[str, Any], period: Period) -> RpjmdSasaran | None:
    """The RPJMD sasaran a Renstra tujuan/sasaran serves: one of the same period's RPJMD."""
    sasaran = inp.ref(
        data,
        "rpjmd_sasaran",
        RpjmdSasaran.objects.select_related("tujuan__misi__rpjmd"),
        required=False,
    )
    if sasaran is not None and sasaran.tujuan.misi.rpjmd.period_id != period.pk:
        raise PlanningError(
            _("Sasaran RPJMD %(kode)s milik periode lain, bukan %(period)s.")
            % {"kode": sasaran.kode, "period": period},
            field="rpjmd_sasaran",
        )
    return sasaran


def _renstra_tujuan(data: dict[str, Any], node: Any) -> Values:
    renstra = inp.ref(data, "renstra", Renstra.objects.select_related("period", "opd"))
    assert renstra is not None
    values = _coded("renstra", Renstra.objects.all())(data, node)
    return {**values, "renstra": renstra, "rpjmd_sasaran": _serves(data, renstra.period)}


def _renstra_sasaran(data: dict[str, Any], node: Any) -> Values:
    rows = RenstraTujuan.objects.select_related("renstra__period", "renstra__opd")
    tujuan = inp.ref(data, "tujuan", rows)
    assert tujuan is not None
    values = _coded("tujuan", rows)(data, node)
    return {**values, "tujuan": tujuan, "rpjmd_sasaran": _serves(data, tujuan.renstra.period)}


def _renstra_program(data: dict[str, Any], node: Any) -> Values:
    rows = RenstraSasaran.objects.select_related("tujuan__renstra__period", "tujuan__renstra__opd")
    sasaran = inp.ref(data, "sasaran", rows)
    assert sasaran is not None
    item = inp.nomenklatur(data, "nomenklatur", levels=(L.PROGRAM, L.KEGIATAN, L.SUB_KEGIATAN))
    return {
        "sasaran": sasaran,
        "nomenklatur": item,
        "pagu": inp.funding(data, sasaran.tujuan.renstra.period),
    }


T, TA, IDX = "textarea", "years", "id"
RENSTRA_OPD = "renstra__opd__kode"
PROGRAM_PERIOD = "program__sasaran__tujuan__renstra__period"
PROGRAM_OPD = "program__sasaran__tujuan__" + RENSTRA_OPD
INDICATOR_FIELDS = (
    Field("uraian", gettext_lazy("Indikator"), T),
    Field("satuan", gettext_lazy("Satuan")),
    Field("baseline", gettext_lazy("Kondisi awal"), "decimal", required=False),
    Field("target", gettext_lazy("Target per tahun"), TA, required=False),
)
R_TUJUAN = RpjmdTujuan.objects.select_related("misi__rpjmd__period")
R_SASARAN = RpjmdSasaran.objects.select_related("tujuan__misi__rpjmd__period")
S_TUJUAN = RenstraTujuan.objects.select_related("renstra__period", "renstra__opd")
S_SASARAN = RenstraSasaran.objects.select_related("tujuan__renstra__period", "tujuan__renstra__opd")
S_PROGRAM = RenstraProgram.objects.select_related(
    "sasaran__tujuan__renstra__period", "sasaran__tujuan__renstra__opd"
)

KIND_LIST = [
    Kind(
        "rpjmd",
        gettext_lazy("RPJMD (visi)"),
        Rpjmd,
        (Field("period", gettext_lazy("Periode"), IDX), Field("visi", gettext_lazy("Visi"), T)),
        _rpjmd,
        ("period",),
    ),
    Kind(
        "misi",
        gettext_lazy("Misi"),
        Misi,
        (
            Field("rpjmd", gettext_lazy("RPJMD"), IDX),
            Field("urutan", gettext_lazy("Urutan"), "int"),
            Field("uraian", gettext_lazy("Uraian"), T),
        ),
        _misi,
        ("rpjmd__period",),
    ),
    Kind(
        "tujuan",
        gettext_lazy("Tujuan"),
        RpjmdTujuan,
        (
            Field("misi", gettext_lazy("Misi"), IDX),
            Field("kode", gettext_lazy("Kode")),
            Field("uraian", gettext_lazy("Uraian"), T),
        ),
        _coded("misi", Misi.objects.all()),
        ("misi__rpjmd__period",),
    ),
    Kind(
        "sasaran",
        gettext_lazy("Sasaran"),
        RpjmdSasaran,
        (
            Field("tujuan", gettext_lazy("Tujuan"), IDX),
            Field("kode", gettext_lazy("Kode")),
            Field("uraian", gettext_lazy("Uraian"), T),
        ),
        _coded("tujuan", RpjmdTujuan.objects.all()),
        ("tujuan__misi__rpjmd__period",),
    ),
    Kind(
        "strategi",
        gettext_lazy("Strategi"),
        Strategi,
        (
            Field("sasaran", gettext_lazy("Sasaran"), IDX),
            Field("uraian", gettext_lazy("Uraian"), T),
        ),
        _described("sasaran", RpjmdSasaran.objects.all()),
        ("sasaran__tujuan__misi__rpjmd__period",),
    ),
    Kind(
        "arah-kebijakan",
        gettext_lazy("Arah kebijakan"),
        ArahKebijakan,
        (
            Field("strategi", gettext_lazy("Strategi"), IDX),
            Field("uraian", gettext_lazy("Uraian"), T),
        ),
        _described("strategi", Strategi.objects.all()),
        ("strategi__sasaran__tujuan__misi__rpjmd__period",),
    ),
    Kind(
        "program-prioritas",
        gettext_lazy("Program prioritas"),
        ProgramPrioritas,
        (
            Field("sasaran", gettext_lazy("Sasaran"), IDX),
            Field("program", gettext_lazy("Kode program"), "kode"),
            Field("opd", gettext_lazy("Kode OPD"), "kode"),
        ),
        _program_prioritas,
        ("sasaran__tujuan__misi__rpjmd__period",),
    ),
    Kind(
        "indikator",
        gettext_lazy("Indikator RPJMD"),
        RpjmdIndikator,
        (
            Field("tujuan", gettext_lazy("Tujuan"), IDX, required=False),
            Field("sasaran", gettext_lazy("Sasaran"), IDX, required=False),
            *INDICATOR_FIELDS,
        ),
        _indicator({"tujuan": R_TUJUAN, "sasaran": R_SASARAN}, _period_rpjmd),
        ("tujuan__misi__rpjmd__period", "sasaran__tujuan__misi__rpjmd__period"),
    ),
    Kind(
        "renstra",
        gettext_lazy("Renstra OPD"),
        Renstra,
        (
            Field("period", gettext_lazy("Periode"), IDX),
            Field("opd", gettext_lazy("Kode OPD"), "kode"),
        ),
        _renstra,
        ("period",),
        ("opd__kode",),
    ),
    Kind(
        "renstra-tujuan",
        gettext_lazy("Tujuan Renstra"),
        RenstraTujuan,
        (
            Field("renstra", gettext_lazy("Renstra"), IDX),
            Field("kode", gettext_lazy("Kode")),
            Field("uraian", gettext_lazy("Uraian"), T),
            Field("rpjmd_sasaran", gettext_lazy("Sasaran RPJMD yang didukung"), IDX, False),
        ),
        _renstra_tujuan,
        ("renstra__period",),
        (RENSTRA_OPD,),
    ),
    Kind(
        "renstra-sasaran",
        gettext_lazy("Sasaran Renstra"),
        RenstraSasaran,
        (
            Field("tujuan", gettext_lazy("Tujuan Renstra"), IDX),
            Field("kode", gettext_lazy("Kode")),
            Field("uraian", gettext_lazy("Uraian"), T),
            Field("rpjmd_sasaran", gettext_lazy("Sasaran RPJMD yang didukung"), IDX, False),
        ),
        _renstra_sasaran,
        ("tujuan__renstra__period",),
        ("tujuan__" + RENSTRA_OPD,),
    ),
    Kind(
        "renstra-program",
        gettext_lazy("Program/kegiatan/sub kegiatan Renstra"),
        RenstraProgram,
        (
            Field("sasaran", gettext_lazy("Sasaran Renstra"), IDX),
            Field("nomenklatur", gettext_lazy("Kode nomenklatur"), "kode"),
            Field("pagu", gettext_lazy("Pendanaan indikatif per tahun"), "rupiah_years", False),
        ),
        _renstra_program,
        ("sasaran__tujuan__renstra__period",),
        ("sasaran__tujuan__" + RENSTRA_OPD,),
    ),
    Kind(
        "renstra-indikator",
        gettext_lazy("Indikator Renstra"),
        RenstraIndikator,
        (
            Field("tujuan", gettext_lazy("Tujuan Renstra"), IDX, required=False),
            Field("sasaran", gettext_lazy("Sasaran Renstra"), IDX, required=False),
            Field("program", gettext_lazy("Program Renstra"), IDX, required=False),
            *INDICATOR_FIELDS,
        ),
        _indicator(
            {"tujuan": S_TUJUAN, "sasaran": S_SASARAN, "program": S_PROGRAM}, _period_renstra
        ),
        ("tujuan__renstra__period", "sasaran__tujuan__renstra__period", PROGRAM_PERIOD),
        ("tujuan__" + RENSTRA_OPD, "sasaran__tujuan__" + RENSTRA_OPD, PROGRAM_OPD),
    ),
]
KINDS = {kind.name: kind for kind in KIND_LIST}


def kind_get(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        raise PlanningError(_("Jenis isian RPJMD/Renstra tidak dikenal."), field="jenis")
    return kind
