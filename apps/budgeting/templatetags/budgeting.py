from typing import Any

from django import template

from apps.budgeting.exports import coefficient
from apps.budgeting.formatting import rupiah_sen as rupiah_sen_text
from apps.budgeting.formatting import signed_rupiah

register = template.Library()


@register.filter
def rupiah_sen(value: Any) -> str:
    return rupiah_sen_text(value)


@register.filter
def selisih(value: Any) -> str:
    return signed_rupiah(value)


@register.filter
def koefisien(row: dict[str, Any]) -> str:
    return coefficient(row)
