"""Routes of the action plan (RAD KLA), in the "planning" namespace."""

from django.urls import path

from .views import plan as views

base = "organisasi/<str:code>/rad/"
plan_base = base + "rencana/<uuid:uid>/"
programme_base = base + "<uuid:uid>/"

urlpatterns: list = [
    path(base, views.plan, name="plan"),
    path(base + "baru/", views.plan_create, name="plan_create"),
    path(plan_base + "ubah/", views.plan_edit, name="plan_edit"),
    path(plan_base + "tetapkan/", views.plan_adopt, name="plan_adopt"),
    path(plan_base + "apbd/", views.plan_apbd, name="plan_apbd"),
    path(plan_base + "rad.xlsx", views.plan_export, name="plan_export"),
    path(plan_base + "program/baru/", views.programme_create, name="programme_create"),
    path(programme_base, views.programme, name="programme"),
    path(programme_base + "ubah/", views.programme_edit, name="programme_edit"),
    path(programme_base + "target/", views.programme_target, name="programme_target"),
    path(programme_base + "anggaran/", views.programme_budget, name="programme_budget"),
    path(programme_base + "progres/", views.programme_progress, name="programme_progress"),
    path(
        programme_base + "progres/<uuid:report>/terima/",
        views.progress_accept,
        name="progress_accept",
    ),
    path(
        programme_base + "progres/<uuid:report>/berkas/",
        views.progress_file,
        name="progress_file",
    ),
]
