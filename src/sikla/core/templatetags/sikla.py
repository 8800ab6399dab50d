from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def points(value) -> str:
    """Points in Indonesian format: 50 → "50", 12.5 → "12,5"."""
    if value is None or value == "":
        return "–"
    value = Decimal(str(value))
    if value == value.to_integral():
        return number_format(value.to_integral(), 0, use_l10n=True, force_grouping=True)
    return number_format(value.normalize(), use_l10n=True, force_grouping=True)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()
