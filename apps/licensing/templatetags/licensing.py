from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """Rp 1.234.567 (whole rupiah, dots between thousands)."""
    if value is None or value == "":
        return "-"
    return "Rp " + f"{int(Decimal(value)):,}".replace(",", ".")
