from typing import NamedTuple

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sikla.accounts import second_factor
from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can, has_role_perm
from sikla.organisations.queries import local_governments_visible_to
from sikla.protection.queries import sees_urgent_reports, urgent_waiting

from . import notify, public_cache
from .tenancy import current_local_government

SWITCHER_LIMIT = 600  # every kab/kota of the country fits
MENU_TTL = public_cache.TTL  # a safety net: the versions in the key move on with every change


def _groups(user, lg) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The navigation by task: only what this person may open, empty groups left out."""
    from sikla.evaluation.models import Evaluation

    data, evaluation, coordination, protection, participation, settings = [], [], [], [], [], []
    if user.role == Role.AGENCY_OPERATOR and user.agency_id:
        data.append((_("Indikator saya"), reverse("collection:my_indicators"), "mine"))
        coordination.append(
            (_("Tindak lanjut saya"), reverse("planning:my_follow_ups"), "my_follow_ups")
        )
    if lg is not None:
        # A kecamatan/kelurahan officer belongs to the kab/kota but opens only its villages
        # pages: each item is shown where the person may open it (`can`, with the kab/kota code).
        if can(user, Perm.VIEW_COLLECTION, lg.code):
            data.append(
                (_("Periode evaluasi"), reverse("collection:periods", args=[lg.code]), "periods")
            )
        if can(user, Perm.VIEW_EVALUATION, lg.code):
            latest = (
                Evaluation.objects.filter(local_government=lg)
                .order_by("-year")
                .values_list("year", flat=True)
                .first()
            )
            if latest:
                evaluation.append(
                    (
                        _("Evaluasi %(y)s") % {"y": latest},
                        reverse("evaluation:overview", args=[lg.code, latest]),
                        "evaluation",
                    )
                )
            evaluation.append(
                (
                    _("Riwayat kategori"),
                    reverse("evaluation:categories", args=[lg.code]),
                    "categories",
                )
            )
        coordination.append(
            (_("Gugus tugas"), reverse("organisations:task_force", args=[lg.code]), "task_force")
        )
        if can(user, Perm.VIEW_PLANNING, lg.code):
            coordination += [
                (
                    _("Rapat & tindak lanjut"),
                    reverse("planning:meetings", args=[lg.code]),
                    "meetings",
                ),
                (_("RAD KLA"), reverse("planning:plan", args=[lg.code]), "plan"),
            ]
        coordination.append(
            (_("Layak anak (desa/kec.)"), reverse("villages:overview", args=[lg.code]), "villages")
        )
        if can(user, Perm.VIEW_PLANNING, lg.code):
            participation.append(
                (
                    _("Partisipasi"),
                    reverse("participation:overview", args=[lg.code]),
                    "participation",
                )
            )
        if has_role_perm(user, Perm.VIEW_PLANNING):
            participation.append(
                (_("Profil anak"), reverse("dashboards:profile_index", args=[lg.code]), "profile")
            )
        settings.append(
            (_("Pemerintah daerah"), reverse("organisations:detail", args=[lg.code]), "lg")
        )
    if len(user.scope) < 5 and has_role_perm(user, Perm.VIEW_EVALUATION):
        evaluation.append((_("Rekap evaluasi"), reverse("evaluation:rollup"), "rollup"))
        evaluation.append((_("Musim evaluasi"), reverse("evaluation:season"), "season"))
        evaluation.append((_("Di mana poin hilang"), reverse("evaluation:losses"), "losses"))
        evaluation.append((_("Tren kategori"), reverse("evaluation:trends"), "trends"))
    if lg is not None and can(user, Perm.HANDLE_CASES, lg.code):
        protection.append(
            (_("Perlindungan anak"), reverse("protection:home", args=[lg.code]), "protection")
        )
    if lg is not None and can(user, Perm.VIEW_PROTECTION_STATS, lg.code):
        protection.append(
            (
                _("Statistik perlindungan anak"),
                reverse("protection:statistics", args=[lg.code]),
                "statistics",
            )
        )
    data.append((_("Indikator KLA"), reverse("indicators:index"), "indicators"))
    settings.append((_("Wilayah"), reverse("regions:browse"), "regions"))
    if has_role_perm(user, Perm.MANAGE_USERS):
        settings.append((_("Pengguna"), reverse("accounts:users"), "users"))
    if has_role_perm(user, Perm.MANAGE_CALENDAR):
        settings.append((_("Hari libur"), reverse("core:holidays"), "holidays"))
    if lg is not None and can(user, Perm.VIEW_AUDIT, lg.code):
        settings.append(
            (_("Riwayat perubahan"), reverse("organisations:history", args=[lg.code]), "history")
        )
    groups = [
        (_("Data & bukti dukung"), data),
        (_("Evaluasi"), evaluation),
        (_("Koordinasi"), coordination),
        (_("Perlindungan"), protection),
        (_("Partisipasi"), participation),
        (_("Pengaturan"), settings),
    ]
    return [(label, items) for label, items in groups if items]


class Menu(NamedTuple):
    """What the menu shows a person on one local government: the groups of links (labels as
    text in one language), the same as HTML, and the <option>s of the kab/kota switcher ("" when
    there is none)."""

    groups: list[tuple[str, list[tuple[str, str, str]]]]
    html: tuple[str, str]  # the groups as the desktop menu's items and the phone menu's
    lg_options: str


def _groups_html(groups, *, phone: bool) -> str:
    """The menu's groups as <li> items: dropdowns on a desktop, headed lists on a phone."""
    shape = (
        '<li class="nav-group"><strong>{}</strong><ul>{}</ul></li>'
        if phone
        else '<li><details class="dropdown nav-group"><summary>{}</summary><ul>{}</ul></details></li>'
    )
    return "".join(
        format_html(
            shape,
            label,
            format_html_join("", '<li><a href="{}">{}</a></li>', ((h, t) for t, h, _ in items)),
        )
        for label, items in groups
    )


def _menu(user, lg) -> Menu:
    """The person's menu, kept in the cache until something it shows may have changed.

    It changes with the person's role, scope and agency (in the key), with their local
    government's evaluations (its version moves with every change there, `public_cache`) and,
    for a national or provincial person, with the list of local governments (the version of
    every change). Built, it is five queries and a hundred URL lookups on every page."""
    wide = len(user.scope) < 5
    scopes = [lg.code, public_cache.GLOBAL] if lg else [public_cache.GLOBAL]
    if wide:
        scopes.append(public_cache.EVERYTHING)
    key = "menu:" + ":".join(
        map(
            str,
            (
                user.pk,
                user.role,
                user.scope,
                user.agency_id,
                lg.code if lg else "-",
                get_language(),
                *public_cache.versions(*scopes),
            ),
        )
    )
    menu = cache.get(key)
    if menu is None:
        groups = [
            (str(label), [(str(text), href, name) for text, href, name in items])
            for label, items in _groups(user, lg)
        ]
        options = ""
        if wide:
            switchable = list(
                local_governments_visible_to(user)
                .order_by("region__name")
                .values_list("region_id", "region__name")[:SWITCHER_LIMIT]
            )
            if len(switchable) > 1:
                options = format_html_join("", '<option value="{}">{}</option>', switchable)
        html = (_groups_html(groups, phone=False), _groups_html(groups, phone=True))
        menu = Menu(groups, html, str(options))
        cache.set(key, menu, MENU_TTL)
    return menu


URGENT_BANNER = ("local_government_id", "uid", "tracking_code", "urgency", "received_at")


def _urgent_banner(user) -> list:
    """Urgent reports nobody has taken, on top of every screen of the unit's staff: the columns
    the banner shows (no reporter's or child's identity read, nor decrypted), kept by the process
    until anything of the kab/kota changes (a report made, triaged, taken or closed moves its
    version on: `public_cache`); for anyone else nothing, without a query."""
    if not sees_urgent_reports(user):
        return []
    return public_cache.kept_in_process(
        f"urgent-banner:{user.scope}",
        user.scope,
        lambda: list(urgent_waiting(user).only(*URGENT_BANNER)[:5]),
    )


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if second_factor.pending(request):  # the password alone shows no menu and no case
        return {"second_factor_pending": True}
    lg = current_local_government(request)
    menu = _menu(user, lg)
    options = menu.lg_options
    if options and lg is not None:
        chosen = f'<option value="{lg.code}">'
        options = options.replace(chosen, chosen[:-1] + " selected>", 1)
    return {
        "urgent_waiting": _urgent_banner(user),
        "nav_groups": menu.groups,
        "nav_html": menu.html,
        "unread_notifications": notify.unread_count(user),
        "current_lg": lg,
        "lg_options": mark_safe(options),  # noqa: S308 - built by format_html_join in _menu
    }
