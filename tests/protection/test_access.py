"""The protection compartment as a table: every case page and route × every persona.

Only the UPTD PPA of Kota Kupang reaches its complaints and cases; a case worker only the cases
assigned to them (others through break-the-glass); supervisors everything of the unit. Everybody
else — secretariat, evaluators, the ministry, national admins, agency operators, another local
government's case worker — gets 403 or 404 and never a child's name, NIK or report text; they
see de-identified statistics only.
"""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from sikla.accounts.actions import create_user
from sikla.accounts.models import Role
from tests.personas import JAMBI, KUPANG, PASSWORD, extra_user
from tests.test_url_walk import (
    API_BODIES,
    ROUTES,
    _protection,
    lg_complaint,
    lg_complaint_document,
)

PROTECTION = sorted(
    n
    for n in ROUTES
    if (n.startswith("protection:") and not n.startswith("protection:report"))
    or n in {"api:cases", "api:case", "api:case_services", "api:case_transition"}
    or n == "api:protection_statistics"
)
STATISTICS = {
    "protection:statistics",
    "protection:statistics_areas",
    "protection:statistics_xlsx",
    "api:protection_statistics",
}
SUPERVISOR_ONLY = {
    "protection:case_assign",
    "protection:export_identified",
    "protection:export_download",
    "protection:access_log",
}
CASE_ROUTES = {
    "protection:case",
    "protection:case_edit",
    "protection:case_transition",
    "protection:case_assign",
    "protection:child_add",
    "protection:child_edit",
    "protection:perpetrator_add",
    "protection:perpetrator_remove",
    "protection:service_add",
    "protection:consent_add",
    "protection:referral_add",
    "protection:referral_update",
    "protection:break_glass",
    "protection:reveal_nik",
    "protection:document",
    "api:case",
    "api:case_services",
    "api:case_transition",
}
POST_ONLY = {
    "protection:complaint_triage",
    "protection:complaint_take",
    "protection:complaint_dismiss",
    "protection:case_search",
    "protection:perpetrator_remove",
    "protection:case_transition",
    "protection:referral_update",
    "protection:reveal_nik",
    "api:case_services",
    "api:case_transition",
}
NON_UNIT = [
    "national_admin",
    "national_evaluator",
    "provincial_evaluator",
    "secretariat",
    "task_force_chair",
    "agency_operator",
    "village_officer",
    "viewer",
]
PERSONAS = [
    "anonymous",
    *NON_UNIT,
    "jambi_secretariat",
    "jambi_case_worker",
    "case_worker",
    "other_worker",
    "case_supervisor",
]
IDENTITIES = ["Anak Uji", "Laporan uji", "Melati"]
OK_PAGE, OK_API = {200, 302}, {200, 201, 422}


def expected(persona: str, name: str) -> set[int]:
    api = name.startswith("api:")
    if persona == "anonymous":
        return {401} if api else {302}
    if persona.startswith("jambi"):
        return {404}
    if name in STATISTICS:
        return {403} if persona == "village_officer" else {200}
    if persona in NON_UNIT:
        # the unit's start page sends everybody else to the de-identified statistics
        return {302} if name == "protection:home" else {403}
    ok = OK_API if api else OK_PAGE
    if persona == "case_supervisor":
        # a download link that was never made is not found, even for a supervisor
        return {404} if name == "protection:export_download" else ok
    if name in SUPERVISOR_ONLY:
        return {403}
    if persona == "other_worker" and name in CASE_ROUTES:
        # opening the case sends them to the emergency form, which itself answers 403
        return {302} if name == "protection:case" else {403}
    return ok


def request(client, name: str, url: str):
    if name not in POST_ONLY:
        return client.get(url)
    if name.startswith("api:"):
        body = json.dumps(API_BODIES.get(name, {}))
        return client.post(url, body, content_type="application/json")
    return client.post(url, {})


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_protection_route_answers_each_persona_as_the_rule_says(client, world, persona):
    objects = _protection(world)
    jambi_worker = create_user(
        actor=world.national_admin,
        username="pendamping.jambi",
        full_name="Pendamping Jambi",
        role=Role.CASE_WORKER,
        scope=JAMBI,
        password=PASSWORD,
    )
    users = {
        "jambi_case_worker": jambi_worker,
        "other_worker": extra_user(world, "pendamping.lain", Role.CASE_WORKER),
    }
    user = users.get(persona) or world.persona(persona)
    if user is not None:
        client.force_login(user)
    assert objects["case"].workers.filter(pk=world.case_worker.pk).exists()
    wrong = {}
    for name in PROTECTION:
        url = reverse(name, kwargs=ROUTES[name](world, KUPANG))
        response = request(client, name, url)
        if response.status_code not in expected(persona, name):
            wrong[name] = response.status_code
        pending_report = ROUTES[name] in (lg_complaint, lg_complaint_document)
        if persona not in ("case_worker", "case_supervisor") and not (
            persona == "other_worker" and pending_report  # the unit's shared intake queue
        ):
            body = response.content.decode(errors="replace")
            leaked = [i for i in IDENTITIES if i in body]
            assert not leaked, (name, leaked)
    assert wrong == {}


def test_the_unit_sees_identities_and_nobody_else_does_through_the_api(client, world):
    case = _protection(world)["case"]
    url = reverse("api:case", kwargs={"code": KUPANG, "uid": case.uid})
    client.force_login(world.case_worker)
    body = client.get(url).json()
    assert body["children"][0]["name"] == "Anak Uji"
    listing = client.get(reverse("api:cases", kwargs={"code": KUPANG})).json()
    assert listing["count"] == 1 and "Anak Uji" not in json.dumps(listing)
    for persona in NON_UNIT:
        client.force_login(world.persona(persona))
        response = client.get(url)
        assert response.status_code == 403 and "Anak" not in response.content.decode()


def test_the_api_records_services_and_moves_the_workflow(client, world):
    case = _protection(world)["case"]
    client.force_login(world.case_worker)
    base = {"code": KUPANG, "uid": case.uid}
    created = client.post(
        reverse("api:case_services", kwargs=base),
        json.dumps(
            {"kind": "psychological", "date": timezone.localdate().isoformat(), "provider": "P"}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind"] == "psychological"
    assert case.services.filter(kind="psychological").exists()
    moved = client.post(
        reverse("api:case_transition", kwargs=base),
        json.dumps({"to_status": "closed"}),
        content_type="application/json",
    )
    assert moved.status_code == 422 and "outcome" in moved.json()["errors"]
    moved = client.post(
        reverse("api:case_transition", kwargs=base),
        json.dumps({"to_status": "assessed"}),
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "assessed"


def test_a_taken_report_belongs_to_its_case_team(client, world):
    from sikla.protection import actions

    case = _protection(world)["case"]
    other = extra_user(world, "pendamping.lain", Role.CASE_WORKER)
    client.force_login(other)
    response = client.get(reverse("protection:complaint", args=[KUPANG, case.complaint.uid]))
    assert response.status_code == 302 and response.url.endswith(f"/kasus/{case.uid}/darurat/")
    pending = _protection(world)["complaint"]
    page = client.get(reverse("protection:complaint", args=[KUPANG, pending.uid]))
    assert page.status_code == 200 and "Laporan uji" in page.content.decode()
    actions.take_complaint(pending, actor=world.case_worker)
    again = client.get(reverse("protection:complaint", args=[KUPANG, pending.uid]))
    assert again.status_code == 302
