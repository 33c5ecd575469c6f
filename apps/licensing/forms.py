"""Forms of the perizinan pages: the application form is built from the service standard."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.licensing.models import HariLibur, Langkah, StandarLayanan


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, max_length=128)


class ApplicationForm(forms.Form):
    """Applicant's data, the declared quantities of a formula fee, one file per requirement."""

    nama_pemohon = forms.CharField(label=_("Nama pemohon"), max_length=200)
    email_pemohon = forms.EmailField(label=_("Email pemohon"), required=False)
    telepon = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    alamat = forms.CharField(label=_("Alamat"), max_length=1000, required=False)
    lokasi = forms.CharField(label=_("Lokasi kegiatan"), max_length=1000, required=False)

    def __init__(self, *args: Any, standar: StandarLayanan, counter: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.standar = standar
        if not counter:
            del self.fields["email_pemohon"]
        for item in standar.retribusi_besaran if standar.retribusi_jenis == "formula" else []:
            self.fields[f"besaran_{item['kode']}"] = forms.CharField(
                label=item["label"], max_length=30, required=False
            )
        for index, rule in enumerate(standar.persyaratan):
            types = ", ".join(rule["jenis"])
            self.fields[f"dokumen_{index}"] = forms.FileField(
                label=rule["nama"],
                required=False,
                help_text=_("%(types)s, paling besar %(kb)s KB%(wajib)s")
                % {
                    "types": types,
                    "kb": rule["maks_kb"],
                    "wajib": " (wajib)" if rule["wajib"] else "",
                },
            )

    def service_input(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = {
            k: v for k, v in self.cleaned_data.items() if not k.startswith(("besaran_", "dokumen_"))
        }
        data["besaran"] = {
            k.removeprefix("besaran_"): v
            for k, v in self.cleaned_data.items()
            if k.startswith("besaran_")
        }
        documents = {
            rule["nama"]: self.cleaned_data.get(f"dokumen_{i}")
            for i, rule in enumerate(self.standar.persyaratan)
            if self.cleaned_data.get(f"dokumen_{i}")
        }
        return data, documents


class StepForm(forms.Form):
    hasil = forms.ChoiceField(label=_("Hasil"), choices=Langkah.Hasil.choices)
    catatan = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea, required=False, max_length=4000
    )
    referensi = forms.CharField(label=_("Referensi pembayaran"), required=False, max_length=100)


class HolidayForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HariLibur
        fields = ["tanggal", "nama", "jenis"]
        widgets = {"tanggal": forms.DateInput(attrs={"type": "date"})}


class SurveyForm(forms.Form):
    ELEMENTS = [
        ("u1", _("Persyaratan")),
        ("u2", _("Prosedur")),
        ("u3", _("Waktu pelayanan")),
        ("u4", _("Biaya/tarif")),
        ("u5", _("Produk layanan")),
        ("u6", _("Kompetensi petugas")),
        ("u7", _("Perilaku petugas")),
        ("u8", _("Penanganan pengaduan")),
        ("u9", _("Sarana dan prasarana")),
    ]
    SCALE = [(1, _("Tidak baik")), (2, _("Kurang baik")), (3, _("Baik")), (4, _("Sangat baik"))]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in self.ELEMENTS:
            self.fields[code] = forms.TypedChoiceField(
                label=label, choices=self.SCALE, coerce=int, widget=forms.RadioSelect
            )
        self.fields["saran"] = forms.CharField(
            label=_("Saran"), required=False, widget=forms.Textarea, max_length=2000
        )
