from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """£1,234.56, or a dash for no amount. A filter rather than an included template: tables of
    bids call it hundreds of times a page."""
    if value is None or value == "":
        return "—"
    return f"£{Decimal(value):,.2f}"
