from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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
    value = value.to_integral() if value == value.to_integral() else value.normalize()
    if value == 0:
        value = Decimal(0)  # never "-0"
    # Django's number_format with the language's separators (both languages group by three),
    # written by Python's own formatting: a grid of 850 villages shows thousands of them.
    text = f"{value:,f}"
    decimal, thousand = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousand)


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


@register.simple_tag(takes_context=True)
def nav_items(context, *, phone: bool = False) -> str:
    """The menu's items (`core.context_processors.navigation`): built here rather than by a
    template loop, since every page of a logged-in user shows them twice (desktop and phone)."""
    request = context["request"]
    path = request.path

    def link(label, href) -> str:
        current = ' aria-current="page"' if path == href else ""
        return format_html('<li><a href="{}"{}>{}</a></li>', href, mark_safe(current), label)  # noqa: S308

    parts = [link(_("Beranda"), reverse("core:home"))]
    # the groups, built once per person and kept (`navigation`); the page's own link marked here
    groups = context.get("nav_html", ("", ""))[phone]
    here = format_html('<a href="{}">', path)
    parts.append(groups.replace(here, here[:-1] + ' aria-current="page">'))
    unread = context.get("unread_notifications")
    notifications = _("Notifikasi (%(n)s)") % {"n": unread} if unread else _("Notifikasi")
    parts.append(
        format_html(
            '<li><a href="{}" data-testid="nav-notifications">{}</a></li>'
            '<li><a href="{}">{}</a></li>'
            '<li><form method="post" action="{}" class="inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="link-button">{}</button></form></li>',
            reverse("core:notifications"),
            notifications,
            reverse("accounts:me"),
            _("Akun saya"),
            reverse("accounts:logout"),
            context.get("csrf_token", ""),
            _("Keluar"),
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html
