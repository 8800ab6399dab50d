"""Every URL of the project: login required unless on the short public list, no 500s, no leaks.

The walk reads the live URL configuration, so a new route fails `test_it_knows_every_route`
until it is added to ROUTES below with the objects that fill its converters.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

# Nothing is skipped: SIKLA mounts no Django admin (every write goes through actions).
SKIPPED_RESOLVERS: dict[str, str] = {}

# Regions are reference data everybody may read (Perm.VIEW_REFERENCE), so a region outside the
# user's scope is not a secret; tenant data is what must not leak.
REFERENCE_ROUTES = {"regions:detail", "api:region_detail"}


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


def number(world, code):
    return {"number": 1}


# route name -> converter values
ROUTES = {
    "core:home": no_args,
    "core:switch_lg": no_args,
    "core:health": no_args,
    "accounts:login": no_args,
    "accounts:logout": no_args,
    "accounts:me": no_args,
    "accounts:password_change": no_args,
    "accounts:users": no_args,
    "accounts:user_create": no_args,
    "accounts:user_detail": account,
    "accounts:user_toggle": account,
    "accounts:user_set_password": account,
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
    "api:submission_evidence": submission_uid,
    "api:submission_submit": submission_uid,
    "api:submission_return": submission_uid,
    "api:submission_approve": submission_uid,
}

# The whole public surface, and what an anonymous GET answers.
PUBLIC = {
    "accounts:login": 200,
    "set_language": 302,  # back to the page the visitor came from
    "core:health": 200,
    "api:api-root": 404,  # django-ninja's placeholder: it only names the API's base path
    "api:openapi-json": 200,
    "api:openapi-view": 200,
    "api:token": 405,  # POST only
    "api:region_detail": 200,
    "api:catalog": 200,
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
        if response.status_code == 405:  # a POST-only route: the method is checked first
            response = client.post(url)
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


@pytest.mark.parametrize("persona", ["secretariat", "national_admin"])
def test_it_never_fails_on_any_page(client, world, persona):
    client.force_login(world.persona(persona))
    answers = {name: client.get(url_for(name, world)).status_code for name in ROUTES}
    assert {name: s for name, s in answers.items() if s not in NO_SERVER_ERROR} == {}
    # the pages of the own local government really render
    assert answers["organisations:detail"] == answers["organisations:agencies"] == 200
    assert answers["api:local_government"] == 200


CODE_ROUTES = sorted(name for name, _route, converters in ALL_ROUTES if "code" in converters)


def test_it_checks_leaks_on_every_tenant_route_that_takes_a_code():
    tenant_pages = {
        name for name in ROUTES if name.startswith(("organisations:", "collection:", "evaluation:"))
    }
    assert set(CODE_ROUTES) - REFERENCE_ROUTES == tenant_pages - {
        "organisations:list",
        "organisations:register",
        "collection:my_indicators",
        "evaluation:rollup",
    } | {
        "api:local_government",
        "api:period_submissions",
        "api:evaluation",
        "api:evaluation_simulate",
        "api:evaluation_answers",
        "api:evaluation_answers_put",
        "api:category_history",
    }


@pytest.mark.parametrize("name", sorted(set(CODE_ROUTES) - REFERENCE_ROUTES))
def test_it_answers_404_for_jambi_to_the_kupang_secretariat(client, world, name):
    client.force_login(world.secretariat)
    url = url_for(name, world, JAMBI)
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action: try it the way a form would
        if name.startswith("api:"):  # a valid (empty) body, so only access decides
            response = client.post(url, "{}", content_type="application/json")
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
    }


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
