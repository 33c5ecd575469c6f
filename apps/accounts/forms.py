"""Input of the HTML pages; the rules themselves live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role, User
from apps.reference.selectors import perangkat_daerah_list


def opd_choices() -> list[tuple[str, str]]:
    """The region's perangkat daerah in use, for an OPD-bound role: (code, "DINKES — name")."""
    return [("", "—")] + [
        (opd.kode, f"{opd.singkatan} — {opd.nama}" if opd.singkatan else opd.nama)
        for opd in perangkat_daerah_list()
    ]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    opd_code = forms.ChoiceField(
        label=_("OPD"),
        required=False,
        help_text=_("Wajib untuk Operator OPD dan Kepala OPD."),
    )
    wilayah_code = forms.CharField(
        label=_("Kode wilayah"),
        required=False,
        max_length=13,
        help_text=_(
            "Wajib untuk Operator kecamatan (kode kecamatan) dan Operator desa/kelurahan "
            "(kode desa/kelurahan) daerah ini, misalnya 12.71.01 atau 12.71.01.1001."
        ),
        widget=forms.TextInput(attrs={"list": "wilayah-codes", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd_code"].choices = opd_choices()  # type: ignore[attr-defined]


class StaffInvitationForm(forms.Form):
    """Console: invite central support, or a provincial admin of one of the provinces."""

    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Peran platform"),
        choices=[
            (User.PlatformRole.PROVINCIAL_ADMIN.value, _("Admin provinsi")),
            (User.PlatformRole.CENTRAL_SUPPORT.value, _("Dukungan pusat")),
        ],
    )
    province_code = forms.ChoiceField(
        label=_("Provinsi"),
        required=False,
        help_text=_("Wajib untuk admin provinsi; kosongkan untuk dukungan pusat."),
    )

    def __init__(self, *args: Any, province_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *province_choices,
        ]


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Peran"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    opd_code = forms.ChoiceField(label=_("OPD"), required=False)
    wilayah_code = forms.CharField(label=_("Kode wilayah"), required=False, max_length=13)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd_code"].choices = opd_choices()  # type: ignore[attr-defined]


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=255)
    password1 = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


class SupportGrantForm(forms.Form):
    tenant = forms.ChoiceField(label=_("Daerah"))
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))
    duration_minutes = forms.IntegerField(
        label=_("Durasi (menit, maks. 240)"), min_value=1, max_value=240, initial=60
    )

    def __init__(self, *args: Any, tenant_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tenant"].choices = tenant_choices  # type: ignore[attr-defined]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=100)
