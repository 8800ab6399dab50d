from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.lg_list, name="list"),
    path("daftarkan/", views.lg_register, name="register"),
    path("<str:code>/", views.lg_detail, name="detail"),
    path("<str:code>/ubah/", views.lg_edit, name="edit"),
    path("<str:code>/logo/", views.lg_logo, name="logo"),
    path("<str:code>/perangkat-daerah/", views.agencies, name="agencies"),
    path("<str:code>/perangkat-daerah/tambah/", views.agency_create, name="agency_create"),
    path("<str:code>/perangkat-daerah/<uuid:uid>/ubah/", views.agency_edit, name="agency_edit"),
    path(
        "<str:code>/perangkat-daerah/<uuid:uid>/status/", views.agency_toggle, name="agency_toggle"
    ),
    path("<str:code>/gugus-tugas/", views.task_force, name="task_force"),
    path("<str:code>/gugus-tugas/ubah/", views.task_force_edit, name="task_force_edit"),
    path("<str:code>/gugus-tugas/anggota/", views.member_add, name="member_add"),
    path(
        "<str:code>/gugus-tugas/anggota/<uuid:uid>/hapus/",
        views.member_remove,
        name="member_remove",
    ),
    path("<str:code>/riwayat/", views.history, name="history"),
]
