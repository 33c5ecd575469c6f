"""Amounts the Indonesian way: Rp 1.234.567 (pagu are whole rupiah)."""

from decimal import Decimal
from typing import Any


def rupiah_text(value: Any) -> str:
    amount = Decimal(str(value or 0)).quantize(Decimal(1))
    sign = "-" if amount < 0 else ""
    return f"Rp {sign}{abs(int(amount)):,}".replace(",", ".")


def number_text(value: Any) -> str:
    """A target: 1.234,5 style, trailing zeros dropped."""
    amount = Decimal(str(value or 0))
    whole, _, frac = f"{abs(amount):,.2f}".partition(".")
    frac = frac.rstrip("0")
    text = whole.replace(",", ".") + ("," + frac if frac else "")
    return ("-" if amount < 0 else "") + text
