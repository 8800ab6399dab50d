from decimal import Decimal

from django import template
from django.utils.formats import number_format

from sikla.core import history, numbers

register = template.Library()


@register.filter
def points(value) -> str:
    """Points in Indonesian format: 50 → "50", 12.5 → "12,5"; a hidden count ("x") as it is."""
    if value is None or value == "":
        return "–"
    if value == "x":
        return value
    value = Decimal(str(value))
    if value == value.to_integral():
        return number_format(value.to_integral(), 0, use_l10n=True, force_grouping=True)
    return number_format(value.normalize(), use_l10n=True, force_grouping=True)


# One rule per kind of number (`core.numbers`): {{ n|count }}, {{ s|score }}, {{ p|percent }},
# {{ fraction|share }}, {{ rupiah|money }}, {{ target|quantity }}.
register.filter("count", numbers.count)
register.filter("score", numbers.score)
register.filter("percent", numbers.percent)
register.filter("share", numbers.share)
register.filter("money", numbers.money)
register.filter("quantity", numbers.quantity)


@register.filter
def get_item(mapping, key):
    """`{{ totals|get_item:code }}`: a dict entry by a variable key (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links); a
    parameter given as None is left out (`page=None`: back to the first page)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


# The change history as people read it (`core.history`).
register.filter("action_label", history.action_label)


@register.filter
def change_lines(event) -> list[str]:
    """{% for line in event|change_lines %}: "Status: belum mulai → dicanangkan"."""
    return history.change_lines(event.target_type, event.changes)


@register.filter
def shown_value(field) -> str:
    """A read-only cell as a person reads it: a choice's label, a number as typed, or a dash."""
    value = field.value()
    if value in (None, ""):
        return "–"
    choices = getattr(field.field, "choices", None)
    if choices:
        return str(dict((str(k), v) for k, v in choices).get(str(value), value))
    return str(value)


@register.inclusion_tag("includes/hotlines.html")
def hotlines(*, child: bool = False, now: bool = False):
    """The emergency numbers as tap-to-call links; `now` for a report of danger right now."""
    from sikla.core.hotlines import LINKS

    return {"links": LINKS, "child": child, "now": now}
