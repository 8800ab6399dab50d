"""Which local government a page is about, for users whose scope holds several."""

from sikla.organisations import access
from sikla.organisations.queries import local_governments_visible_to

SESSION_KEY = "current_local_government"


def current_local_government(request):
    if not request.user.is_authenticated:
        return None
    if hasattr(request, "_current_lg"):
        return request._current_lg
    chosen = request.session.get(SESSION_KEY)
    scope = request.user.scope
    # the page's own local government, when the view has loaded it already (no second query)
    lg = access.loaded(chosen or (scope[:5] if len(scope) >= 5 else ""))
    if lg is None:
        visible = local_governments_visible_to(request.user)
        lg = (visible.filter(region_id=chosen).first() if chosen else None) or visible.first()
    request._current_lg = lg
    return lg
