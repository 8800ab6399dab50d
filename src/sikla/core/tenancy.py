"""Which local government a page is about, for users whose scope holds several."""

from sikla.organisations.queries import local_governments_visible_to

SESSION_KEY = "current_local_government"


def current_local_government(request):
    if not request.user.is_authenticated:
        return None
    if hasattr(request, "_current_lg"):
        return request._current_lg
    visible = local_governments_visible_to(request.user)
    chosen = request.session.get(SESSION_KEY)
    lg = (visible.filter(region_id=chosen).first() if chosen else None) or visible.first()
    request._current_lg = lg
    return lg
