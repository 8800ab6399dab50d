"""The action-plan API: the plan with programmes, targets, budgets and realisation; quarterly
progress (201 new, 200 corrected, 403 another agency's programme, 404 another region, 422 with
the field that is wrong); the OpenAPI contract names both routes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sikla.accounts.models import Role
from sikla.planning import actions
from sikla.planning.models import ProgressReport
from tests.personas import JAMBI, KUPANG, PASSWORD, extra_user, world_fixture  # noqa: F401
from tests.planning.test_plan_actions import _frozen, build_plan, plan_fixture, report  # noqa: F401
from tests.second_factor import otp_for

D = Decimal
PLAN = f"/api/v1/local-governments/{KUPANG}/plan"


def bearer(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD, **otp_for(user)},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def progress_url(programme) -> str:
    return f"/api/v1/programmes/{programme.uid}/progress"


BODY = {
    "year": 2026,
    "quarter": 1,
    "output_achieved": "1700",
    "realisation": "268571429.00",
    "narrative": "Intervensi gizi berjalan.",
}


def test_the_route_names_reverse():
    assert reverse("api:plan", kwargs={"code": KUPANG}) == PLAN
    uid = "6f1c1d36-3b5e-4c4b-a0a4-1c7b0f0a0b0c"
    assert (
        reverse("api:programme_progress", kwargs={"uid": uid})
        == f"/api/v1/programmes/{uid}/progress"
    )


def test_the_plan_carries_programmes_targets_budgets_and_the_apbd_share(client, world, plan):
    s = world.secretariat
    actions.set_target(plan.stunting, actor=s, year=2026, output_target=D(8500))
    actions.set_budget(
        plan.stunting, actor=s, year=2026, source="apbd", planned=D(300), realised=D(150)
    )
    actions.set_budget(
        plan.stunting, actor=s, year=2026, source="dak", planned=D(100), realised=D(120)
    )
    actions.set_local_budget(plan.plan, actor=s, year=2026, total_apbd=D(10000))
    report(plan.stunting, world.agency_operator, quarter=1, output="7", money="99")

    response = client.get(PLAN, **bearer(client, world.viewer))

    assert response.status_code == 200
    body = response.json()
    assert (body["uid"], body["status"], body["start_year"], body["end_year"]) == (
        str(plan.plan.uid),
        "adopted",
        2025,
        2029,
    )
    assert D(body["total"]["planned"]) == 400 and D(body["total"]["realisation_pct"]) == D("67.50")
    year = next(y for y in body["years"] if y["year"] == 2026)
    assert D(year["planned_share"]) == D("3.00") and D(year["realised_share"]) == D("1.50")
    assert next(y for y in body["years"] if y["year"] == 2025)["total_apbd"] is None
    stunting = next(p for p in body["programmes"] if p["uid"] == str(plan.stunting.uid))
    assert stunting["indicators"] == [12, 13]
    assert stunting["lead_agency"]["abbreviation"] == "Dinkes"
    assert [(t["year"], D(t["output_target"])) for t in stunting["targets"]] == [(2026, 8500)]
    assert [(b["source"], b["over_realised"]) for b in stunting["budgets"]] == [
        ("apbd", False),
        ("dak", True),
    ]
    assert (
        stunting["progress"][0]["quarter"] == 1 and stunting["progress"][0]["status"] == "submitted"
    )


def test_the_plan_is_404_outside_the_scope_or_when_there_is_none(client, world, plan):
    assert client.get(PLAN, **bearer(client, world.jambi_secretariat)).status_code == 404
    jambi = client.get(
        f"/api/v1/local-governments/{JAMBI}/plan", **bearer(client, world.secretariat)
    )
    assert jambi.status_code == 404 and jambi.json()["detail"]
    assert client.get(PLAN).status_code == 401


def test_a_plan_is_chosen_by_its_uid(client, world, plan):
    other = actions.create_plan(
        actor=world.secretariat,
        local_government=world.kupang,
        title="RAD 2030",
        start_year=2030,
        end_year=2034,
    )
    body = client.get(PLAN + f"?plan={other.uid}", **bearer(client, world.viewer)).json()
    assert body["title"] == "RAD 2030" and body["programmes"] == []


def test_an_operator_reports_progress_then_corrects_it(client, world, plan):
    headers = bearer(client, world.agency_operator)
    first = client.post(
        progress_url(plan.stunting), BODY, content_type="application/json", **headers
    )
    assert first.status_code == 201, first.content
    assert D(first.json()["realisation"]) == D("268571429.00")
    again = client.post(
        progress_url(plan.stunting),
        {**BODY, "output_achieved": "1800"},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 200 and again.json()["uid"] == first.json()["uid"]
    assert ProgressReport.objects.get().output_achieved == D(1800)
    actions.accept_progress(ProgressReport.objects.get(), actor=world.secretariat)
    late = client.post(
        progress_url(plan.stunting), BODY, content_type="application/json", **headers
    )
    assert late.status_code == 422 and "quarter" in late.json()["errors"]


def test_an_operator_of_another_agency_is_refused_with_403(client, world, plan):
    headers = bearer(client, world.agency_operator)  # Dinkes
    response = client.post(
        progress_url(plan.marriage), BODY, content_type="application/json", **headers
    )
    assert response.status_code == 403 and response.json()["detail"]
    dp3a = extra_user(world, "operator.dp3a", Role.AGENCY_OPERATOR, agency="DP3A")
    response = client.post(
        progress_url(plan.marriage), BODY, content_type="application/json", **bearer(client, dp3a)
    )
    assert response.status_code == 201


@pytest.mark.parametrize("persona", ["viewer", "task_force_chair"])
def test_read_only_roles_are_refused_with_403(client, world, plan, persona):
    headers = bearer(client, world.persona(persona))
    response = client.post(
        progress_url(plan.stunting), BODY, content_type="application/json", **headers
    )
    assert response.status_code == 403


def test_another_region_is_404(client, world, plan):
    headers = bearer(client, world.jambi_secretariat)
    response = client.post(
        progress_url(plan.stunting), BODY, content_type="application/json", **headers
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quarter": 5}, "quarter"),
        ({"quarter": 3}, "quarter"),  # not started yet (frozen in May 2026)
        ({"year": 2031}, "year"),
        ({"realisation": "-1"}, "realisation"),
        ({"output_achieved": "1.005"}, "output_achieved"),
        ({"narrative": ""}, "narrative"),
    ],
)
def test_a_wrong_report_is_422_naming_the_field(client, world, plan, change, field):
    response = client.post(
        progress_url(plan.stunting),
        {**BODY, **change},
        content_type="application/json",
        **bearer(client, world.secretariat),
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_a_draft_plan_takes_no_report_over_the_api(client, world):
    draft = build_plan(world, adopt=False)
    response = client.post(
        progress_url(draft.stunting),
        BODY,
        content_type="application/json",
        **bearer(client, world.secretariat),
    )
    assert response.status_code == 422 and "belum ditetapkan" in response.json()["detail"]


def test_the_openapi_contract_describes_both_routes(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/local-governments/{code}/plan"]
    operation = paths["/api/v1/programmes/{uid}/progress"]["post"]
    assert {"200", "201", "403", "404", "422"} <= set(operation["responses"])
