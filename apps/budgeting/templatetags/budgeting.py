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


@register.simple_tag
def anggaran_usulan(nomor: str) -> list[dict[str, Any]]:
    """The enacted budget lines a proposal became (for planning's public tracking page)."""
    from apps.budgeting.selectors.trace import enacted_lines_of_proposal
    from apps.planning.models import Proposal

    proposal = Proposal.objects.filter(nomor=nomor).select_related("plan_entry").first()
    return enacted_lines_of_proposal(proposal) if proposal else []
