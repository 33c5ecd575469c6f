"""Filter forms of the reference pages: every query value is validated here before a selector
sees it (a NUL byte, an overlong or unknown value is a form error shown on the page, never a
500), and the page size is one of a few bounded choices."""

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from apps.reference.models import Nomenklatur, PerangkatDaerah, Rekening, StandarHarga

PAGE_SIZES = (25, 50, 100)
MAX_PAGE = 10_000
_CODE = RegexValidator(r"^[0-9X]+(\.[0-9X]+)*$", _("Kode hanya berisi angka dan titik."))


class ReferenceFilterForm(forms.Form):
    """Search, retirement state and paging shared by every reference page."""

    class Status:
        CURRENT = "berlaku"
        RETIRED = "pensiun"
        ALL = "semua"

    q = forms.CharField(label=_("Cari kode atau nama"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Berlaku")),
            (Status.RETIRED, _("Tidak berlaku lagi")),
            (Status.ALL, _("Semua")),
        ],
    )
    per_halaman = forms.TypedChoiceField(
        label=_("Baris per halaman"),
        required=False,
        coerce=int,
        empty_value=50,  # type: ignore[arg-type]
        choices=[(size, str(size)) for size in PAGE_SIZES],
    )
    halaman = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def value(self, name: str) -> Any:
        """A cleaned value (None when empty); call after is_valid()."""
        return self.cleaned_data.get(name) or None

    @property
    def retired(self) -> bool | None:
        """None: both; True: retired only; False: current only."""
        status = self.cleaned_data.get("status")
        if status == self.Status.ALL:
            return None
        return status == self.Status.RETIRED


def _flag_choices() -> list[tuple[str, Any]]:
    return [("", _("Semua")), ("ya", _("Ya")), ("tidak", _("Tidak"))]


class NomenklaturFilterForm(ReferenceFilterForm):
    tingkat = forms.ChoiceField(
        label=_("Tingkat"), required=False, choices=[("", _("Semua")), *Nomenklatur.Level.choices]
    )
    urusan = forms.ChoiceField(label=_("Urusan / bidang urusan"), required=False)
    spm = forms.ChoiceField(label=_("SPM"), required=False, choices=_flag_choices)

    def __init__(self, *args: Any, bidang: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["urusan"].choices = [("", _("Semua")), *bidang]  # type: ignore[attr-defined]

    @property
    def spm_flag(self) -> bool | None:
        spm = self.cleaned_data.get("spm")
        return None if not spm else spm == "ya"


class RekeningFilterForm(ReferenceFilterForm):
    tingkat = forms.ChoiceField(
        label=_("Tingkat"), required=False, choices=[("", _("Semua")), *Rekening.Level.choices]
    )


class HargaFilterForm(ReferenceFilterForm):
    jenis = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua")), *StandarHarga.Jenis.choices]
    )
    rekening = forms.CharField(
        label=_("Kode rekening"), required=False, max_length=40, validators=[_CODE]
    )


def opd_choices() -> list[tuple[str, str]]:
    """The region's current OPD as select choices (kode, "singkatan — nama"), an empty first."""
    rows = PerangkatDaerah.objects.filter(retired_at=None).order_by("kode")
    return [
        ("", "—"),
        *((o.kode, f"{o.singkatan} — {o.nama}" if o.singkatan else o.nama) for o in rows),
    ]
