"""Portal figures the Indonesian way: Rp 1.234.567 (with ,89 when there are sen)."""

from decimal import Decimal
from typing import Any

from apps.planning.formatting import number_text

NONE = "\u2013"


def rp(value: Any) -> str:
    if value is None or value == "":
        return NONE
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 1)
    text = f"{int(whole):,}".replace(",", ".")
    cents = int(frac * 100)
    return f"Rp {sign}{text}" + (f",{cents:02d}" if cents else "")


def cell_text(value: Any, kind: str) -> str:
    """A table cell by its column kind (rupiah, angka, persen, hari, text)."""
    if value is None or value == "":
        return NONE
    if kind == "rupiah":
        return rp(value)
    if kind in ("angka", "hari", "persen"):
        return number_text(value)
    return str(value)
