"""Input of the HTML pages; the rules themselves live in services."""

from typing import Any

from django import forms

from apps.accounts.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email")
    role = forms.ChoiceField(label="Peran", choices=Role.choices)
    opd_code = forms.CharField(
        label="Kode OPD",
        max_length=64,
        required=False,
        help_text="Wajib untuk Operator OPD dan Kepala OPD.",
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Peran", choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    opd_code = forms.CharField(label="Kode OPD", max_length=64, required=False)


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label="Nama lengkap", max_length=255)
    password1 = forms.CharField(label="Kata sandi", widget=forms.PasswordInput)
    password2 = forms.CharField(label="Ulangi kata sandi", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "Kedua kata sandi tidak sama.")
        return data


class SupportGrantForm(forms.Form):
    tenant = forms.ChoiceField(label="Daerah")
    reason = forms.CharField(label="Alasan", widget=forms.Textarea(attrs={"rows": 3}))
    duration_minutes = forms.IntegerField(
        label="Durasi (menit, maks. 240)", min_value=1, max_value=240, initial=60
    )

    def __init__(self, *args: Any, tenant_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tenant"].choices = tenant_choices  # type: ignore[attr-defined]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Nama token", max_length=100)
