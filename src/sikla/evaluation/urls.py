from django.urls import path

from . import views, views_monitoring

app_name = "evaluation"
base = "organisasi/<str:code>/periode/<int:year>/evaluasi/"
urlpatterns = [
    path("evaluasi/", views_monitoring.rollup, name="rollup"),
    path("evaluasi/musim/", views_monitoring.season, name="season"),
    path("evaluasi/poin-hilang/", views_monitoring.losses_page, name="losses"),
    path("evaluasi/tren/", views_monitoring.trends, name="trends"),
    path("organisasi/<str:code>/kategori/", views.categories, name="categories"),
    path(base, views.overview, name="overview"),
    path(base + "ajukan/", views.submit, name="submit"),
    path(base + "selesaikan-tahap/", views.complete, name="complete"),
    path(base + "penetapan/", views.determine, name="determine"),
    path(base + "indikator/<int:number>/", views.indicator, name="indicator"),
    path(base + "indikator/<int:number>/verifikasi/", views.review, name="review"),
    path(base + "kesenjangan/", views.gaps, name="gaps"),
    path(base + "simulasi/", views.simulation, name="simulation"),
    path(base + "simulasi/<uuid:uid>/", views.simulation, name="scenario"),
    path(base + "simulasi/<uuid:uid>/hapus/", views.scenario_delete, name="scenario_delete"),
    path(base + "perbaikan/", views.corrections, name="corrections"),
    path(base + "perbaikan/unggah/", views.correction_upload, name="correction_upload"),
    path(base + "laporan.<str:fmt>", views.report, name="report"),
    path(base + "laporan/<uuid:uid>/", views.report_job, name="report_job"),
    path(base + "laporan/<uuid:uid>/unduh/", views.report_job_file, name="report_job_file"),
]
