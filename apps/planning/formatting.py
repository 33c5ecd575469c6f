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


RUPIAH_FIELDS = frozenset({"pagu", "pagu_berikut", "biaya"})
NUMBER_FIELDS = frozenset({"target", "target_berikut", "volume"})


def indicators_text(items: Any) -> str:
    """Further output indicators, one per item: "uraian: 1.234,5 satuan"."""
    return "; ".join(
        f"{item.get('uraian', '')}: {number_text(item.get('target'))} {item.get('satuan', '')}"
        for item in items or []
        if isinstance(item, dict)
    )


def change_text(name: str, value: Any) -> str:
    """One side of a change (diff of plan versions, a forum's change to a proposal), readable:
    amounts in rupiah, targets and volumes as numbers, indicators listed, nothing as "—"."""
    if value is None or value == "" or value == []:
        return "—"
    if name in RUPIAH_FIELDS:
        return rupiah_text(value)
    if name in NUMBER_FIELDS:
        return number_text(value)
    if name == "indikator_lain":
        return indicators_text(value)
    return str(value)
