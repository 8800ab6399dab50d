from .urls_portal import urlpatterns as portal
from .urls_profile import urlpatterns as profile

app_name = "dashboards"

urlpatterns = [*profile, *portal]
