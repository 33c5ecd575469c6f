"""Forms of the standard-price request pages; the services check the values again (the forms
only bound their shape), and a refusal lands on the field it names."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.reference.models import PersetujuanHarga, StandarHarga, UsulanHarga

_SPLIT = re.compile(r"[\s,;]+")


class UsulanFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nomor, kode atau uraian"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *UsulanHarga.Status.choices]
    )
    jenis_usulan = forms.ChoiceField(
        label=_("Jenis usulan"),
        required=False,
        choices=[("", _("Semua")), *UsulanHarga.Jenis.choices],
    )
    opd = forms.CharField(label=_("Kode OPD"), required=False, max_length=40)
    halaman = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) or None


class UsulanForm(forms.Form):
    jenis_usulan = forms.ChoiceField(label=_("Jenis usulan"), choices=UsulanHarga.Jenis.choices)
    opd = forms.ChoiceField(label=_("OPD pengusul"), choices=[])
    item = forms.CharField(
        label=_("Kode item yang ada (harga baru atau rekening baru)"),
        required=False,
        max_length=40,
    )
    jenis_standar = forms.ChoiceField(
        label=_("Jenis standar (item baru)"),
        required=False,
        choices=[("", "-"), *StandarHarga.Jenis.choices],
    )
    kode = forms.CharField(label=_("Kode item baru"), required=False, max_length=40)
    uraian = forms.CharField(label=_("Uraian"), required=False, max_length=2000)
    spesifikasi = forms.CharField(
        label=_("Spesifikasi"), required=False, max_length=2000, widget=forms.Textarea
    )
    satuan = forms.CharField(label=_("Satuan"), required=False, max_length=40)
    harga = forms.CharField(label=_("Harga satuan (Rp)"), required=False, max_length=30)
    rekening = forms.CharField(
        label=_("Kode rekening sub rincian objek (pisahkan dengan koma)"),
        required=False,
        max_length=1000,
    )
    alasan = forms.CharField(label=_("Justifikasi"), max_length=4000, widget=forms.Textarea)
    lampiran = forms.FileField(label=_("Dokumen pendukung (PDF, gambar, XLSX)"), required=False)

    def __init__(self, *args: Any, opd_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["opd"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = opd_choices

    def input_values(self) -> dict[str, Any]:
        """The cleaned values as the service's UsulanInput fields (call after is_valid())."""
        values = {k: v for k, v in self.cleaned_data.items() if k != "lampiran"}
        values["rekening"] = [c for c in _SPLIT.split(values.get("rekening") or "") if c]
        return values


class ApproveForm(forms.Form):
    peran = forms.ChoiceField(
        label=_("Setujui sebagai"),
        required=False,
        choices=[("", _("Otomatis")), *PersetujuanHarga.Peran.choices],
    )
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=4000)


class RejectForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan penolakan"), max_length=4000, widget=forms.Textarea)
