from django.urls import path

from . import views

app_name = "villages"

BASE = "organisasi/<str:code>/layak-anak/"
AREA = BASE + "<str:region_code>/"

urlpatterns = [
    path(BASE, views.overview, name="overview"),
    path(BASE + "unduh/", views.export, name="export"),
    path(AREA, views.area, name="area"),
    path(AREA + "status/", views.status_edit, name="status_edit"),
    path(AREA + "daftar-periksa/<int:year>/", views.checklist_edit, name="checklist_edit"),
    path(AREA + "bukti/<uuid:uid>/", views.evidence, name="evidence"),
]
