from django.urls import path

from . import views

app_name = "collection"
urlpatterns = [
    path("indikator-saya/", views.my_indicators, name="my_indicators"),
    path("organisasi/<str:code>/periode/", views.periods, name="periods"),
    path("organisasi/<str:code>/periode/<int:year>/", views.period, name="period"),
    path("organisasi/<str:code>/periode/<int:year>/kemajuan/", views.progress, name="progress"),
    path(
        "organisasi/<str:code>/periode/<int:year>/batas-waktu/",
        views.period_deadlines,
        name="period_deadlines",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/status/",
        views.period_status,
        name="period_status",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/konfirmasi/",
        views.confirm_assignments,
        name="confirm_assignments",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/",
        views.submission,
        name="submission",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/total/",
        views.submission_totals,
        name="submission_totals",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/penugasan/",
        views.assignment,
        name="assignment",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/bukti/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/bukti/<uuid:uid>/",
        views.evidence_file,
        name="evidence_file",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/bukti/<uuid:uid>/hapus/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/templat.xlsx",
        views.spreadsheet_template,
        name="spreadsheet_template",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/impor/",
        views.spreadsheet_import,
        name="spreadsheet_import",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/impor/simpan/",
        views.spreadsheet_import_confirm,
        name="spreadsheet_import_confirm",
    ),
    path(
        "organisasi/<str:code>/periode/<int:year>/ekspor.<str:fmt>",
        views.period_export,
        name="period_export",
    ),
    # Last: its <slug:step> would otherwise shadow the fixed words above.
    path(
        "organisasi/<str:code>/periode/<int:year>/indikator/<int:number>/<slug:step>/",
        views.transition,
        name="transition",
    ),
]
