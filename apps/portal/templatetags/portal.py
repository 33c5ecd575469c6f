"""Portal figures the Indonesian way: Rp 1.234.567 (with ,89 when there are sen)."""

from decimal import Decimal
from typing import Any

from django import template

from apps.planning.formatting import number_text

register = template.Library()


@register.filter
def rp(value: Any) -> str:
    if value is None or value == "":
        return "\u2013"
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 1)
    text = f"{int(whole):,}".replace(",", ".")
    cents = int(frac * 100)
    return f"Rp {sign}{text}" + (f",{cents:02d}" if cents else "")


@register.filter
def cell(value: Any, kind: str) -> str:
    """A table cell by its column kind."""
    if value is None or value == "":
        return "\u2013"
    if kind == "rupiah":
        return rp(value)
    if kind == "persen":
        return number_text(value)
    if kind in ("angka", "hari"):
        return number_text(value)
    return str(value)


@register.filter
def get(row: Any, key: str) -> Any:
    return row.get(key) if hasattr(row, "get") else None
