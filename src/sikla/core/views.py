from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.indicators.queries import active_catalog
from sikla.organisations.access import get_local_government_for_user
from sikla.organisations.queries import active_task_force, participating_names

from . import notify, public_cache
from .tenancy import SESSION_KEY, current_local_government
from .views_util import paginate


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return front_door(request)
    from sikla.dashboards.due import due_for  # the apps' lists, read above core

    lg = current_local_government(request)
    context = {"lg": lg, "catalog": active_catalog(), "due": due_for(request.user, lg)}
    if lg is not None:
        context |= {
            "agency_count": lg.agencies.filter(is_active=True).count(),
            "task_force": active_task_force(lg),
            "can_manage": can(request.user, Perm.MANAGE_ORGANISATIONS, lg.code),
        }
    return render(request, "core/home.html", context)


def front_door(request: HttpRequest) -> HttpResponse:
    """`/` for a visitor: where to report violence against a child (first, large, with numbers to
    call now), the KLA portal, public consultations, and the staff login last."""
    return render(
        request,
        "core/front_door.html",
        {"local_governments": public_cache.get_or_build("front-door", "", participating_names)},
    )


@require_POST
def switch_local_government(request: HttpRequest) -> HttpResponse:
    lg = get_local_government_for_user(request.user, request.POST.get("code", ""))
    request.session[SESSION_KEY] = lg.code
    return redirect("core:home")


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    mine = request.user.notifications.all()
    if request.method == "POST":
        # The ticked ones ("Tandai yang dipilih"), or every unread one ("Tandai semua").
        chosen = [n for n in request.POST.getlist("n") if n.isdigit()]
        notify.mark_read(request.user, chosen=chosen, everything=request.POST.get("scope") == "all")
        return redirect("core:notifications")
    return render(request, "core/notifications.html", {"page": paginate(request, mine)})


@require_http_methods(["GET", "POST"])
def holidays_page(request: HttpRequest) -> HttpResponse:
    """The days off SIKLA's working days skip: the national calendar of the year (public holidays
    and joint leave) and the days a national admin added; only the national admin changes them."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import get_object_or_404
    from django.utils.translation import gettext as _

    from sikla.accounts.rules import has_role_perm

    from . import actions, workdays
    from .forms import HolidayForm
    from .models import Holiday

    if not has_role_perm(request.user, Perm.MANAGE_CALENDAR):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    form = HolidayForm()
    if request.method == "POST":
        if "remove" in request.POST:
            holiday = get_object_or_404(Holiday, pk=request.POST.get("remove", "").strip() or 0)
            actions.remove_holiday(holiday, actor=request.user)
            messages.success(request, _("Hari libur dihapus."))
            return redirect(f"{request.path}?tahun={holiday.date.year}")
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                holiday = actions.add_holiday(
                    actor=request.user,
                    day=form.cleaned_data["date"],
                    name=form.cleaned_data["name"],
                    region_code=form.cleaned_data["region_code"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Hari libur ditambahkan."))
                return redirect(f"{request.path}?tahun={holiday.date.year}")
    added = list(Holiday.objects.filter(date__year=year))
    return render(
        request,
        "core/holidays.html",
        {
            "year": year,
            "national": sorted(workdays.national(year).items()),
            "added": added,
            "form": form,
        },
    )
