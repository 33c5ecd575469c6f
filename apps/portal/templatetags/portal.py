"""Portal template filters (apps.portal.formatting)."""

from typing import Any

from django import template

from apps.portal import formatting

register = template.Library()


@register.filter
def rp(value: Any) -> str:
    return formatting.rp(value)


@register.filter
def cell(value: Any, kind: str) -> str:
    return formatting.cell_text(value, kind)


@register.filter
def get(row: Any, key: str) -> Any:
    return row.get(key) if hasattr(row, "get") else None
