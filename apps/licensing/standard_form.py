"""The page form of a service standard: requirements as lines `name | ya/tidak | pdf,jpg | KB`,
fee quantities as lines `kode | label`, one field of working days per step."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.licensing.models import STEP_ORDER, Retribusi, StandarLayanan, Step


def _requirement_lines(items: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{i['nama']} | {'ya' if i['wajib'] else 'tidak'} | {','.join(i['jenis'])} | {i['maks_kb']}"
        for i in items
    )


class StandardForm(forms.Form):
    nama = forms.CharField(label=_("Nama layanan"), max_length=500)
    aktif = forms.BooleanField(label=_("Dilayani"), required=False)
    opd_teknis = forms.CharField(label=_("Kode OPD teknis"), max_length=64, required=False)
    persyaratan = forms.CharField(
        label=_("Persyaratan"),
        widget=forms.Textarea,
        max_length=20000,
        help_text=_("Satu baris per dokumen: nama | wajib (ya/tidak) | jenis (pdf,png,jpg) | KB"),
    )
    retribusi_jenis = forms.ChoiceField(label=_("Retribusi"), choices=Retribusi.choices)
    retribusi_tetap = forms.DecimalField(
        label=_("Tarif tetap (Rp)"), required=False, max_digits=16, decimal_places=0, min_value=0
    )
    retribusi_tarif = forms.DecimalField(
        label=_("Tarif per satuan (Rp)"),
        required=False,
        max_digits=16,
        decimal_places=2,
        min_value=0,
    )
    retribusi_besaran = forms.CharField(
        label=_("Besaran rumus"),
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        help_text=_("Satu baris per besaran yang dikalikan: kode | label, mis. luas_m2 | Luas"),
    )
    masa_berlaku_bulan = forms.IntegerField(
        label=_("Masa berlaku (bulan)"), required=False, min_value=1, max_value=600
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in STEP_ORDER:
            self.fields[f"hari_{step}"] = forms.IntegerField(
                label=_("%(step)s (hari kerja)") % {"step": Step(step).label},
                min_value=1,
                max_value=120,
            )

    @classmethod
    def initial_of(cls, standar: StandarLayanan) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "nama": standar.nama,
            "aktif": standar.aktif,
            "opd_teknis": standar.opd_teknis,
            "persyaratan": _requirement_lines(standar.persyaratan),
            "retribusi_jenis": standar.retribusi_jenis,
            "retribusi_tetap": standar.retribusi_tetap,
            "retribusi_tarif": standar.retribusi_tarif,
            "retribusi_besaran": "\n".join(
                f"{b['kode']} | {b['label']}" for b in standar.retribusi_besaran
            ),
            "masa_berlaku_bulan": standar.masa_berlaku_bulan,
        }
        for step in STEP_ORDER:
            initial[f"hari_{step}"] = standar.langkah.get(step, 1)
        return initial

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        requirements = []
        for line in data["persyaratan"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            requirements.append(
                {
                    "nama": parts[0],
                    "wajib": parts[1].lower() not in ("tidak", "no", "0"),
                    "jenis": [
                        t.strip().lower() for t in (parts[2] or "pdf").split(",") if t.strip()
                    ],
                    "maks_kb": parts[3] or 2048,
                }
            )
        quantities = []
        for line in (data.get("retribusi_besaran") or "").splitlines():
            if line.strip():
                kode, _bar, label = line.partition("|")
                quantities.append({"kode": kode.strip(), "label": label.strip() or kode.strip()})
        return {
            "nama": data["nama"],
            "aktif": data["aktif"],
            "opd_teknis": data["opd_teknis"],
            "persyaratan": requirements,
            "langkah": {step: data[f"hari_{step}"] for step in STEP_ORDER},
            "retribusi_jenis": data["retribusi_jenis"],
            "retribusi_tetap": data.get("retribusi_tetap") or 0,
            "retribusi_tarif": data.get("retribusi_tarif") or 0,
            "retribusi_besaran": quantities,
            "masa_berlaku_bulan": data.get("masa_berlaku_bulan"),
        }
