from django.urls import path

from . import public_views, views

app_name = "participation"

LG = "organisasi/<str:code>/"
FORUM = LG + "forum-anak/<uuid:uid>/"
RECORD = LG + "konsultasi/<uuid:uid>/"
CONSULTATION = LG + "konsultasi-publik/<uuid:uid>/"
PARTNER = LG + "mitra/<uuid:uid>/"

urlpatterns = [
    # Public consultation: no login (public_views marks each view).
    path("konsultasi-publik/", public_views.public_list, name="public_list"),
    path("konsultasi-publik/<uuid:uid>/", public_views.public_detail, name="public_detail"),
    path(
        "konsultasi-publik/<uuid:uid>/dokumen/",
        public_views.public_document,
        name="public_document",
    ),
    # Staff pages of one local government.
    path(LG + "partisipasi/", views.overview, name="overview"),
    path(LG + "forum-anak/", views.forums, name="forums"),
    path(LG + "forum-anak/baru/", views.forum_create, name="forum_create"),
    path(FORUM, views.forum, name="forum"),
    path(FORUM + "ubah/", views.forum_edit, name="forum_edit"),
    path(FORUM + "kegiatan/baru/", views.activity_edit, name="activity_create"),
    path(FORUM + "kegiatan/<uuid:item>/ubah/", views.activity_edit, name="activity_edit"),
    path(FORUM + "kegiatan/<uuid:item>/hapus/", views.activity_delete, name="activity_delete"),
    path(LG + "konsultasi/", views.records, name="records"),
    path(LG + "konsultasi/baru/", views.record_edit, name="record_create"),
    path(RECORD, views.record, name="record"),
    path(RECORD + "ubah/", views.record_edit, name="record_edit"),
    path(RECORD + "masukan/baru/", views.input_edit, name="input_create"),
    path(RECORD + "masukan/<uuid:item>/ubah/", views.input_edit, name="input_edit"),
    path(RECORD + "masukan/<uuid:item>/hapus/", views.input_delete, name="input_delete"),
    path(LG + "konsultasi-publik/", views.consultations, name="consultations"),
    path(LG + "konsultasi-publik/baru/", views.consultation_edit, name="consultation_create"),
    path(CONSULTATION + "ubah/", views.consultation_edit, name="consultation_edit"),
    path(CONSULTATION + "moderasi/", views.moderation, name="moderation"),
    path(CONSULTATION + "moderasi/<uuid:item>/", views.moderate, name="moderate"),
    path(CONSULTATION + "moderasi/<uuid:item>/tanggapan/", views.respond, name="respond"),
    path(
        CONSULTATION + "jadikan-catatan/",
        views.consultation_convert,
        name="consultation_convert",
    ),
    path(LG + "mitra/", views.partners, name="partners"),
    path(LG + "mitra/baru/", views.partner_edit, name="partner_create"),
    path(PARTNER, views.partner, name="partner"),
    path(PARTNER + "ubah/", views.partner_edit, name="partner_edit"),
    path(PARTNER + "status/", views.partner_toggle, name="partner_toggle"),
    path(PARTNER + "kontribusi/baru/", views.contribution_edit, name="contribution_create"),
    path(
        PARTNER + "kontribusi/<uuid:item>/ubah/",
        views.contribution_edit,
        name="contribution_edit",
    ),
    path(
        PARTNER + "kontribusi/<uuid:item>/hapus/",
        views.contribution_delete,
        name="contribution_delete",
    ),
]
