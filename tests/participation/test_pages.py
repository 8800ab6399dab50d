"""The staff pages through the test client: forms that say what is wrong and keep what was typed,
the actions they call, turning a closed consultation into a record, and query counts that stay
flat as rows grow."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sikla.core.models import AuditEvent
from sikla.participation import actions
from sikla.participation.models import (
    ChildForum,
    ConsultationRecord,
    Contribution,
    ModerationStatus,
    Partner,
    PublicConsultation,
    ResponseStatus,
    SourceKind,
)
from tests.personas import KUPANG

from .conftest import add_activity, make_consultation, make_forum, make_partner, make_record


@pytest.fixture
def staff(client, world):
    client.force_login(world.secretariat)
    return client


def url(name, *args):
    return reverse(f"participation:{name}", args=[KUPANG, *args])


def test_it_records_a_forum_through_the_form(staff, world):
    response = staff.post(
        url("forum_create"),
        {
            "region": "53.71.04",
            "decree_number": "045/KEC/2025",
            "decree_date": "2025-07-23",
            "status": "active",
            "male_10_13": "4",
            "female_10_13": "5",
            "male_14_17": "6",
            "female_14_17": "7",
            "facilitators": "Ibu Selfina",
        },
    )
    forum = ChildForum.objects.get()
    assert response.status_code == 302
    assert response.url == url("forum", forum.uid)
    assert forum.name == "Forum Anak Oebobo" and forum.level == "district"
    assert forum.members_total == 22
    assert AuditEvent.objects.filter(action="child_forum.create", region_code=KUPANG).exists()
    page = staff.get(url("forum", forum.uid)).content.decode()
    assert "Ibu Selfina" in page and ">22<" in page


def test_the_forum_form_says_what_is_wrong_and_keeps_what_was_typed(staff, world):
    make_forum(world, "53.71.04")
    response = staff.post(
        url("forum_create"),
        {
            "region": "53.71.04",
            "name": "<b>Forum</b>",
            "male_10_13": "-1",
            "status": "active",
            "female_10_13": "0",
            "male_14_17": "0",
            "female_14_17": "0",
            "decree_date": "2025-01-01",
        },
    )
    page = response.content.decode()
    assert "Teks tidak boleh berisi tag HTML atau skrip." in page
    assert "Jumlah tidak boleh negatif." in page
    assert "Isi nomor SK bila tanggalnya diisi." in page
    ok_markup = staff.post(
        url("forum_create"),
        {
            "region": "53.71.04",
            "status": "active",
            "male_10_13": "1",
            "female_10_13": "0",
            "male_14_17": "0",
            "female_14_17": "0",
        },
    )
    assert "Wilayah ini sudah memiliki Forum Anak" in ok_markup.content.decode()
    jambi_region = staff.post(url("forum_create"), {"region": "15.71.01", "status": "active"})
    assert "Pilih wilayah dari daftar." in jambi_region.content.decode()
    assert ChildForum.objects.count() == 1


def test_an_edit_saves_only_what_changed_and_audits_it(staff, world, forum):
    data = {
        "name": forum.name,
        "decree_number": forum.decree_number,
        "decree_date": "2025-07-23",
        "status": "inactive",
        "male_10_13": "3",
        "female_10_13": "4",
        "male_14_17": "5",
        "female_14_17": "9",
        "facilitators": "",
    }
    assert staff.post(url("forum_edit", forum.uid), data).status_code == 302
    forum.refresh_from_db()
    assert forum.status == "inactive" and forum.female_14_17 == 9
    event = AuditEvent.objects.get(action="child_forum.update")
    assert event.changes == {"status": ["active", "inactive"], "female_14_17": [6, 9]}


def test_activities_are_added_edited_and_deleted(staff, world, forum):
    response = staff.post(
        url("activity_create", forum.uid),
        {"date": "2026-04-02", "title": "Anak pelapor", "kind": "reporter", "participants": "12"},
    )
    assert response.status_code == 302
    activity = forum.activities.get()
    assert activity.get_kind_display() == "Anak sebagai pelapor"
    staff.post(
        url("activity_edit", forum.uid, activity.uid),
        {"date": "2026-04-02", "title": "Anak pelapor (revisi)", "kind": "reporter"},
    )
    activity.refresh_from_db()
    assert activity.title == "Anak pelapor (revisi)"
    assert staff.post(url("activity_delete", forum.uid, activity.uid)).status_code == 302
    assert not forum.activities.exists()


def test_a_record_with_inputs_from_the_forum(staff, world, forum):
    response = staff.post(
        url("record_create"),
        {"title": "Perda KLA", "kind": "regulation", "date": "2026-05-01", "indicator": ""},
    )
    entry = ConsultationRecord.objects.get()
    assert response.url == url("record", entry.uid)
    bad = staff.post(
        url("input_create", entry.uid),
        {
            "source_kind": "media",
            "child_forum": forum.pk,
            "date": "2026-05-02",
            "text": "Masukan",
            "response_text": "Oke",
            "response_status": "pending",
        },
    )
    assert "Forum Anak hanya diisi bila sumbernya Forum Anak." in bad.content.decode()
    good = staff.post(
        url("input_create", entry.uid),
        {
            "source_kind": "child_forum",
            "child_forum": forum.pk,
            "date": "2026-05-02",
            "text": "Tambahkan ruang bermain.",
            "response_text": "Diterima.",
            "response_status": "accepted",
        },
    )
    assert good.status_code == 302
    item = entry.inputs.get()
    assert item.source_name == forum.name
    page = staff.get(url("record", entry.uid)).content.decode()
    assert "Tambahkan ruang bermain." in page and "Diterima" in page
    forum_page = staff.get(url("forum", forum.uid)).content.decode()
    assert "Perda KLA" in forum_page


def test_a_public_consultation_is_posted_with_a_pdf_only(staff, world):
    today = timezone.localdate()
    data = {
        "title": "Rancangan RAD KLA",
        "kind": "plan",
        "summary": "Ringkasan",
        "body": "Isi",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=14)).isoformat(),
    }
    png = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    refused = staff.post(url("consultation_create"), {**data, "upload": png})
    assert "Dokumen rancangan harus berupa PDF." in refused.content.decode()
    backwards = staff.post(
        url("consultation_create"), {**data, "closes_on": (today - timedelta(days=1)).isoformat()}
    )
    assert "Tanggal tutup tidak boleh sebelum tanggal dibuka." in backwards.content.decode()
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n% uji\n")
    assert staff.post(url("consultation_create"), {**data, "upload": pdf}).status_code == 302
    consultation = PublicConsultation.objects.get()
    assert consultation.document.name.endswith(f"{consultation.uid}.pdf")
    assert consultation.document_size == len(b"%PDF-1.4\n% uji\n")
    edit = staff.post(
        url("consultation_edit", consultation.uid),
        {**data, "title": "RAD KLA 2027–2031", "remove_document": "on"},
    )
    assert edit.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "RAD KLA 2027–2031" and not consultation.document


def test_a_closed_consultation_becomes_a_record_with_its_approved_comments(staff, world):
    consultation = make_consultation(world, opens=-20, closes=5)
    child = actions.submit_public_comment(consultation, text="Pojok baca.", is_child=True)
    adult = actions.submit_public_comment(consultation, text="Kelas ayah.", name="Yosef")
    spam_ = actions.submit_public_comment(consultation, text="Iklan.")
    actions.moderate_comment(child, actor=world.secretariat, decision="approve")
    actions.respond_to_comment(
        child, actor=world.secretariat, response_text="Masuk.", response_status="accepted"
    )
    actions.moderate_comment(adult, actor=world.secretariat, decision="approve")
    convert = url("consultation_convert", consultation.uid)
    early = staff.post(convert, follow=True)
    assert "Tunggu sampai konsultasi ditutup" in early.content.decode()
    PublicConsultation.objects.filter(pk=consultation.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    pending = staff.post(convert, follow=True)
    assert "Masih ada 1 komentar menunggu moderasi" in pending.content.decode()
    actions.moderate_comment(spam_, actor=world.secretariat, decision="reject")
    response = staff.post(convert)
    entry = ConsultationRecord.objects.get()
    assert response.url == url("record", entry.uid)
    inputs = {i.text: i for i in entry.inputs.all()}
    assert set(inputs) == {"Pojok baca.", "Kelas ayah."}
    assert inputs["Pojok baca."].source_kind == SourceKind.CHILD
    assert inputs["Pojok baca."].response_status == ResponseStatus.ACCEPTED
    assert inputs["Kelas ayah."].source_kind == SourceKind.COMMUNITY
    assert inputs["Kelas ayah."].source_name == "Yosef"
    consultation.refresh_from_db()
    assert consultation.record == entry
    again = staff.post(convert, follow=True)
    assert "sudah dijadikan catatan konsultasi" in again.content.decode()
    assert ConsultationRecord.objects.count() == 1


def test_the_moderation_page_lists_by_status(staff, world, consultation):
    for n in range(3):
        actions.submit_public_comment(consultation, text=f"Komentar {n}")
    first = consultation.comments.first()
    actions.moderate_comment(first, actor=world.secretariat, decision="approve")
    page = staff.get(url("moderation", consultation.uid)).content.decode()
    assert page.count('data-testid="comment"') == 2
    assert 'data-testid="status-pending">Menunggu moderasi (2)<' in page
    approved = staff.get(url("moderation", consultation.uid), {"status": "approved"})
    assert approved.content.decode().count('data-testid="comment"') == 1
    bad = staff.post(
        url("respond", consultation.uid, first.uid),
        {"response_text": "Ya", "response_status": "pending"},
        follow=True,
    )
    assert "Pilih apakah masukan diterima" in bad.content.decode()
    pending_one = consultation.comments.filter(status=ModerationStatus.PENDING).first()
    refused = staff.post(
        url("respond", consultation.uid, pending_one.uid),
        {"response_text": "Ya", "response_status": "accepted"},
        follow=True,
    )
    assert "Hanya komentar yang ditampilkan yang dapat ditanggapi." in refused.content.decode()


def test_partners_link_an_agency_and_add_up_contributions(staff, world):
    from sikla.organisations.actions import create_agency
    from sikla.organisations.models import AgencyKind

    bank = create_agency(
        actor=world.national_admin,
        local_government=world.kupang,
        kind=AgencyKind.BUSINESS,
        name="Bank Daerah",
        abbreviation="BD",
    )
    opd = staff.post(
        url("partner_create"),
        {"component": "business", "agency": world.agency(KUPANG, "Dinkes").pk},
    )
    assert opd.status_code == 200 and 'id="id_agency_errors"' in opd.content.decode()
    assert not Partner.objects.exists()  # an OPD is not offered as a partner
    response = staff.post(url("partner_create"), {"component": "business", "agency": bank.pk})
    partner = Partner.objects.get()
    assert response.url == url("partner", partner.uid)
    assert partner.name == "Bank Daerah"
    twice = staff.post(url("partner_create"), {"component": "business", "agency": bank.pk})
    assert "sudah tercatat sebagai mitra" in twice.content.decode()
    for year, value in ((2025, "1000000"), (2026, "2500000"), (2026, "")):
        assert (
            staff.post(
                url("contribution_create", partner.uid),
                {"year": year, "kind": "money", "description": "Dana CSR", "value": value},
            ).status_code
            == 302
        )
    bad_year = staff.post(
        url("contribution_create", partner.uid),
        {"year": "1990", "kind": "money", "description": "Dana"},
    )
    assert "Tahun paling awal 2000." in bad_year.content.decode()
    assert Contribution.objects.count() == 3
    page = staff.get(url("partners")).content.decode()
    totals = page.split('data-testid="totals-business"')[1].split("</tr>")[0]
    assert "Rp 1.000.000" in totals and "Rp 2.500.000" in totals and "2 kontribusi" in totals
    year_page = staff.get(url("partners"), {"tahun": 2026}).content.decode()
    assert "2.500.000" in year_page.split('data-testid="partners"')[1]
    detail = staff.get(url("partner", partner.uid)).content.decode()
    assert "3.500.000" in detail


def test_a_family_group_is_a_partner_without_an_agency(staff, world):
    response = staff.post(
        url("partner_create"), {"component": "family", "name": "Paguyuban Orang Tua Oebufu"}
    )
    assert response.status_code == 302
    empty = staff.post(url("partner_create"), {"component": "family"})
    assert "Isi nama mitra atau pilih lembaga" in empty.content.decode()


# -- query counts ----------------------------------------------------------------------------


def _grow(world, n):
    codes = ["53.71.01", "53.71.02", "53.71.03", "53.71.04", "53.71.05", "53.71.06"]
    start = ChildForum.objects.count()
    for i in range(n):
        forum = make_forum(
            world, codes[(start + i) % 6] if start + i < 6 else f"53.71.01.10{start + i:02d}"
        )
        add_activity(forum, world, day=date(2026, 1, 1 + i))
        make_record(world, day=date(2026, 2, 1 + start + i), sources=[SourceKind.CHILD] * 2)
        make_partner(world, name=f"Mitra {start + i}")
    consultation = make_consultation(world, title=f"Konsultasi {start}")
    for i in range(n):
        item = actions.submit_public_comment(consultation, text=f"Komentar {i}")
        actions.moderate_comment(item, actor=world.secretariat, decision="approve")
    return consultation


PAGES = ["overview", "forums", "records", "consultations", "partners"]


@pytest.mark.parametrize("page", PAGES)
def test_list_pages_keep_their_query_count_as_rows_grow(
    staff, world, page, django_assert_max_num_queries
):
    _grow(world, 2)
    with django_assert_max_num_queries(30) as captured:
        assert staff.get(url(page)).status_code == 200
    before = len(captured)
    _grow(world, 4)
    with django_assert_max_num_queries(before):
        assert staff.get(url(page)).status_code == 200


def test_detail_pages_keep_their_query_count(staff, world, client, django_assert_max_num_queries):
    consultation = _grow(world, 2)
    forum = ChildForum.objects.first()
    entry = ConsultationRecord.objects.first()
    partner = Partner.objects.first()
    pages = [
        url("forum", forum.uid),
        url("record", entry.uid),
        url("partner", partner.uid),
        url("moderation", consultation.uid) + "?status=all",
    ]
    counts = []
    for page in pages:
        with django_assert_max_num_queries(30) as captured:
            assert staff.get(page).status_code == 200
        counts.append(len(captured))
    for i in range(5):
        add_activity(forum, world, day=date(2026, 6, 1 + i))
        actions.add_input(
            entry, actor=world.secretariat, source_kind="media", date=date(2026, 6, 1), text=f"M{i}"
        )
        actions.add_contribution(
            partner, actor=world.secretariat, year=2026, kind="goods", description=f"B{i}"
        )
        actions.submit_public_comment(consultation, text=f"Baru {i}")
    for page, before in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(before):
            assert staff.get(page).status_code == 200
    client.logout()
    public = reverse("participation:public_detail", args=[consultation.uid])
    with django_assert_max_num_queries(12) as captured:
        client.get(public)
    before = len(captured)
    for i in range(5):
        item = actions.submit_public_comment(consultation, text=f"Lagi {i}")
        actions.moderate_comment(item, actor=world.secretariat, decision="approve")
    with django_assert_max_num_queries(before):
        client.get(public)
    with django_assert_max_num_queries(8):
        client.get(reverse("participation:public_list"))
