"""Form fields of the e-planning pages. Amounts, codes and places are text here: the services
check them and name the field they refuse, so the page says what the API says."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import Choices, NumberField, PageForm
from apps.planning.models import Period, Recommendation, Stage
from apps.planning.selectors.rpjmd import entry_link_choices
from apps.planning.services.entry_links import MAX_INDICATORS
from apps.reference.forms import opd_choices
from apps.reference.models import SumberDana
from apps.wilayah.models import Desa, Kecamatan

EMPTY: tuple[str, str] = ("", "—")


def kecamatan_choices() -> Choices:
    return [("", _("Seluruh daerah")), *Kecamatan.objects.values_list("kode", "nama")]


def desa_choices(*, codes: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """Desa/kelurahan of the region (`codes`: only these, or those under these kecamatan)."""
    rows = Desa.objects.select_related("kecamatan").order_by("kecamatan__nama", "nama")
    out = [EMPTY]
    for desa in rows:
        if codes is None or desa.kode in codes or desa.kecamatan_id in codes:
            out.append((desa.kode, f"{desa.nama} (Kec. {desa.kecamatan.nama})"))
    return out


def sumber_dana_choices() -> list[tuple[str, str]]:
    rows = SumberDana.objects.filter(retired_at=None).order_by("kode")
    return [EMPTY, *((s.kode, f"{s.kode} {s.nama}") for s in rows)]


def _text(label: Any, *, max_length: int, area: bool = False, **attrs: str) -> forms.CharField:
    attrs = {k.replace("_", "-"): v for k, v in attrs.items()}
    widget = forms.Textarea(attrs={"rows": "3", **attrs}) if area else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


def _select(label: Any) -> forms.CharField:
    """A select whose value the service checks (a code posted from outside the list is refused
    by the service, naming the field, not by the form)."""
    return forms.CharField(label=label, required=False, max_length=64, widget=forms.Select())


def _amount(label: Any, *, help_text: Any = "", rupiah: bool = False) -> forms.CharField:
    attrs = {"inputmode": "decimal", "autocomplete": "off"}
    return NumberField(
        rupiah=rupiah,
        label=label,
        required=False,
        max_length=30,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _year(label: Any = None) -> forms.IntegerField:
    return forms.IntegerField(label=label or _("Tahun"), min_value=2000, max_value=2100)


class PlanningForm(PageForm):
    """The e-planning pages' forms."""


class PeriodForm(PlanningForm):
    nama = _text(_("Nama periode"), max_length=200, placeholder="RPJMD 2025-2029")
    tahun_awal = _year(_("Tahun awal"))


class StageForm(PlanningForm):
    period = forms.TypedChoiceField(label=_("Periode RPJMD"), coerce=int)
    tahun = _year()
    jenis = forms.ChoiceField(label=_("Tahapan"), choices=Stage.Kind.choices)
    dibuka_pada = forms.DateField(label=_("Dibuka"), widget=forms.DateInput(attrs={"type": "date"}))
    ditutup_pada = forms.DateField(
        label=_("Ditutup"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (p.pk, str(p)) for p in Period.objects.order_by("-tahun_awal")
        ]


class CeilingForm(PlanningForm):
    tahun = _year()
    opd = _select(_("OPD"))
    pagu = _amount(_("Pagu indikatif (Rp)"), help_text=_("Rupiah utuh, tanpa sen."), rupiah=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices("opd", opd_choices())


ENTRY_LINKS = ("program_prioritas", "rpjmd_sasaran", "renstra_sasaran")
INDICATOR_PARTS = ("uraian", "satuan", "target", "target_berikut")
BLANK_INDICATOR_ROWS = 2
INDICATOR_KEY = re.compile(r"lain-(\d{1,3})-(?:uraian|satuan|target|target_berikut)")
SERVICE_INDICATOR = re.compile(r"indikator_lain\.(\d+)\.(uraian|satuan|target|target_berikut)")


def indicator_fields(row: int) -> dict[str, forms.Field]:
    """The four inputs of further indicator `row` (0-based; the page numbers them from 2)."""
    n = row + 2
    return {
        f"lain-{row}-uraian": _text(_("Uraian indikator %(n)d") % {"n": n}, max_length=2000),
        f"lain-{row}-satuan": _text(_("Satuan indikator %(n)d") % {"n": n}, max_length=100),
        f"lain-{row}-target": _amount(_("Target indikator %(n)d tahun ini") % {"n": n}),
        f"lain-{row}-target_berikut": _amount(
            _("Target indikator %(n)d tahun berikutnya") % {"n": n}
        ),
    }


class EntryForm(PlanningForm):
    """An RKPD sub kegiatan: the code is typed or found with the search (never a select of
    every sub kegiatan); the RPJMD/Renstra it serves chosen among the choices of the period
    holding `tahun`; further output indicators as rows `lain-N-*` (a fully blank row is
    ignored)."""

    tahun = _year()
    sub_kegiatan = _text(
        _("Sub kegiatan (kode)"),
        max_length=40,
        placeholder="1.02.02.2.01.0001",
        autocomplete="off",
        list="sub-kegiatan-pilihan",
        data_search="sub-kegiatan",
    )
    opd = _select(_("OPD"))
    kecamatan = _select(_("Kecamatan"))
    desa = _select(_("Desa/kelurahan"))
    indikator = _text(_("Indikator keluaran"), max_length=2000, area=True)
    satuan = _text(_("Satuan"), max_length=100)
    target = _amount(_("Target tahun ini"))
    target_berikut = _amount(_("Target tahun berikutnya"))
    pagu = _amount(_("Pagu indikatif (Rp)"), help_text=_("Rupiah utuh, tanpa sen."), rupiah=True)
    pagu_berikut = _amount(_("Pagu tahun berikutnya (Rp)"), rupiah=True)
    sumber_dana = _select(_("Sumber dana"))
    sasaran = _text(_("Sasaran RPJMD/Renstra yang didukung"), max_length=300)
    program_prioritas = _select(_("Program prioritas RPJMD"))
    rpjmd_sasaran = _select(_("Sasaran RPJMD"))
    renstra_sasaran = _select(_("Sasaran Renstra OPD"))

    def __init__(
        self, *args: Any, tahun: int | None = None, indicators: int = 0, **kwargs: Any
    ) -> None:
        """`indicators`: how many further indicators the entry has (two blank rows follow)."""
        super().__init__(*args, **kwargs)
        self.choices("opd", opd_choices())
        self.choices("kecamatan", kecamatan_choices())
        self.choices("desa", [("", _("Seluruh kecamatan/daerah")), *desa_choices()[1:]])
        self.choices("sumber_dana", sumber_dana_choices())
        links = entry_link_choices(tahun=tahun) if tahun else {}
        for name in ENTRY_LINKS:
            self.choices(name, [EMPTY, *((str(pk), label) for pk, label in links.get(name, []))])
        rows = indicators + BLANK_INDICATOR_ROWS
        if self.is_bound:
            posted = [int(m.group(1)) for k in self.data if (m := INDICATOR_KEY.fullmatch(k))]
            rows = max(posted, default=-1) + 1
        self.indicator_rows = min(rows, MAX_INDICATORS)
        for row in range(self.indicator_rows):
            self.fields.update(indicator_fields(row))
        self._used_rows: list[int] = []

    def main_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if not f.name.startswith("lain-")]

    def indicator_table(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"lain-{row}-{part}"] for part in INDICATOR_PARTS]
            for row in range(self.indicator_rows)
        ]

    def links(self) -> dict[str, Any]:
        """Each link as the service takes it: an id, 0 for none (clears it), or what was posted
        when it is no id (the service refuses it, naming the field)."""
        out: dict[str, Any] = {}
        for name in ENTRY_LINKS:
            raw = self.cleaned_data[name].strip()
            out[name] = int(raw) if raw.isdigit() else raw or 0
        return out

    def indicators(self) -> list[dict[str, str]]:
        """The further indicators typed, fully blank rows left out (remembered so that a refusal
        of the service's n-th indicator is shown in its row)."""
        out, self._used_rows = [], []
        for row in range(self.indicator_rows):
            values = {p: self.cleaned_data[f"lain-{row}-{p}"].strip() for p in INDICATOR_PARTS}
            if any(values.values()):
                out.append(values)
                self._used_rows.append(row)
        return out

    def service_field(self, name: str) -> str:
        match = SERVICE_INDICATOR.fullmatch(name)
        if match and int(match.group(1)) < len(self._used_rows):
            return f"lain-{self._used_rows[int(match.group(1))]}-{match.group(2)}"
        return name


class RenjaSubmitForm(PlanningForm):
    tahun = _year()
    opd = _select(_("OPD"))

    def __init__(self, *args: Any, opd_codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices("opd", opd_codes)


class RenjaVerifyForm(PlanningForm):
    keputusan = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("terima", _("Terima")), ("kembalikan", _("Kembalikan dengan catatan"))],
        widget=forms.RadioSelect,
    )
    catatan = _text(_("Catatan"), max_length=4000, area=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; type and size are checked by the service (apps.files)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ProposalForm(PlanningForm):
    tahun = _year()
    desa = _select(_("Desa/kelurahan"))
    masalah = _text(_("Permasalahan"), max_length=4000, area=True)
    usulan = _text(_("Usulan kegiatan"), max_length=4000, area=True)
    volume = _amount(_("Volume"))
    satuan = _text(_("Satuan"), max_length=60)
    biaya = _amount(_("Perkiraan biaya (Rp)"), help_text=_("Rupiah utuh, tanpa sen."), rupiah=True)
    prioritas = forms.IntegerField(label=_("Peringkat prioritas desa"), min_value=1, max_value=999)
    berkas = MultipleFileField(
        label=_("Foto atau dokumen"),
        required=False,
        help_text=_("PDF, PNG, JPG atau WEBP, paling besar 5 MB per berkas, paling banyak 5."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"}),
    )

    def __init__(self, *args: Any, desa: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices("desa", desa)


class RecommendForm(PlanningForm):
    """A forum's decision; the fields a kind does not use are ignored by the service."""

    jenis = forms.ChoiceField(
        label=_("Rekomendasi"), choices=Recommendation.Kind.choices, widget=forms.RadioSelect
    )
    alasan = _text(_("Alasan"), max_length=4000, area=True)
    ubah_usulan = _text(_("Usulan setelah perubahan"), max_length=4000)
    ubah_volume = _amount(_("Volume setelah perubahan"))
    ubah_satuan = _text(_("Satuan setelah perubahan"), max_length=60)
    ubah_biaya = _amount(_("Biaya setelah perubahan (Rp)"), rupiah=True)
    opd = _select(_("OPD tujuan"))

    CHANGES = ("usulan", "volume", "satuan", "biaya")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices("opd", opd_choices())

    def changes(self) -> dict[str, str]:
        data = self.cleaned_data
        return {n: data[f"ubah_{n}"].strip() for n in self.CHANGES if data[f"ubah_{n}"].strip()}


class AttachForm(PlanningForm):
    entri = forms.TypedChoiceField(label=_("Sub kegiatan RKPD"), coerce=int)

    def __init__(self, *args: Any, entries: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entri"].choices = entries  # type: ignore[attr-defined]
