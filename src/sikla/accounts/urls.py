from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.me, name="me"),
    path("akun/kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("akun/dua-langkah/", views.second_factor_verify, name="second_factor_verify"),
    path("akun/dua-langkah/aktifkan/", views.second_factor_enrol, name="second_factor_enrol"),
    path("akun/token/<int:pk>/cabut/", views.revoke_own_token, name="revoke_own_token"),
    path("pengguna/", views.users, name="users"),
    path("pengguna/tambah/", views.user_create, name="user_create"),
    path("pengguna/<uuid:uid>/", views.user_detail, name="user_detail"),
    path("pengguna/<uuid:uid>/status/", views.user_toggle, name="user_toggle"),
    path("pengguna/<uuid:uid>/token/cabut/", views.user_revoke_tokens, name="user_revoke_tokens"),
    path("pengguna/<uuid:uid>/kata-sandi/", views.user_set_password, name="user_set_password"),
    path(
        "pengguna/<uuid:uid>/dua-langkah/atur-ulang/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
]
