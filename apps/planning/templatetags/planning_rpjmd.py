from typing import Any

from django import template

register = template.Library()


@register.filter
def per_tahun(values: Any, years: list[int]) -> list[str]:
    """A {"2026": "12.5"} object as a list aligned with `years` ("" where a year has none)."""
    values = values if isinstance(values, dict) else {}
    return [str(values.get(str(y), "")) for y in years]


@register.filter
def ambil(values: Any, key: Any) -> Any:
    """values[key] for a dict in a template ("" when absent)."""
    return values.get(str(key), "") if isinstance(values, dict) else ""
