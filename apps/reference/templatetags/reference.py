from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """Rp 1.234.567 (whole rupiah, dots between thousands)."""
    if value is None or value == "":
        return "-"
    return "Rp " + f"{int(Decimal(value)):,}".replace(",", ".")


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current query string with another `halaman`."""
    query = context["request"].GET.copy()
    query["halaman"] = str(number)
    return "?" + str(query.urlencode())


@register.filter
def rupiah_sen(value: Decimal | int | None) -> str:
    """Rp 1.234.567,50 (standard prices carry sen)."""
    if value is None or value == "":
        return "-"
    amount = Decimal(value).quantize(Decimal("0.01"))
    whole, _, sen = f"{abs(amount):,.2f}".partition(".")
    return ("Rp -" if amount < 0 else "Rp ") + whole.replace(",", ".") + "," + sen
