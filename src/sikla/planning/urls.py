from .urls_meetings import urlpatterns as meetings
from .urls_plan import urlpatterns as plan

app_name = "planning"

urlpatterns = [*meetings, *plan]
