from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("pemda/ganti/", views.switch_local_government, name="switch_lg"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("hari-libur/", views.holidays_page, name="holidays"),
]
