"""Every URL of the project: login required unless on the short public list, no 500s, no leaks.

The walk reads the live URL configuration, so a new route fails `test_it_knows_every_route`
until it is added to ROUTES below with the objects that fill its converters.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.participation.routes import API_BODIES as PARTICIPATION_BODIES
from tests.participation.routes import KUPANG_OBJECTS as PARTICIPATION_OBJECTS
from tests.participation.routes import PUBLIC as PARTICIPATION_PUBLIC
from tests.participation.routes import ROUTES as PARTICIPATION_ROUTES
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

# Nothing is skipped: SIKLA mounts no Django admin (every write goes through actions).
SKIPPED_RESOLVERS: dict[str, str] = {}

# Regions are reference data everybody may read (Perm.VIEW_REFERENCE), so a region outside the
# user's scope is not a secret; tenant data is what must not leak.
REFERENCE_ROUTES = {"regions:detail", "api:region_detail"}
# The public complaint form of a local government holds no tenant data: anybody may open it.
PUBLIC_CODE_ROUTES = {"protection:report", "dashboards:portal", "api:portal"}


def no_args(world, code):
    return {}


def lg(world, code):
    return {"code": code}


def lg_agency(world, code):
    return {"code": code, "uid": world.agency(code).uid}


def lg_member(world, code):
    # Only Kupang has a task force; a Jambi address with a Kupang member must still be 404.
    return {"code": code, "uid": world.member.uid}


def account(world, code):
    return {"uid": (world.viewer if code == KUPANG else world.jambi_secretariat).uid}


def region(world, code):
    return {"code": code}


def lg_period(world, code):
    return {"code": code, "year": PERIOD_YEAR}


def submission_uid(world, code):
    return {"uid": world.periods[code].submissions.get(indicator__number=4).uid}


def lg_period_export(world, code):
    return {**lg_period(world, code), "fmt": "xlsx"}


def lg_period_indicator(world, code):
    return {"code": code, "year": PERIOD_YEAR, "number": 4}


def lg_period_step(world, code):
    return {**lg_period_indicator(world, code), "step": "ajukan"}


def lg_evidence(world, code):
    # A Kupang document under a Jambi address must still be 404.
    return {**lg_period_indicator(world, code), "uid": world.evidence.uid}


def lg_report(world, code):
    return {**lg_period(world, code), "fmt": "pdf"}


def lg_scenario(world, code):
    # A Kupang scenario, also under a Jambi address (which must answer 404).
    from sikla.evaluation.actions import save_scenario
    from sikla.evaluation.models import Scenario

    scenario = Scenario.objects.first() or save_scenario(
        world.periods[KUPANG], actor=world.secretariat, name="Uji", changed={"1.2": "yes"}
    )
    return {**lg_period(world, code), "uid": scenario.uid}


def lg_report_job(world, code):
    # A Kupang report job, also under a Jambi address (which must answer 404).
    from sikla.evaluation.actions import request_report
    from sikla.evaluation.models import ReportJob

    job = ReportJob.objects.first() or request_report(
        world.periods[KUPANG], actor=world.secretariat, fmt="pdf"
    )
    return {**lg_period(world, code), "uid": job.uid}


def _protection(world):
    """A Kupang case with one of everything (child, perpetrator, referral, documents), once per
    world. Protection routes under a Jambi address get Kupang's objects and must answer 404."""
    if not hasattr(world, "protection"):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from sikla.protection import actions

        pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n% uji\n", content_type="application/pdf")
        complaint = actions.submit_public_complaint(
            local_government=world.kupang, description="Laporan uji.", files=[pdf]
        )
        case = actions.take_complaint(
            actions.submit_public_complaint(local_government=world.kupang, description="Uji."),
            actor=world.case_worker,
        )
        worker, today = world.case_worker, timezone.localdate()
        child = actions.save_child(case, actor=worker, name="Anak Uji", age=9, sex="P")
        perpetrator = actions.add_perpetrator(case, actor=worker, relationship="unknown")
        actions.record_consent(
            case, actor=worker, obtained=True, guardian_relation="parent", given_on=today
        )
        referral = actions.refer_case(
            case, actor=worker, kind="referral", institution="RS", reason="Uji", sent_on=today
        )
        pdf2 = SimpleUploadedFile("b.pdf", b"%PDF-1.4\n% dua\n", content_type="application/pdf")
        service = actions.record_service(
            case, actor=worker, kind="outreach", date=today, provider="UPTD", files=[pdf2]
        )
        world.protection = {
            "complaint": complaint,
            "case": case,
            "child": child,
            "perpetrator": perpetrator,
            "referral": referral,
            "document": service.documents.get(),
            "complaint_document": complaint.documents.get(),
        }
    return world.protection


def lg_complaint(world, code):
    return {"code": code, "uid": _protection(world)["complaint"].uid}


def lg_complaint_document(world, code):
    p = _protection(world)
    return {**lg_complaint(world, code), "item": p["complaint_document"].uid}


def lg_case(world, code):
    return {"code": code, "uid": _protection(world)["case"].uid}


def _lg_case_item(name):
    def kwargs(world, code):
        return {**lg_case(world, code), "item": _protection(world)[name].uid}

    return kwargs


def _planning(world):
    """A held Kupang meeting with a decision, a follow-up with evidence and a document."""
    if not hasattr(world, "planning"):
        from datetime import timedelta

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from sikla.planning import actions

        now = timezone.now()
        dinkes = world.agency(KUPANG, "Dinkes")
        meeting = actions.schedule_meeting(
            actor=world.secretariat,
            local_government=world.kupang,
            invited=[dinkes],
            kind="task_force",
            title="Rapat uji",
            agenda="Uji",
            starts_at=now - timedelta(hours=2),
            ends_at=now - timedelta(hours=1),
            place="Aula",
        )
        actions.record_meeting(meeting, actor=world.secretariat, present={dinkes.pk: True})
        pdf = SimpleUploadedFile("n.pdf", b"%PDF-1.4\n% notulen\n")
        document = actions.upload_meeting_document(
            meeting, actor=world.secretariat, upload=pdf, title="Notulen"
        )
        decision = actions.add_decision(
            meeting,
            actor=world.secretariat,
            text="Uji",
            follow_ups=[{"agency": dinkes, "title": "Tugas uji", "due_date": now.date()}],
        )
        follow_up = decision.follow_ups.get()
        evidence = actions.update_follow_up(
            follow_up,
            actor=world.agency_operator,
            status="in_progress",
            upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4\n% bukti\n"),
        )
        world.planning = {
            "meeting": meeting,
            "document": document,
            "follow_up": follow_up,
            "evidence": evidence,
        }
    return world.planning


def lg_meeting(world, code):
    return {"code": code, "uid": _planning(world)["meeting"].uid}


def lg_meeting_document(world, code):
    return {**lg_meeting(world, code), "item": _planning(world)["document"].uid}


def lg_follow_up(world, code):
    return {"code": code, "uid": _planning(world)["follow_up"].uid}


def lg_follow_up_evidence(world, code):
    return {**lg_follow_up(world, code), "item": _planning(world)["evidence"].uid}


def meeting_uid(world, code):
    return {"uid": _planning(world)["meeting"].uid}


def follow_up_uid(world, code):
    return {"uid": _planning(world)["follow_up"].uid}


def lg_village(world, code):
    return {"code": code, "region_code": code + ".01.1001"}


def lg_village_year(world, code):
    return {**lg_village(world, code), "year": PERIOD_YEAR - 1}


def lg_village_evidence(world, code):
    """A Kupang checklist document, also under a Jambi address (which must answer 404)."""
    if not hasattr(world, "village_evidence"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from sikla.regions.models import Region
        from sikla.villages import actions as village_actions

        world.village_evidence = village_actions.upload_evidence(
            actor=world.secretariat,
            local_government=world.kupang,
            region=Region.objects.get(code=KUPANG + ".01.1001"),
            year=PERIOD_YEAR - 1,
            item="patbm",
            upload=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n% patbm\n"),
        )
    return {**lg_village(world, code), "uid": world.village_evidence.uid}


def _plan(world):
    """An adopted Kupang RAD KLA in force this year, a programme, one report with evidence."""
    if not hasattr(world, "plan"):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from sikla.indicators.models import Indicator
        from sikla.planning import actions

        year = timezone.localdate().year
        plan = actions.create_plan(
            actor=world.secretariat,
            local_government=world.kupang,
            title="RAD uji",
            start_year=year,
            end_year=year + 4,
        )
        programme = actions.add_programme(
            plan,
            actor=world.secretariat,
            name="Program uji",
            lead_agency=world.agency(KUPANG, "Dinkes"),
            indicators=[Indicator.objects.filter(number=12).first()],
        )
        actions.adopt_plan(
            plan,
            actor=world.secretariat,
            decree_number="Perwal uji",
            decree_date=timezone.localdate(),
        )
        report, _created = actions.report_progress(
            programme,
            actor=world.agency_operator,
            year=year,
            quarter=1,
            output_achieved=1,
            realisation=1,
            narrative="Uji",
            upload=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n% progres\n"),
        )
        world.plan = {"plan": plan, "programme": programme, "report": report}
    return world.plan


def lg_plan(world, code):
    return {"code": code, "uid": _plan(world)["plan"].uid}


def lg_programme(world, code):
    return {"code": code, "uid": _plan(world)["programme"].uid}


def lg_progress(world, code):
    return {**lg_programme(world, code), "report": _plan(world)["report"].uid}


def programme_uid(world, code):
    return {"uid": _plan(world)["programme"].uid}


def lg_data_year(world, code):
    return {"code": code, "year": PERIOD_YEAR - 1}


def tracking_code(world, code):
    return {"tracking_code": "ABCD-EFGH"}


def number(world, code):
    return {"number": 1}


# route name -> converter values
ROUTES = {
    "core:home": no_args,
    "core:switch_lg": no_args,
    "ops:healthz": no_args,
    "ops:readyz": no_args,
    "ops:metrics": no_args,
    "accounts:login": no_args,
    "accounts:logout": no_args,
    "accounts:me": no_args,
    "accounts:password_change": no_args,
    "accounts:second_factor_enrol": no_args,
    "accounts:second_factor_verify": no_args,
    "accounts:users": no_args,
    "accounts:user_create": no_args,
    "accounts:user_detail": account,
    "accounts:user_toggle": account,
    "accounts:user_set_password": account,
    "accounts:user_revoke_tokens": account,
    "accounts:user_reset_second_factor": account,
    "accounts:revoke_own_token": lambda world, code: {"pk": 999_999},
    "api:auth_tokens": no_args,
    "api:auth_token_revoke": lambda world, code: {"prefix": "tidakada"},
    "organisations:list": no_args,
    "organisations:register": no_args,
    "organisations:detail": lg,
    "organisations:edit": lg,
    "organisations:logo": lg,
    "organisations:agencies": lg,
    "organisations:agency_create": lg,
    "organisations:agency_edit": lg_agency,
    "organisations:agency_toggle": lg_agency,
    "organisations:task_force": lg,
    "organisations:task_force_edit": lg,
    "organisations:member_add": lg,
    "organisations:member_remove": lg_member,
    "organisations:history": lg,
    "collection:my_indicators": no_args,
    "collection:periods": lg,
    "collection:period": lg_period,
    "collection:progress": lg_period,
    "collection:period_export": lg_period_export,
    "collection:spreadsheet_template": lg_period_indicator,
    "collection:spreadsheet_import": lg_period_indicator,
    "collection:spreadsheet_import_confirm": lg_period_indicator,
    "collection:period_deadlines": lg_period,
    "collection:period_status": lg_period,
    "collection:confirm_assignments": lg_period,
    "collection:assignment": lg_period_indicator,
    "collection:submission": lg_period_indicator,
    "collection:submission_totals": lg_period_indicator,
    "collection:transition": lg_period_step,
    "collection:evidence_upload": lg_period_indicator,
    "collection:evidence_file": lg_evidence,
    "collection:evidence_delete": lg_evidence,
    "evaluation:rollup": no_args,
    "evaluation:season": no_args,
    "evaluation:losses": no_args,
    "evaluation:trends": no_args,
    "api:monitoring": lambda world, code: {"year": PERIOD_YEAR},
    "api:monitoring_indicators": lambda world, code: {"year": PERIOD_YEAR},
    "evaluation:categories": lg,
    "evaluation:overview": lg_period,
    "evaluation:submit": lg_period,
    "evaluation:complete": lg_period,
    "evaluation:determine": lg_period,
    "evaluation:indicator": lg_period_indicator,
    "evaluation:review": lg_period_indicator,
    "evaluation:gaps": lg_period,
    "evaluation:simulation": lg_period,
    "evaluation:scenario": lg_scenario,
    "evaluation:scenario_delete": lg_scenario,
    "evaluation:corrections": lg_period,
    "evaluation:correction_upload": lg_period,
    "evaluation:report": lg_report,
    "evaluation:report_job": lg_report_job,
    "evaluation:report_job_file": lg_report_job,
    "api:evaluation": lg_period,
    "api:evaluation_simulate": lg_period,
    "api:evaluation_answers": lg_period,
    "api:evaluation_answers_put": lg_period,
    "api:category_history": lg,
    "core:notifications": no_args,
    "core:holidays": no_args,
    "protection:report_start": no_args,
    "protection:report_sent": no_args,
    "protection:report_status": no_args,
    "protection:report": lg,
    "protection:home": lg,
    "protection:complaints": lg,
    "protection:complaint_create": lg,
    "protection:complaint": lg_complaint,
    "protection:complaint_triage": lg_complaint,
    "protection:complaint_take": lg_complaint,
    "protection:complaint_dismiss": lg_complaint,
    "protection:complaint_document": lg_complaint_document,
    "protection:cases": lg,
    "protection:case_search": lg,
    "protection:case": lg_case,
    "protection:case_edit": lg_case,
    "protection:child_add": lg_case,
    "protection:child_edit": _lg_case_item("child"),
    "protection:perpetrator_add": lg_case,
    "protection:perpetrator_remove": _lg_case_item("perpetrator"),
    "protection:case_transition": lg_case,
    "protection:case_assign": lg_case,
    "protection:service_add": lg_case,
    "protection:consent_add": lg_case,
    "protection:referral_add": lg_case,
    "protection:referral_update": _lg_case_item("referral"),
    "protection:break_glass": lg_case,
    "protection:reveal_nik": lambda world, code: {
        **lg_case(world, code),
        "child": _protection(world)["child"].uid,
    },
    "protection:document": _lg_case_item("document"),
    "protection:export_identified": lg,
    "protection:export_download": lambda world, code: {"code": code, "token": "tidak-ada"},
    "protection:access_log": lg,
    "protection:statistics": lg,
    "protection:statistics_areas": lg,
    "protection:statistics_xlsx": lg,
    "api:cases": lg,
    "api:case": lg_case,
    "api:case_services": lg_case,
    "api:case_transition": lg_case,
    "api:protection_statistics": lg,
    "api:complaint_create": no_args,
    "api:complaint_status": tracking_code,
    "planning:meetings": lg,
    "planning:meeting_create": lg,
    "planning:meeting": lg_meeting,
    "planning:meeting_edit": lg_meeting,
    "planning:meeting_record": lg_meeting,
    "planning:meeting_decision": lg_meeting,
    "planning:meeting_document_upload": lg_meeting,
    "planning:meeting_document": lg_meeting_document,
    "planning:meeting_cancel": lg_meeting,
    "planning:meeting_ics": lg_meeting,
    "planning:follow_ups": lg,
    "planning:follow_up_create": lg,
    "planning:follow_up": lg_follow_up,
    "planning:follow_up_evidence": lg_follow_up_evidence,
    "planning:my_follow_ups": no_args,
    "planning:coordination": lg,
    "api:meetings": lg,
    "api:meeting_create": lg,
    "api:meeting_follow_ups": meeting_uid,
    "api:follow_up_update": follow_up_uid,
    "api:follow_ups": lg,
    "planning:plan": lg,
    "planning:plan_create": lg,
    "planning:plan_edit": lg_plan,
    "planning:plan_adopt": lg_plan,
    "planning:plan_apbd": lg_plan,
    "planning:plan_export": lg_plan,
    "planning:programme_create": lg_plan,
    "planning:programme": lg_programme,
    "planning:programme_edit": lg_programme,
    "planning:programme_target": lg_programme,
    "planning:programme_budget": lg_programme,
    "planning:programme_progress": lg_programme,
    "planning:progress_accept": lg_progress,
    "planning:progress_file": lg_progress,
    "api:plan": lg,
    "api:programme_progress": programme_uid,
    "villages:overview": lg,
    "villages:export": lg,
    "villages:area": lg_village,
    "villages:status_edit": lg_village,
    "villages:checklist_edit": lg_village_year,
    "villages:evidence": lg_village_evidence,
    "api:villages": lg,
    "api:village_shares": lg,
    "api:village_update": lg_village,
    **PARTICIPATION_ROUTES,
    "dashboards:portal_list": no_args,
    "dashboards:portal": lg,
    "dashboards:profile_index": lg,
    "dashboards:profile": lg_data_year,
    "dashboards:profile_population": lg_data_year,
    "dashboards:profile_pdf": lg_data_year,
    "api:children_profile": lg_data_year,
    "api:portal_list": no_args,
    "api:portal": lg,
    "indicators:index": no_args,
    "indicators:cluster": number,
    "indicators:indicator": number,
    "regions:browse": no_args,
    "regions:detail": region,
    "set_language": no_args,
    "api:api-root": no_args,
    "api:openapi-json": no_args,
    "api:openapi-view": no_args,
    "api:token": no_args,
    "api:region_detail": region,
    "api:catalog": no_args,
    "api:local_governments": no_args,
    "api:local_government": lg,
    "api:period_submissions": lg_period,
    "api:submission_values": submission_uid,
    "api:replace_values": submission_uid,
    "api:update_values": submission_uid,
    "api:submission_evidence": submission_uid,
    "api:submission_submit": submission_uid,
    "api:submission_return": submission_uid,
    "api:submission_approve": submission_uid,
}

# The whole public surface, and what an anonymous GET answers.
PUBLIC = {
    "core:home": 200,  # the front door: report, portal, consultations, then the staff login
    "accounts:login": 200,
    "set_language": 302,  # back to the page the visitor came from
    "ops:healthz": 200,
    "ops:readyz": 200,
    "ops:metrics": 200,  # the test client comes from 127.0.0.1, an allowed address
    "api:api-root": 404,  # django-ninja's placeholder: it only names the API's base path
    "api:openapi-json": 200,
    "api:openapi-view": 200,
    "api:token": 405,  # POST only
    "api:region_detail": 200,
    "api:catalog": 200,
    # The public complaint channel (issue 5): no login, no tenant data.
    "protection:report_start": 200,  # two local governments take reports: the list
    "protection:report_sent": 302,  # nothing sent in this session: back to the start
    "protection:report_status": 200,
    "protection:report": 200,
    "api:complaint_create": 405,  # POST only
    "api:complaint_status": 404,  # an unknown code
    # Public consultations (issue 6): read and comment without a login.
    **PARTICIPATION_PUBLIC,
    # The public portal of each local government (issue 6): de-identified, no login.
    "dashboards:portal_list": 200,
    "dashboards:portal": 200,
    "api:portal_list": 200,
    "api:portal": 200,
}

# Valid bodies for POST routes whose body has required fields.
API_BODIES = {
    "api:case_services": {"kind": "outreach", "date": "2026-01-05", "provider": "UPTD PPA"},
    "api:case_transition": {"to_status": "assessed"},
    "api:follow_up_update": {"status": "done", "note": "Selesai"},
    "api:village_update": {"status": "initiated"},
    **PARTICIPATION_BODIES,
    "api:programme_progress": {
        "year": 2026,
        "quarter": 1,
        "output_achieved": "1",
        "realisation": "1",
        "narrative": "Uji",
    },
    "api:meeting_create": {
        "kind": "task_force",
        "title": "Rapat",
        "agenda": "Agenda",
        "starts_at": "2026-03-02T09:00:00+07:00",
        "ends_at": "2026-03-02T11:00:00+07:00",
        "place": "Aula",
    },
}

NO_SERVER_ERROR = {200, 302, 403, 404, 405}


def iter_routes(patterns=None, namespace="", prefix=""):
    """(route name, route text, converter names) of every pattern, included ones too."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if str(entry.pattern) in SKIPPED_RESOLVERS:
                continue
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from iter_routes(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, route, set(entry.pattern.converters)


ALL_ROUTES = list(iter_routes())


def url_for(name, world, code=KUPANG):
    return reverse(name, kwargs=ROUTES[name](world, code))


def test_it_knows_every_route():
    names = [name for name, _route, _converters in ALL_ROUTES]
    assert None not in names, "every route needs a name to be walked"
    assert len(names) == len(set(names))
    assert set(names) == set(ROUTES), "add new routes to ROUTES (and PUBLIC if public)"
    assert set(PUBLIC) <= set(ROUTES)


def test_it_walks_every_include_but_the_skipped_ones():
    assert SKIPPED_RESOLVERS == {}
    walked = {route for _n, route, _c in ALL_ROUTES}
    for entry in get_resolver().url_patterns:
        prefix = str(entry.pattern)
        if isinstance(entry, URLResolver) and prefix not in SKIPPED_RESOLVERS:
            assert any(route.startswith(prefix) for route in walked), prefix
    assert not any(route.startswith("admin/") for route in walked)


@pytest.mark.parametrize("name", sorted(set(ROUTES) - set(PUBLIC)))
def test_it_sends_anonymous_visitors_to_the_login_page(client, world, name):
    url = url_for(name, world)
    response = client.get(url)
    if name.startswith("api:"):
        if response.status_code == 405:  # e.g. POST-only: the method is checked first
            method = response["Allow"].split(",")[0].strip().lower()
            response = getattr(client, method)(url)
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()
    else:
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(("name", "status"), PUBLIC.items())
def test_it_serves_the_public_routes_without_a_login(client, world, name, status):
    response = client.get(url_for(name, world))
    assert response.status_code == status
    if status == 302:
        assert not response.url.startswith(reverse("accounts:login"))
    if name == "api:openapi-json":
        assert "paths" in json.loads(response.content)


@pytest.mark.parametrize("persona", ["secretariat", "national_admin", "case_supervisor"])
def test_it_never_fails_on_any_page(client, world, persona):
    client.force_login(world.persona(persona))
    answers = {name: client.get(url_for(name, world)).status_code for name in ROUTES}
    assert {name: s for name, s in answers.items() if s not in NO_SERVER_ERROR} == {}
    # the pages of the own local government really render
    assert answers["organisations:detail"] == answers["organisations:agencies"] == 200
    assert answers["api:local_government"] == 200


def _converters(name):
    return next(c for n, _r, c in ALL_ROUTES if n == name)


CODE_ROUTES = sorted(name for name, _route, converters in ALL_ROUTES if "code" in converters)


def test_it_checks_leaks_on_every_tenant_route_that_takes_a_code():
    tenant_pages = {
        name
        for name in ROUTES
        if name.startswith(
            (
                "organisations:",
                "collection:",
                "evaluation:",
                "protection:",
                "planning:",
                "villages:",
                "participation:",
                "dashboards:",
            )
        )
    }
    assert set(CODE_ROUTES) - REFERENCE_ROUTES - PUBLIC_CODE_ROUTES == tenant_pages - {
        "organisations:list",
        "organisations:register",
        "collection:my_indicators",
        "evaluation:rollup",
        "evaluation:season",
        "evaluation:losses",
        "evaluation:trends",
        "protection:report_start",
        "protection:report_sent",
        "protection:report_status",
        "protection:report",
        "planning:my_follow_ups",
        "participation:public_list",
        "participation:public_detail",
        "participation:public_document",
        "dashboards:portal_list",
        "dashboards:portal",
    } | {
        "api:local_government",
        "api:period_submissions",
        "api:evaluation",
        "api:evaluation_simulate",
        "api:evaluation_answers",
        "api:evaluation_answers_put",
        "api:category_history",
        "api:cases",
        "api:case",
        "api:case_services",
        "api:case_transition",
        "api:protection_statistics",
        "api:meetings",
        "api:meeting_create",
        "api:follow_ups",
        "api:plan",
        "api:villages",
        "api:village_shares",
        "api:village_update",
        "api:consultations",
        "api:child_forums",
        "api:partners",
        "api:children_profile",
    }


@pytest.mark.parametrize("name", sorted(set(CODE_ROUTES) - REFERENCE_ROUTES - PUBLIC_CODE_ROUTES))
def test_it_answers_404_for_jambi_to_the_kupang_secretariat(client, world, name):
    client.force_login(world.secretariat)
    url = url_for(name, world, JAMBI)
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action: try it the way a form would
        if name.startswith("api:"):  # a valid body, so only access decides
            body = json.dumps(API_BODIES.get(name, {}))
            method = response["Allow"].split(",")[0].strip().lower()
            response = getattr(client, method)(url, body, content_type="application/json")
        else:
            response = client.post(url)
    assert response.status_code == 404
    # ... while the Jambi secretariat reaches the same address
    client.force_login(world.jambi_secretariat)
    assert client.get(url).status_code != 404 or name in {
        "organisations:logo",  # Jambi has no logo
        "organisations:member_remove",  # the member belongs to Kupang's task force
        "collection:evidence_file",  # the document belongs to Kupang's submission
        "collection:evidence_delete",
        "evaluation:scenario",  # the scenario belongs to Kupang's evaluation
        "evaluation:scenario_delete",
        "evaluation:report_job",  # the report belongs to Kupang's evaluation
        "evaluation:report_job_file",
        "villages:evidence",  # the document belongs to Kupang's kelurahan
        "api:plan",  # Jambi has no action plan
        *PARTICIPATION_OBJECTS,  # Kupang's forum, record, consultation, partner
    } | {  # Kupang's case and complaint objects under a Jambi address
        n
        for n in ROUTES
        if ROUTES[n]
        in (
            lg_case,
            lg_complaint,
            lg_complaint_document,
            lg_meeting,
            lg_meeting_document,
            lg_follow_up,
            lg_follow_up_evidence,
            lg_plan,
            lg_programme,
            lg_progress,
        )
    } | {n for n in ROUTES if n.startswith("protection:") and "item" in _converters(n)}


@pytest.mark.parametrize("name", sorted(n for n in ROUTES if ROUTES[n] is account))
def test_it_answers_404_for_a_jambi_account_to_the_kupang_secretariat(client, world, name):
    client.force_login(world.secretariat)
    url = url_for(name, world, JAMBI)
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    assert response.status_code == 404
    world.jambi_secretariat.refresh_from_db()
    assert world.jambi_secretariat.is_active
