"""Cases: encryption at rest, NIK checks, numbering, workflow, response times, consent before
referral, assignment and break-the-glass, the access log — through the real actions and pages."""

import logging
import re
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sikla.accounts.models import Role
from sikla.core.models import AuditEvent, Notification
from sikla.protection import actions, crypto, queries, views
from sikla.protection.models import (
    AccessKind,
    AccessLog,
    Case,
    CaseStatus,
    Channel,
    Child,
    Complaint,
    Outcome,
    PublicStatus,
    ReferralKind,
    ReferralStatus,
    ServiceKind,
    Urgency,
)
from sikla.protection.nik import validate_nik
from sikla.protection.standards import response_due
from sikla.regions.models import Region
from tests.personas import JAMBI, KUPANG, extra_user

from .conftest import CHILD_NIK, KELURAHAN, unit_today

WIB = ZoneInfo("Asia/Jakarta")


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def add_child(case, actor, **extra):
    values = dict(
        name="Melati Uji",
        nik=CHILD_NIK,
        birth_date=date(2015, 8, 5),
        age=None,
        sex="P",
        has_disability=False,
        school="SD Inpres Uji",
        address_region=Region.objects.get(code=KELURAHAN),
        address="Jl. Uji No. 1",
    )
    values.update(extra)
    return actions.save_child(case, actor=actor, **values)


# -- encryption at rest ------------------------------------------------------------------------


def test_identities_are_only_tokens_in_the_database(world, case):
    child = add_child(case, world.case_worker)
    for column in ("name", "nik", "birth_date", "school", "address"):
        stored = raw("protection_child", column, child.pk)
        assert stored.startswith(crypto.PREFIX), column
        assert "Melati" not in stored and CHILD_NIK not in stored
    for column in ("description", "child_name", "reporter_name", "reporter_contact"):
        assert raw("protection_complaint", column, case.complaint_id).startswith(crypto.PREFIX)
    assert raw("protection_case", "chronology", case.pk).startswith(crypto.PREFIX)
    # the lookup hash is keyed: not a plain hash anybody could compute from a NIK
    import hashlib

    assert child.nik_hash != hashlib.sha256(CHILD_NIK.encode()).hexdigest()
    assert Child.objects.get(nik_hash=crypto.lookup_hash(CHILD_NIK)) == child
    # and the application reads them back
    child = Child.objects.get(pk=child.pk)
    assert (child.name, child.nik, child.birth_date) == ("Melati Uji", CHILD_NIK, "2015-08-05")
    received = case.received_at.astimezone(WIB).date()
    assert child.age == actions.age_on(date(2015, 8, 5), received)  # derived, not typed


def test_documents_are_encrypted_on_disk(world, case, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n% hasil visum uji, nama anak: Melati Uji\n"
    service = actions.record_service(
        case,
        actor=world.case_worker,
        kind=ServiceKind.HEALTH,
        date=timezone.localdate(),
        provider="RSUD Uji",
        files=[SimpleUploadedFile("visum Melati.pdf", pdf, content_type="application/pdf")],
    )
    document = service.documents.get()
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert b"Melati" not in stored and b"%PDF" not in stored
    assert "Melati" not in document.file.name
    assert crypto.decrypt_bytes(stored) == pdf


def test_a_wrong_key_refuses_to_read_and_old_keys_still_decrypt(world, case, settings):
    child = add_child(case, world.case_worker)
    old = list(settings.PROTECTION_KEYS)
    from cryptography.fernet import Fernet

    try:
        settings.PROTECTION_KEYS = [Fernet.generate_key().decode()]
        crypto.reset_keys()
        with pytest.raises(ImproperlyConfigured):
            Child.objects.get(pk=child.pk)
        settings.PROTECTION_KEYS = [Fernet.generate_key().decode(), *old]  # rotation
        crypto.reset_keys()
        assert Child.objects.get(pk=child.pk).name == "Melati Uji"
    finally:
        settings.PROTECTION_KEYS = old
        crypto.reset_keys()


# -- NIK ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("537104450815000", "16 angka"),
        ("53710445081500011", "16 angka"),
        ("53710445081500a1", "16 angka"),
        ("５３７１０４４５０８１５０００１", "16 angka"),  # full-width digits
        ("9971044508150001", "kode kecamatan"),
        ("5371994508150001", "kode kecamatan"),
        ("5371043208150001", "tidak valid"),  # 32 August
        ("5371047208150001", "tidak valid"),  # 72 - 40 = 32
        ("5371041513150001", "tidak valid"),  # month 13
        ("5371044508150000", "0000"),
    ],
)
def test_invalid_niks_are_refused_with_a_reason(world, nik, message):
    with pytest.raises(ValidationError) as caught:
        validate_nik(nik)
    assert message in " ".join(caught.value.message_dict["nik"])


def test_a_nik_must_agree_with_birth_date_and_sex(world):
    validate_nik(CHILD_NIK, birth_date=date(2015, 8, 5), sex="P")
    validate_nik("5371040508150001", birth_date=date(2015, 8, 5), sex="L")
    with pytest.raises(ValidationError, match="tanggal lahir"):
        validate_nik(CHILD_NIK, birth_date=date(2015, 8, 6))
    with pytest.raises(ValidationError, match="Jenis kelamin"):
        validate_nik(CHILD_NIK, sex="L")


def test_the_child_form_shows_the_nik_error_and_keeps_what_was_typed(client, world, case):
    client.force_login(world.case_worker)
    url = reverse("protection:child_add", args=[KUPANG, case.uid])
    response = client.post(
        url, {"name": "Anak Kedua", "nik": "9971044508150001", "age": "7", "sex": "P"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "bukan kode kecamatan" in page
    assert 'value="Anak Kedua"' in page
    assert case.children.count() == 1  # only the one taken from the complaint


def test_a_child_needs_an_age_or_a_birth_date_and_is_under_18(client, world, case):
    client.force_login(world.case_worker)
    url = reverse("protection:child_add", args=[KUPANG, case.uid])
    assert "Isi tanggal lahir atau umur" in client.post(url, {"name": "X Y"}).content.decode()
    with pytest.raises(ValidationError):
        add_child(case, world.case_worker, nik="", birth_date=date(2000, 1, 1))


def test_markup_in_a_childs_name_is_refused(client, world, case):
    client.force_login(world.case_worker)
    response = client.post(
        reverse("protection:child_add", args=[KUPANG, case.uid]),
        {"name": "<script>alert(1)</script>", "age": "5"},
    )
    assert "tidak boleh berisi tag HTML" in response.content.decode()


# -- numbering and intake ----------------------------------------------------------------------


def _intake(world, lg=None, actor=None, **extra):
    values = dict(description="Laporan lewat telepon tentang anak yang ditelantarkan.")
    values.update(extra)
    return actions.record_complaint(
        actor=actor or world.case_worker,
        local_government=lg or world.kupang,
        channel=Channel.HOTLINE,
        **values,
    )


def test_case_numbers_run_per_local_government_and_year(world, case):
    second = actions.take_complaint(_intake(world), actor=world.case_worker)
    year = case.year
    assert case.number == f"0001/PPA/5371/{year}"
    assert second.number == f"0002/PPA/5371/{year}"
    jambi_worker = _jambi_worker(world)
    jambi = actions.take_complaint(
        _intake(world, lg=world.jambi, actor=jambi_worker), actor=jambi_worker
    )
    assert jambi.number == f"0001/PPA/1571/{year}"


def _jambi_worker(world):
    from sikla.accounts.actions import create_user

    return create_user(
        actor=world.national_admin,
        username="pendamping.jambi",
        full_name="Pendamping Jambi",
        role=Role.CASE_WORKER,
        scope=JAMBI,
        password="sandi-uji-yang-panjang",
    )


def test_a_report_is_taken_once(world, complaint):
    actions.take_complaint(complaint, actor=world.case_worker)
    with pytest.raises(ValidationError, match="sudah diambil"):
        actions.take_complaint(complaint, actor=world.case_supervisor)
    complaint.refresh_from_db()
    assert complaint.status == PublicStatus.IN_HANDLING
    assert Case.objects.filter(complaint=complaint).count() == 1


def test_only_the_unit_takes_in_reports(world):
    for persona in ("secretariat", "national_admin", "agency_operator", "national_evaluator"):
        with pytest.raises(PermissionDenied):
            _intake(world, actor=world.persona(persona))
    with pytest.raises(ValidationError):
        actions.record_complaint(
            actor=world.case_worker,
            local_government=world.kupang,
            channel=Channel.WEB,
            description="Daring lewat staf?",
        )


def test_urgent_reports_are_on_every_unit_screen_until_taken(client, world):
    """The banner is kept between pages: a report made or taken shows on the next page."""
    client.force_login(world.case_worker)
    page = client.get(reverse("organisations:detail", args=[KUPANG])).content.decode()
    assert "urgent-banner" not in page
    urgent = _intake(world, urgency=Urgency.EMERGENCY, risk="high")
    for persona in ("case_worker", "case_supervisor"):
        client.force_login(world.persona(persona))
        page = client.get(reverse("organisations:detail", args=[KUPANG])).content.decode()
        assert urgent.tracking_code in page and 'data-testid="urgent-banner"' in page
    client.force_login(world.secretariat)
    page = client.get(reverse("organisations:detail", args=[KUPANG])).content.decode()
    assert "urgent-banner" not in page
    actions.take_complaint(urgent, actor=world.case_supervisor)
    client.force_login(world.case_worker)
    page = client.get(reverse("organisations:detail", args=[KUPANG])).content.decode()
    assert "urgent-banner" not in page


def test_a_staff_intake_can_become_a_case_at_once(client, world):
    client.force_login(world.case_worker)
    response = client.post(
        reverse("protection:complaint_create", args=[KUPANG]),
        {
            "channel": Channel.POLICE,
            "urgency": Urgency.URGENT,
            "risk": "high",
            "description": "Rujukan Polresta: anak korban kekerasan seksual.",
            "incident_region": KELURAHAN,
            "child_name": "Mawar Uji",
            "child_age": "12",
            "child_sex": "P",
            "take": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/kasus/{case.uid}/")
    assert case.channel == Channel.POLICE and case.urgency == Urgency.URGENT
    assert case.children.get().name == "Mawar Uji"
    assert world.case_worker in case.workers.all()


# -- workflow ----------------------------------------------------------------------------------


def test_the_workflow_moves_only_along_its_steps(world, case):
    worker = world.case_worker
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        actions.transition_case(case, actor=worker, to_status=CaseStatus.IN_SERVICE)
    case = actions.transition_case(case, actor=worker, to_status=CaseStatus.ASSESSED)
    with pytest.raises(ValidationError, match="rujukan"):
        actions.transition_case(case, actor=worker, to_status=CaseStatus.REFERRED)
    case = actions.transition_case(case, actor=worker, to_status=CaseStatus.IN_SERVICE)
    with pytest.raises(ValidationError, match="hasil"):
        actions.transition_case(case, actor=worker, to_status=CaseStatus.CLOSED)
    case = actions.transition_case(
        case, actor=worker, to_status=CaseStatus.CLOSED, outcome=Outcome.RESOLVED
    )
    assert case.closed_at is not None
    assert Complaint.objects.get(pk=case.complaint_id).status == PublicStatus.CLOSED
    with pytest.raises(ValidationError):
        actions.record_service(
            case,
            actor=worker,
            kind=ServiceKind.OUTREACH,
            date=timezone.localdate(),
            provider="UPTD",
        )
    with pytest.raises(ValidationError, match="alasan"):
        actions.transition_case(case, actor=worker, to_status=CaseStatus.ASSESSED)
    case = actions.transition_case(
        case,
        actor=worker,
        to_status=CaseStatus.ASSESSED,
        reason="Anak kembali mengalami kekerasan.",
    )
    assert (case.status, case.outcome, case.closed_at) == (CaseStatus.ASSESSED, "", None)
    assert Complaint.objects.get(pk=case.complaint_id).status == PublicStatus.IN_HANDLING
    steps = [(t.from_status, t.to_status) for t in case.transitions.all()]
    assert steps == [
        ("", "received"),
        ("received", "assessed"),
        ("assessed", "in_service"),
        ("in_service", "closed"),
        ("closed", "assessed"),
    ]
    assert case.transitions.last().reason == "Anak kembali mengalami kekerasan."
    assert AuditEvent.objects.filter(action="case.reopen", target_id=str(case.pk)).exists()


def test_the_case_page_moves_the_workflow(client, world, case):
    client.force_login(world.case_worker)
    url = reverse("protection:case_transition", args=[KUPANG, case.uid])
    client.post(url, {"to_status": "assessed"})
    client.post(url, {"to_status": "in_service"})
    response = client.post(url, {"to_status": "closed"}, follow=True)
    assert "Pilih hasil penanganan" in response.content.decode()
    client.post(url, {"to_status": "closed", "outcome": "resolved", "closing_note": "Selesai."})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "resolved"


def test_the_case_page_shows_each_service_with_its_child_and_documents(
    client, world, case, django_assert_max_num_queries
):
    """The services table names the child a service was for and links that service's documents;
    "the report's documents" lists only those that came with the report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def pdf(name):
        return SimpleUploadedFile(name, b"%PDF-1.4\n% uji\n", content_type="application/pdf")

    # a document that came with the report (as taking the report moves it to the case)
    actions.store_documents(
        [pdf("laporan.pdf")], local_government=world.kupang, complaint=case.complaint, case=case
    )
    child = add_child(case, world.case_worker)
    for kind, provider, files, for_child in [
        (ServiceKind.HEALTH, "RSUD Uji", [pdf("visum.pdf"), pdf("resep.pdf")], child),
        (ServiceKind.OUTREACH, "Pendamping Uji", [], None),
    ]:
        actions.record_service(
            case,
            actor=world.case_worker,
            kind=kind,
            date=timezone.localdate(),
            provider=provider,
            child=for_child,
            files=files,
        )
    client.force_login(world.case_worker)

    with django_assert_max_num_queries(20) as captured:  # none per service or document
        page = client.get(reverse("protection:case", args=[KUPANG, case.uid])).content.decode()
    # the case is read once; its lists are read by its id, without joining it again to be
    # sorted by its date (the lists' order was "case" first, which meant the case's own order)
    assert sum('"protection_case"' in q["sql"] for q in captured.captured_queries) == 1

    rows = re.findall(r"<tr><td>.*?</tr>", page.split('data-testid="services"')[1], re.S)
    health = next(r for r in rows if "RSUD Uji" in r)
    outreach = next(r for r in rows if "Pendamping Uji" in r)
    assert "Melati Uji" in health and health.count("/dokumen/") == 2
    assert "Melati Uji" not in outreach and "/dokumen/" not in outreach
    reported = page.split("Dokumen pengaduan")[1].split("</ul>")[0]
    assert reported.count("/dokumen/") == 1


def test_what_is_added_to_a_case_has_a_page_of_its_own(client, world, case):
    """The case page links to its forms instead of carrying them (the kab/kota list of the
    referral form alone was two thirds of the page); each form page prefills today's date, keeps
    what was typed when refused, and goes back to the case once recorded."""
    child = add_child(case, world.case_worker)
    client.force_login(world.case_worker)
    case_page = client.get(reverse("protection:case", args=[KUPANG, case.uid])).content.decode()
    for name in ("service_add", "consent_add", "referral_add", "perpetrator_add"):
        url = reverse(f"protection:{name}", args=[KUPANG, case.uid])
        assert f'href="{url}"' in case_page
        assert f'action="{url}"' not in case_page
    assert 'name="target_local_government"' not in case_page

    url = reverse("protection:service_add", args=[KUPANG, case.uid])
    page = client.get(url).content.decode()
    assert "<h1>Catat layanan</h1>" in page and 'enctype="multipart/form-data"' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert f'<option value="{child.pk}">Melati Uji</option>' in page
    refused = client.post(url, {"kind": "health", "date": "", "provider": "RSUD Uji"})
    assert refused.status_code == 200 and not case.services.exists()
    assert "tidak boleh kosong" in refused.content.decode() and 'value="RSUD Uji"' in (
        refused.content.decode()
    )
    done = client.post(
        url,
        {
            "kind": "health",
            "date": timezone.localdate().isoformat(),
            "provider": "RSUD Uji",
            "child": child.pk,
        },
    )
    assert done.status_code == 302 and done.url == reverse(
        "protection:case", args=[KUPANG, case.uid]
    )
    assert case.services.get().child == child

    referral = reverse("protection:referral_add", args=[KUPANG, case.uid])
    page = client.get(referral).content.decode()
    assert "Persetujuan wali belum dicatat: rujukan dan pengalihan ditolak" in page
    assert 'name="override_reason"' not in page and 'name="target_local_government"' in page
    client.force_login(world.case_supervisor)
    page = client.get(referral).content.decode()
    assert "Sebagai supervisor Anda dapat merujuk tanpa persetujuan" in page
    assert 'name="override_reason"' in page
    actions.record_consent(
        case,
        actor=world.case_worker,
        obtained=True,
        guardian_relation="parent",
        given_on=timezone.localdate(),
    )
    assert 'data-testid="intro"' not in client.get(referral).content.decode()


# -- response times ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_response_targets_count_working_days():
    friday = datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
    assert response_due(friday, Urgency.NORMAL, "15.71") == datetime(
        2026, 11, 25, 10, 0, tzinfo=WIB
    )
    assert response_due(friday, Urgency.URGENT, "15.71") == datetime(
        2026, 11, 23, 10, 0, tzinfo=WIB
    )
    assert response_due(friday, Urgency.EMERGENCY, "15.71") == friday + timedelta(hours=24)
    saturday = datetime(2026, 11, 21, 22, 0, tzinfo=WIB)
    assert response_due(saturday, Urgency.NORMAL, "15.71") == datetime(
        2026, 11, 26, 22, 0, tzinfo=WIB
    )


def test_a_case_without_a_first_response_becomes_overdue(world):
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=WIB), tick=False):
        case = actions.take_complaint(_intake(world), actor=world.case_worker)
    assert case.response_due_at == datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
    rows = Case.objects.filter(pk=case.pk)
    with time_machine.travel(datetime(2026, 11, 25, 9, 59, tzinfo=WIB), tick=False):
        assert not queries.is_overdue(case) and not queries.overdue_q(rows).exists()
    with time_machine.travel(datetime(2026, 11, 25, 10, 1, tzinfo=WIB), tick=False):
        assert queries.is_overdue(case) and queries.overdue_q(rows).exists()
        case = actions.update_case(
            case, actor=world.case_worker, version=case.version, urgency=Urgency.EMERGENCY
        )
        assert case.response_due_at == datetime(2026, 11, 21, 10, 0, tzinfo=WIB)
        actions.record_service(
            case,
            actor=world.case_worker,
            kind=ServiceKind.OUTREACH,
            date=date(2026, 11, 25),
            provider="UPTD PPA",
        )
        case.refresh_from_db()
        assert not queries.is_overdue(case) and queries.responded_late(case)


def test_the_case_list_flags_overdue_cases(client, world):
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):
        late = actions.take_complaint(_intake(world), actor=world.case_worker)
    on_time = actions.take_complaint(_intake(world), actor=world.case_worker)
    client.force_login(world.case_worker)
    page = client.get(reverse("protection:cases", args=[KUPANG]) + "?overdue=1").content.decode()
    assert late.number in page and on_time.number not in page
    assert 'data-testid="overdue"' in page


def test_my_cases_are_those_i_work_on_or_supervise_each_listed_once(client, world):
    """ "Kasus saya": the cases a worker is assigned to, once each however many workers share
    them, and none of the others; a supervisor's are the cases they supervise."""
    other = extra_user(world, "pendamping.lain", Role.CASE_WORKER)
    shared = actions.take_complaint(_intake(world), actor=world.case_worker)
    actions.assign_case(
        shared,
        actor=world.case_supervisor,
        workers=[world.case_worker, other],
        supervisor=world.case_supervisor,
    )
    others = actions.take_complaint(_intake(world), actor=other)
    mine = reverse("protection:cases", args=[KUPANG]) + "?mine=1"

    def listed(user) -> str:
        client.force_login(user)
        return client.get(mine).content.decode()

    page = listed(world.case_worker)
    assert page.count(shared.number) == 1 and others.number not in page
    page = listed(other)
    assert page.count(shared.number) == 1 and page.count(others.number) == 1
    page = listed(world.case_supervisor)  # the unit's supervisor supervises both
    assert page.count(shared.number) == 1 and page.count(others.number) == 1


def test_the_start_page_counts_all_and_lists_the_newest(client, world):
    """Each card of the unit's start page counts all there is (a worker with 21 open cases
    reads 21, not the 20 its list shows) and leads to the whole list; someone with no open
    case is told so."""
    more = views.HOME_LIST + 1
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False):
        taken = [
            actions.take_complaint(_intake(world), actor=world.case_worker) for _ in range(more)
        ]
        for _ in range(more):
            _intake(world)
    client.force_login(world.case_worker)
    page = client.get(reverse("protection:home", args=[KUPANG])).content.decode()
    for card in ("pending-count", "mine-count", "overdue-count"):
        assert re.search(rf'data-testid="{card}">{more}<', page), card
    for testid in ("my-cases", "overdue-cases"):
        table = page.split(f'data-testid="{testid}"')[1].split("</table>")[0]
        assert table.count("<tr>") == views.HOME_LIST + 1  # the header and the newest 20
        assert taken[-1].number in table and taken[0].number not in table
    assert f"Semua {more} kasus terbuka saya" in page
    assert f"Semua {more} pengaduan yang menunggu" in page
    assert f"Semua {more} kasus yang melewati batas respons" in page
    newcomer = extra_user(world, "pendamping.baru", Role.CASE_WORKER)
    client.force_login(newcomer)
    page = client.get(reverse("protection:home", args=[KUPANG])).content.decode()
    assert 'data-testid="mine-count">0<' in page
    assert "Belum ada kasus terbuka yang ditugaskan kepada Anda." in page


# -- consent before referral -------------------------------------------------------------------


def _refer(case, actor, **extra):
    values = dict(
        kind=ReferralKind.REFERRAL,
        institution="RSUD Uji",
        reason="Pemeriksaan kesehatan.",
        sent_on=timezone.localdate(),
    )
    values.update(extra)
    return actions.refer_case(case, actor=actor, **values)


def test_a_referral_waits_for_the_guardians_consent(world, case):
    with pytest.raises(ValidationError, match="persetujuan wali"):
        _refer(case, world.case_worker)
    with pytest.raises(PermissionDenied):  # overriding is the supervisor's own permission
        _refer(case, world.case_worker, override_reason="Orang tua adalah terduga pelaku.")
    assert not case.referrals.exists()
    with pytest.raises(ValidationError):
        actions.record_consent(
            case, actor=world.case_worker, obtained=False, given_on=timezone.localdate()
        )
    actions.record_consent(
        case,
        actor=world.case_worker,
        obtained=False,
        given_on=timezone.localdate(),
        reason_unobtainable="Orang tua tidak diketahui keberadaannya.",
    )
    referral = _refer(case, world.case_worker)
    assert not referral.consent_overridden
    with pytest.raises(ValidationError, match="umpan balik"):
        actions.update_referral(referral, actor=world.case_worker, status=ReferralStatus.COMPLETED)
    actions.update_referral(
        referral, actor=world.case_worker, status=ReferralStatus.COMPLETED, feedback="Sudah visum."
    )


def test_a_supervisor_may_override_consent_and_it_is_logged(world, case):
    referral = _refer(
        case,
        world.case_supervisor,
        kind=ReferralKind.TRANSFER,
        institution="UPTD PPA Kota Jambi",
        target_local_government=world.jambi,
        override_reason="Wali adalah terduga pelaku; anak dipindahkan demi keselamatan.",
    )
    assert referral.consent_overridden
    entry = AccessLog.objects.get(kind=AccessKind.CONSENT_OVERRIDE)
    assert entry.case == case and entry.user == world.case_supervisor
    with pytest.raises(ValidationError, match="daerah lain"):
        _refer(
            case,
            world.case_supervisor,
            kind=ReferralKind.TRANSFER,
            target_local_government=world.kupang,
            override_reason="Alasan yang cukup panjang di sini.",
        )


# -- who acts on a case ------------------------------------------------------------------------


def test_another_case_worker_must_break_the_glass(
    client, world, case, django_capture_on_commit_callbacks
):
    other = extra_user(world, "pendamping.lain", Role.CASE_WORKER)
    with pytest.raises(PermissionDenied):
        actions.update_case(case, actor=other, version=case.version, risk="high")
    client.force_login(other)
    url = reverse("protection:case", args=[KUPANG, case.uid])
    response = client.get(url)
    assert response.status_code == 302 and "/darurat/" in response.url
    page = client.get(response.url)
    assert page.status_code == 403 and "Melati" not in page.content.decode()
    short = client.post(response.url, {"reason": "darurat"})
    assert "paling sedikit" in short.content.decode() or "15" in short.content.decode()
    assert not AccessLog.objects.filter(kind=AccessKind.BREAK_GLASS).exists()
    with time_machine.travel(datetime(2026, 11, 29, 10, 0, tzinfo=WIB), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                response.url, {"reason": "Anak dilaporkan hilang malam ini, pendamping cuti."}
            )
        assert client.get(url).status_code == 200
        assert AccessLog.objects.filter(kind=AccessKind.BREAK_GLASS, user=other).count() == 1
        alert = Notification.objects.get(recipient=world.case_supervisor, text__contains="DARURAT")
        assert case.number in alert.text and "Melati" not in alert.text
    with time_machine.travel(datetime(2026, 11, 29, 14, 1, tzinfo=WIB), tick=False):
        assert client.get(url).status_code == 302  # the access expired after 4 hours


def test_the_supervisor_assigns_only_the_units_staff(
    world, case, django_capture_on_commit_callbacks
):
    other = extra_user(world, "pendamping.dua", Role.CASE_WORKER)
    with pytest.raises(PermissionDenied):
        actions.assign_case(case, actor=world.case_worker, workers=[other])
    with pytest.raises(ValidationError):
        actions.assign_case(case, actor=world.case_supervisor, workers=[world.secretariat])
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_case(case, actor=world.case_supervisor, workers=[other])
    assert list(case.workers.all()) == [other]
    assert Notification.objects.filter(recipient=other, text__contains=case.number).exists()
    with pytest.raises(PermissionDenied):
        actions.update_case(case, actor=world.case_worker, version=case.version, risk="low")


def test_the_case_page_opens_without_a_supervisor(client, world, case):
    """A unit without a supervisor leaves the case's supervisor empty; the page answered 500."""
    Case.objects.filter(pk=case.pk).update(supervisor=None)
    client.force_login(world.case_worker)

    response = client.get(reverse("protection:case", args=[KUPANG, case.uid]))

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<dt>Supervisor</dt><dd>—</dd>", page)
    assert "Case Worker" in page  # the worker by name, not by username


def test_a_stale_edit_is_refused_and_nothing_is_lost(client, world, case):
    client.force_login(world.case_worker)
    url = reverse("protection:case_edit", args=[KUPANG, case.uid])
    form = {
        "version": case.version,
        "urgency": "normal",
        "responsible_level": "regency",
        "chronology": "Kronologi versi saya",
        "types": ["physical"],
    }
    actions.update_case(case, actor=world.case_supervisor, version=case.version, risk="high")
    response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "baru saja diubah" in page and "Kronologi versi saya" in page


# -- the access log ----------------------------------------------------------------------------


def test_opening_searching_and_exporting_are_logged(client, world, case):
    add_child(case, world.case_worker)
    client.force_login(world.case_worker)
    client.get(reverse("protection:case", args=[KUPANG, case.uid]))
    assert AccessLog.objects.filter(kind=AccessKind.OPEN_CASE, case=case).count() == 1
    search = reverse("protection:case_search", args=[KUPANG])
    for terms in (CHILD_NIK, "melati", case.number):
        page = client.post(search, {"terms": terms}).content.decode()
        assert case.number in page
    assert client.post(search, {"terms": "Tidak Ada"}).content.decode().count(case.number) == 0
    searches = AccessLog.objects.filter(kind=AccessKind.SEARCH).order_by("pk")
    assert [s.terms for s in searches] == [CHILD_NIK, "melati", case.number, "Tidak Ada"]
    assert raw("protection_accesslog", "terms", searches[0].pk).startswith(crypto.PREFIX)
    # identified export: supervisors only, with a reason
    export = reverse("protection:export_identified", args=[KUPANG])
    assert client.get(export).status_code == 403
    client.force_login(world.case_supervisor)
    assert "Keperluan" in client.get(export).content.decode()
    start = end = unit_today().isoformat()
    assert client.post(export, {"start": start, "end": end, "reason": "x"}).status_code == 200
    ready = client.post(
        export, {"start": start, "end": end, "reason": "Permintaan resmi pengadilan negeri."}
    )
    page = ready.content.decode()
    password = re.search(r'data-testid="export-password"[^>]*>([^<]+)<', page).group(1)
    link = re.search(r'href="([^"]+)"[^>]*data-testid="export-download"', page).group(1)
    entry = AccessLog.objects.get(kind=AccessKind.EXPORT_IDENTIFIED)
    assert entry.reason == "Permintaan resmi pengadilan negeri."
    response = client.get(link)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Melati" not in response["Content-Disposition"]
    assert client.get(link).status_code == 404  # once
    from io import BytesIO

    import msoffcrypto
    from openpyxl import load_workbook

    assert not zipfile.is_zipfile(BytesIO(response.content))  # no workbook without the password
    locked = msoffcrypto.OfficeFile(BytesIO(response.content))
    assert locked.is_encrypted()
    locked.load_key(password=password)
    opened = BytesIO()
    locked.decrypt(opened)
    sheet = load_workbook(opened).active
    assert any(row[4] == "Melati Uji" for row in sheet.iter_rows(min_row=3, values_only=True))
    # the supervisor reads and filters the log
    log_page = reverse("protection:access_log", args=[KUPANG])
    page = client.get(log_page + "?kind=search").content.decode()
    assert "melati" in page and "Permintaan resmi" not in page
    client.force_login(world.case_worker)
    assert client.get(log_page).status_code == 403


def test_the_access_log_cannot_be_changed(world, case):
    entry = actions.log_access(
        user=world.case_worker, local_government=world.kupang, kind=AccessKind.OPEN_CASE, case=case
    )
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AccessLog.objects.filter(pk=entry.pk).update(kind=AccessKind.SEARCH)
    with pytest.raises(PermissionDenied):
        AccessLog.objects.filter(pk=entry.pk).delete()


def test_the_access_log_is_filtered_by_the_people_in_it(client, world, case):
    """The supervisor filters the log by person: offered are those who appear in it (someone
    of the unit who never opened anything is not), and one person's entries only are shown."""
    extra_user(world, "pendamping.baru", Role.CASE_WORKER)  # in the unit, never in the log
    searcher = extra_user(world, "pendamping.lain", Role.CASE_WORKER)
    actions.log_access(
        user=world.case_worker, local_government=world.kupang, kind=AccessKind.OPEN_CASE, case=case
    )
    actions.log_access(
        user=searcher, local_government=world.kupang, kind=AccessKind.SEARCH, terms="contoh"
    )
    client.force_login(world.case_supervisor)
    log_page = reverse("protection:access_log", args=[KUPANG])
    page = client.get(log_page).content.decode()
    offered = re.findall(
        r'<option value="(\d+)"', page.split('name="user"')[1].split("</select>")[0]
    )
    assert set(map(int, offered)) == {world.case_worker.pk, searcher.pk}
    page = client.get(log_page + f"?user={searcher.pk}").content.decode()
    assert "contoh" in page and case.number not in page
    # someone not in the log, or no number at all: the filter is ignored, the whole log shown
    stranger = extra_user(world, "pendamping.luar", Role.CASE_WORKER)
    for wrong in (stranger.pk, "abc"):
        page = client.get(log_page + f"?user={wrong}").content.decode()
        assert "contoh" in page and case.number in page, wrong
    # the page shows a case by its number: none of a case's or a report's texts is read
    with CaptureQueriesContext(connection) as ran:
        assert case.number in client.get(log_page).content.decode()
    read = " ".join(q["sql"] for q in ran)
    for column in ("chronology", "closing_note", "description", "child_name", "reporter_name"):
        assert column not in read, column


def test_lists_of_reports_read_none_of_a_reports_texts(client, world, complaint):
    """The unit's start page and its lists of reports show a report by its code, date, channel,
    urgency, kelurahan and status: what happened, the child's and the reporter's names and the
    contact are not even read (decrypted) until the report's own page, which is logged."""
    client.force_login(world.case_worker)
    lists = reverse("protection:complaints", args=[KUPANG])
    for url in (reverse("protection:home", args=[KUPANG]), lists, lists + "?status=waiting"):
        with CaptureQueriesContext(connection) as ran:
            page = client.get(url).content.decode()
        assert complaint.tracking_code in page
        read = " ".join(q["sql"] for q in ran)
        for column in ("description", "child_name", "reporter_name", "reporter_contact"):
            assert f'."{column}"' not in read, (url, column)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_rewrite_the_access_log(world, case):
    from django.db import DatabaseError, transaction

    entry = actions.log_access(
        user=world.case_worker, local_government=world.kupang, kind=AccessKind.OPEN_CASE, case=case
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM protection_accesslog WHERE id = %s", [entry.pk])


# -- no identity where it does not belong --------------------------------------------------------


def test_no_identity_in_audit_rows_notifications_or_logs(
    client, world, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = actions.submit_public_complaint(
            local_government=world.kupang,
            description="Anak dipukul paman. Nama anak Melati, NIK " + CHILD_NIK,
            child_name="Melati Uji",
            reporter_name="Ibu Tetangga",
            reporter_contact="0812-0000-0000",
        )
    assert Notification.objects.filter(recipient=world.case_worker).exists()
    case = actions.take_complaint(complaint, actor=world.case_worker)
    child = case.children.get()
    actions.save_child(
        case,
        actor=world.case_worker,
        child=child,
        name="Melati Uji",
        nik=CHILD_NIK,
        birth_date=date(2015, 8, 5),
        age=None,
        sex="P",
        has_disability=False,
        school="SD Inpres Uji",
        address_region=None,
        address="Jl. Uji",
    )
    actions.update_case(case, actor=world.case_worker, version=None, chronology="Dipukul paman.")
    client.force_login(world.case_worker)
    client.get(reverse("protection:case", args=[KUPANG, case.uid]))
    secrets = ["Melati", CHILD_NIK, "Ibu Tetangga", "0812-0000", "dipukul", "Dipukul"]
    audit = " ".join(f"{e.target_label} {e.changes} {e.note}" for e in AuditEvent.objects.all())
    notes = " ".join(n.text + n.link for n in Notification.objects.all())
    logs = caplog.text
    for secret in secrets:
        assert secret not in audit, secret
        assert secret not in notes, secret
        assert secret not in logs, secret


def test_the_case_page_escapes_text_and_stays_within_a_query_bound(
    client, world, case, django_assert_max_num_queries
):
    actions.update_case(
        case, actor=world.case_worker, version=None, chronology="<script>alert('x')</script>"
    )
    for i in range(4):
        actions.record_service(
            case,
            actor=world.case_worker,
            kind=ServiceKind.PSYCHOLOGICAL,
            date=timezone.localdate(),
            provider=f"Psikolog {i}",
        )
    client.force_login(world.case_worker)
    url = reverse("protection:case", args=[KUPANG, case.uid])
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert page.count("Psikolog") == 4
    assert client.get(url)["Cache-Control"].startswith("max-age=0")


# -- the compartment -------------------------------------------------------------------------


def test_case_events_stay_out_of_the_general_history(client, world, case):
    add_child(case, world.case_worker)
    actions.transition_case(case, actor=world.case_worker, to_status=CaseStatus.ASSESSED)
    tracking = case.complaint.tracking_code
    url = reverse("organisations:history", args=[KUPANG])
    for person in (world.secretariat, world.task_force_chair, world.national_admin):
        client.force_login(person)
        response = client.get(url)
        if response.status_code == 403:
            continue
        page = response.content.decode()
        assert case.number not in page and tracking not in page
        assert "case." not in page and "complaint." not in page
        assert "Kekerasan fisik" not in page and "physical" not in page
    # ...and stay in the case's own history, for the unit.
    assert (
        AuditEvent.objects.filter(target_type="protection.case", target_id=str(case.pk)).count()
        >= 3
    )


def test_the_nik_is_masked_until_revealed_and_each_reveal_is_logged(client, world, case):
    child = add_child(case, world.case_worker)
    client.force_login(world.case_worker)
    page = client.get(reverse("protection:case", args=[KUPANG, case.uid])).content.decode()
    assert CHILD_NIK not in page
    assert "••••••••••••" + CHILD_NIK[-4:] in page
    reveal = reverse("protection:reveal_nik", args=[KUPANG, case.uid, child.uid])
    assert client.get(reveal).status_code == 405  # never by a link that lands in history
    shown = client.post(reveal)
    assert shown.status_code == 200 and CHILD_NIK in shown.content.decode()
    assert shown["Cache-Control"].startswith("max-age=0") or "no-cache" in shown["Cache-Control"]
    log = AccessLog.objects.filter(kind=AccessKind.REVEAL_NIK, case=case, user=world.case_worker)
    assert log.count() == 1
    # Someone not on the case cannot reveal it.
    other = extra_user(world, "pendamping3.uji", Role.CASE_WORKER)
    client.force_login(other)
    assert client.post(reveal).status_code == 403
    assert log.count() == 1


def test_the_child_form_never_shows_the_stored_nik_and_keeps_it_when_left_empty(
    client, world, case
):
    child = add_child(case, world.case_worker)
    client.force_login(world.case_worker)
    url = reverse("protection:child_edit", args=[KUPANG, case.uid, child.uid])
    page = client.get(url).content.decode()
    assert CHILD_NIK not in page and "••••••••••••" + CHILD_NIK[-4:] in page
    form = {
        "name": "Melati Uji",
        "nik": "",
        "birth_date": "2015-08-05",
        "sex": "P",
        "address_region": KELURAHAN,
    }
    assert client.post(url, form).status_code == 302
    child.refresh_from_db()
    assert child.nik == CHILD_NIK  # left empty: kept
    assert client.post(url, {**form, "remove_nik": "on"}).status_code == 302
    child.refresh_from_db()
    assert child.nik == "" and child.nik_hash == ""


def test_the_units_home_and_case_list_show_a_consent_still_owed(client, world, case):
    _refer(
        case,
        world.case_supervisor,
        override_reason="Wali adalah terduga pelaku; anak dipindahkan demi keselamatan.",
    )
    client.force_login(world.case_worker)
    home = client.get("/").content.decode()
    assert 'data-testid="due-consents"' in home
    assert '<strong class="count">1</strong> Rujukan tanpa persetujuan wali' in home
    owed = reverse("protection:cases", args=[KUPANG]) + "?consent=owed"
    assert owed in home
    assert case.number in client.get(owed).content.decode()
    actions.record_consent(
        case,
        actor=world.case_worker,
        obtained=True,
        guardian_relation="parent",
        given_on=timezone.localdate(),
    )
    assert "due-consents" not in client.get("/").content.decode()
    assert case.number not in client.get(owed).content.decode()
