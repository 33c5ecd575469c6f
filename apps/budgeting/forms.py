"""Form fields of the KUA-PPAS pages. Amounts and account codes are text here: the services
(apps.budgeting.services.kua) check them and name the field they refuse, so the page says what
the API says. The fiscal year rides along as a hidden field on every form but the one that
opens a year."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError
from apps.core.forms import NumberField, PageForm
from apps.reference.forms import opd_choices


def _year(*, hidden: bool) -> forms.IntegerField:
    widget = forms.HiddenInput() if hidden else forms.NumberInput(attrs={"min": 2000, "max": 2100})
    return forms.IntegerField(
        label=_("Tahun anggaran"), min_value=2000, max_value=2100, widget=widget
    )


def _rupiah(label: Any) -> NumberField:
    return NumberField(
        rupiah=True,
        label=label,
        required=False,
        max_length=30,
        help_text=_("Rupiah dengan sen, misalnya 1.500.000,50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _account(label: Any, datalist: str) -> forms.CharField:
    attrs = {"list": datalist, "autocomplete": "off", "class": "mono"}
    return forms.CharField(
        label=label, required=False, max_length=40, widget=forms.TextInput(attrs=attrs)
    )


def _uraian() -> forms.CharField:
    return forms.CharField(label=_("Uraian"), required=False, max_length=300)


def _opd() -> forms.CharField:
    """A select whose code the service checks (an unknown code is refused by the service)."""
    return forms.CharField(label=_("OPD"), required=False, max_length=64, widget=forms.Select())


class BudgetForm(PageForm):
    def refuse(self, error: ApplicationError) -> None:
        """Show a service's refusal next to the visible field it names, else above the form."""
        name = error.field or ""
        shown = name in self.fields and not self.fields[name].widget.is_hidden
        self.add_error(name if shown else None, error.message)
        self.mark_invalid()

    def invalid(self) -> bool:
        """The form's own checks; hidden fields' errors go above the form. True when invalid."""
        if self.is_valid():
            return False
        for name in [n for n in self.errors if n in self.fields]:
            if self.fields[name].widget.is_hidden:
                for message in self.errors.pop(name):
                    self.add_error(None, f"{self.fields[name].label}: {message}")
        self.mark_invalid()
        return True


class YearOpenForm(BudgetForm):
    prefix = "buka"
    tahun = _year(hidden=False)


class CeilingsFromRkpdForm(BudgetForm):
    prefix = "rkpd"
    tahun = _year(hidden=True)


class CeilingOpdForm(BudgetForm):
    prefix = "pagu"
    tahun = _year(hidden=True)
    opd = _opd()
    pagu = _rupiah(_("Pagu OPD (Rp)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices("opd", opd_choices())


class RevenueForm(BudgetForm):
    prefix = "pendapatan"
    tahun = _year(hidden=True)
    opd = _opd()
    rekening = _account(_("Rekening pendapatan (4.x, sub rincian objek)"), "rekening-4")
    jumlah = _rupiah(_("Target pendapatan (Rp)"))
    uraian = _uraian()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices("opd", opd_choices())


class FinancingForm(BudgetForm):
    prefix = "pembiayaan"
    tahun = _year(hidden=True)
    rekening = _account(_("Rekening pembiayaan (6.1 penerimaan, 6.2 pengeluaran)"), "rekening-6")
    jumlah = _rupiah(_("Jumlah (Rp)"))
    uraian = _uraian()
