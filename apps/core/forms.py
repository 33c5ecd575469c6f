"""What every page form shares: numbers typed the Indonesian way, and a form that marks the
fields a refusal names for assistive technology. Amounts, codes and places stay text in page
forms: the services check them and name the field they refuse, so a page says what the API
says."""

import re
from typing import Any

from django import forms

Choices = list[tuple[str, Any]]


THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


class NumberField(forms.CharField):
    """A number as Indonesians type it: a decimal comma ("12,5", "1.500.000,50"), and for
    rupiah thousands dots ("1.500.000"); the service then checks the value it becomes."""

    def __init__(self, *, rupiah: bool, **kwargs: Any) -> None:
        self.rupiah = rupiah
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).replace(" ", "")
        if "," in text:
            return text.replace(".", "").replace(",", ".")
        if self.rupiah and THOUSANDS.fullmatch(text):
            return text.replace(".", "")
        return text


class PageForm(forms.Form):
    """Marks the fields in error for assistive technology (aria-invalid, aria-describedby)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                # the id of the error paragraph _fields.html writes under the field
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def choices(self, name: str, values: Choices) -> None:
        self.fields[name].widget.choices = values

    def service_field(self, name: str) -> str:
        """The form field that shows a refusal of the service's field `name`."""
        return name
