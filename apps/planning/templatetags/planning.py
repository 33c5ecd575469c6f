from typing import Any

from django import template

from apps.planning.formatting import number_text, rupiah_text

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    return rupiah_text(value)


@register.filter
def angka(value: Any) -> str:
    return number_text(value)


@register.filter
def persen(value: Any, total: Any) -> int:
    """A bar's width in percent of `total` (0 to 100)."""
    try:
        return max(0, min(100, round(float(value) * 100 / float(total)))) if total else 0
    except (TypeError, ValueError):
        return 0
