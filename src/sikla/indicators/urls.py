from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("klaster/<int:number>/", views.cluster, name="cluster"),
    path("<int:number>/", views.indicator, name="indicator"),
]
