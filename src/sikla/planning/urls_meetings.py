from django.urls import path

from .views import meetings as views

LG = "organisasi/<str:code>/"
MEETING = LG + "rapat/<uuid:uid>/"
FOLLOW_UP = LG + "tindak-lanjut/<uuid:uid>/"

urlpatterns = [
    path(LG + "rapat/", views.meeting_list, name="meetings"),
    path(LG + "rapat/baru/", views.meeting_create, name="meeting_create"),
    path(MEETING, views.meeting, name="meeting"),
    path(MEETING + "ubah/", views.meeting_edit, name="meeting_edit"),
    path(MEETING + "catat/", views.meeting_record, name="meeting_record"),
    path(MEETING + "keputusan/", views.meeting_decision, name="meeting_decision"),
    path(MEETING + "dokumen/", views.meeting_document_upload, name="meeting_document_upload"),
    path(MEETING + "dokumen/<uuid:item>/", views.meeting_document, name="meeting_document"),
    path(MEETING + "batal/", views.meeting_cancel, name="meeting_cancel"),
    path(MEETING + "undangan.ics", views.meeting_ics, name="meeting_ics"),
    path(LG + "tindak-lanjut/", views.follow_up_list, name="follow_ups"),
    path(LG + "tindak-lanjut/baru/", views.follow_up_create, name="follow_up_create"),
    path(FOLLOW_UP, views.follow_up, name="follow_up"),
    path(FOLLOW_UP + "bukti/<uuid:item>/", views.follow_up_evidence, name="follow_up_evidence"),
    path("tindak-lanjut-saya/", views.my_follow_ups, name="my_follow_ups"),
    path(LG + "koordinasi/", views.coordination, name="coordination"),
]
