from django.urls import path

from . import case_views, public_views, statistics_views, views

app_name = "protection"

CASE = "perlindungan/<str:code>/kasus/<uuid:uid>/"
COMPLAINT = "perlindungan/<str:code>/pengaduan/<uuid:uid>/"

urlpatterns = [
    # The public channel: no login (public_views marks each view).
    path("lapor/", public_views.report_start, name="report_start"),
    path("lapor/terkirim/", public_views.report_sent, name="report_sent"),
    path("lapor/status/", public_views.report_status, name="report_status"),
    path("lapor/<str:code>/", public_views.report, name="report"),
    # The unit (UPTD PPA).
    path("perlindungan/<str:code>/", views.home, name="home"),
    path("perlindungan/<str:code>/pengaduan/", views.complaints, name="complaints"),
    path(
        "perlindungan/<str:code>/pengaduan/baru/", views.complaint_create, name="complaint_create"
    ),
    path(COMPLAINT, views.complaint, name="complaint"),
    path(COMPLAINT + "triase/", views.complaint_triage, name="complaint_triage"),
    path(COMPLAINT + "ambil/", views.complaint_take, name="complaint_take"),
    path(COMPLAINT + "tutup/", views.complaint_dismiss, name="complaint_dismiss"),
    path(COMPLAINT + "dokumen/<uuid:item>/", views.complaint_document, name="complaint_document"),
    path("perlindungan/<str:code>/kasus/", case_views.cases, name="cases"),
    path("perlindungan/<str:code>/kasus/cari/", case_views.case_search, name="case_search"),
    path(CASE, case_views.case, name="case"),
    path(CASE + "ubah/", case_views.case_edit, name="case_edit"),
    path(CASE + "anak/tambah/", case_views.child_edit, name="child_add"),
    path(CASE + "anak/<uuid:item>/", case_views.child_edit, name="child_edit"),
    path(CASE + "pelaku/tambah/", case_views.perpetrator_add, name="perpetrator_add"),
    path(
        CASE + "pelaku/<uuid:item>/hapus/", case_views.perpetrator_remove, name="perpetrator_remove"
    ),
    path(CASE + "status/", case_views.case_transition, name="case_transition"),
    path(CASE + "penugasan/", case_views.case_assign, name="case_assign"),
    path(CASE + "layanan/tambah/", case_views.service_add, name="service_add"),
    path(CASE + "persetujuan/", case_views.consent_add, name="consent_add"),
    path(CASE + "rujukan/tambah/", case_views.referral_add, name="referral_add"),
    path(CASE + "rujukan/<uuid:item>/", case_views.referral_update, name="referral_update"),
    path(CASE + "darurat/", case_views.break_glass, name="break_glass"),
    path(CASE + "anak/<uuid:child>/nik/", case_views.reveal_nik, name="reveal_nik"),
    path(CASE + "dokumen/<uuid:item>/", case_views.document, name="document"),
    path("perlindungan/<str:code>/ekspor/", views.export_identified, name="export_identified"),
    path(
        "perlindungan/<str:code>/ekspor/<str:token>/",
        views.export_download,
        name="export_download",
    ),
    path("perlindungan/<str:code>/log-akses/", views.access_log, name="access_log"),
    # De-identified statistics: everyone in scope.
    path("perlindungan/<str:code>/statistik/", statistics_views.statistics, name="statistics"),
    path(
        "perlindungan/<str:code>/statistik/kelurahan/",
        statistics_views.statistics_areas,
        name="statistics_areas",
    ),
    path(
        "perlindungan/<str:code>/statistik/unduh/",
        statistics_views.statistics_xlsx,
        name="statistics_xlsx",
    ),
]
