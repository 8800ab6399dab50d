from django.urls import path

from . import views_profile as views

BASE = "organisasi/<str:code>/profil-anak/"
YEAR = BASE + "<int:year>/"

urlpatterns = [
    path(BASE, views.profile_index, name="profile_index"),
    path(YEAR, views.profile, name="profile"),
    path(YEAR + "penduduk/", views.population_edit, name="profile_population"),
    path(YEAR + "profil.pdf", views.profile_pdf, name="profile_pdf"),
]
