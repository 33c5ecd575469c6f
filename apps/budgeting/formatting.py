"""Amounts of a budget the Indonesian way, with sen: Rp 1.234.567,00."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

SEN = Decimal("0.01")


def rupiah_sen(value: Any) -> str:
    amount = Decimal(str(value or 0)).quantize(SEN, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{abs(amount):,.2f}".partition(".")
    sign = "-" if amount < 0 else ""
    return f"Rp {sign}{whole.replace(',', '.')},{frac}"


def signed_rupiah(value: Any) -> str:
    """bertambah/(berkurang): a decrease in brackets, as revision documents print it."""
    amount = Decimal(str(value or 0))
    text = rupiah_sen(abs(amount))
    return f"({text})" if amount < 0 else text
