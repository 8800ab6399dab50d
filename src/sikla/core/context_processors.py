from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can, has_role_perm
from sikla.organisations.queries import local_governments_visible_to
from sikla.protection.queries import urgent_waiting

from .tenancy import current_local_government

SWITCHER_LIMIT = 600  # every kab/kota of the country fits


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    lg = current_local_government(request)
    items = [(_("Beranda"), reverse("core:home"), "home")]
    if lg is not None:
        items.append(
            (
                _("Pemerintah daerah"),
                reverse("organisations:detail", args=[lg.code]),
                "organisations",
            )
        )
        items.append(
            (_("Gugus tugas"), reverse("organisations:task_force", args=[lg.code]), "task_force")
        )
        items.append(
            (_("Periode evaluasi"), reverse("collection:periods", args=[lg.code]), "periods")
        )
        items.append(
            (_("Riwayat kategori"), reverse("evaluation:categories", args=[lg.code]), "categories")
        )
        items.append(
            (_("Rapat & tindak lanjut"), reverse("planning:meetings", args=[lg.code]), "meetings")
        )
        items.append((_("RAD KLA"), reverse("planning:plan", args=[lg.code]), "plan"))
        items.append(
            (_("Partisipasi"), reverse("participation:overview", args=[lg.code]), "participation")
        )
        items.append(
            (_("Layak anak (desa/kec.)"), reverse("villages:overview", args=[lg.code]), "villages")
        )
    if lg is not None and can(user, Perm.HANDLE_CASES, lg.code):
        items.append(
            (_("Perlindungan anak"), reverse("protection:home", args=[lg.code]), "protection")
        )
    elif lg is not None and can(user, Perm.VIEW_PROTECTION_STATS, lg.code):
        items.append(
            (
                _("Statistik perlindungan anak"),
                reverse("protection:statistics", args=[lg.code]),
                "protection",
            )
        )
    if len(user.scope) < 5 and has_role_perm(user, Perm.VIEW_EVALUATION):
        items.append((_("Rekap evaluasi"), reverse("evaluation:rollup"), "rollup"))
    if user.role == Role.AGENCY_OPERATOR and user.agency_id:
        items.insert(1, (_("Indikator saya"), reverse("collection:my_indicators"), "mine"))
        items.insert(
            2, (_("Tindak lanjut saya"), reverse("planning:my_follow_ups"), "my_follow_ups")
        )
    items.append((_("Indikator KLA"), reverse("indicators:index"), "indicators"))
    items.append((_("Wilayah"), reverse("regions:browse"), "regions"))
    if has_role_perm(user, Perm.MANAGE_USERS):
        items.append((_("Pengguna"), reverse("accounts:users"), "users"))
    if lg is not None and can(user, Perm.VIEW_AUDIT, lg.code):
        items.append((_("Riwayat"), reverse("organisations:history", args=[lg.code]), "history"))
    unread = user.notifications.filter(read_at__isnull=True).count()
    items.append(
        (
            _("Notifikasi (%(n)s)") % {"n": unread} if unread else _("Notifikasi"),
            reverse("core:notifications"),
            "notifications",
        )
    )
    switchable = local_governments_visible_to(user).order_by("region__name")
    return {
        # Urgent reports nobody has taken stay on top of every screen of the unit's staff.
        "urgent_waiting": list(urgent_waiting(user)[:5]),
        "nav_items": items,
        "current_lg": lg,
        "switchable_lgs": switchable[:SWITCHER_LIMIT] if len(user.scope) < 5 else [],
    }
