"""The public portal (no login): `/kla/` and `/kla/<code>/`."""

from django.urls import path

from . import views_portal

urlpatterns = [
    path("kla/", views_portal.portal_list, name="portal_list"),
    path("kla/<str:code>/", views_portal.portal_page, name="portal"),
]
