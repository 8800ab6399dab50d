"""The collection API: submissions, values (the page's rules), evidence and the review workflow."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sikla.accounts.models import Role
from sikla.collection import actions
from sikla.collection.models import PeriodStatus, SubmissionStatus
from tests.personas import JAMBI, KUPANG, PASSWORD, PERIOD_YEAR, extra_user, world_fixture  # noqa: F401
from tests.second_factor import otp_for

TOKEN_URL = "/api/v1/auth/token"
LIST_URL = f"/api/v1/local-governments/{KUPANG}/periods/{PERIOD_YEAR}/submissions"
# Indicator 11: a percentage per kecamatan (6 in Kupang), no disaggregation, led by Dinkes.
DISTRICTS = [f"53.71.0{i}" for i in range(1, 7)]


class Api:
    """The test client speaking as one user, with a bearer token."""

    def __init__(self, client, user):
        response = client.post(
            TOKEN_URL,
            {"username": user.username, "password": PASSWORD, **otp_for(user)},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    def get(self, url):
        return self.client.get(url, **self.headers)

    def put(self, url, body):
        return self.client.put(url, body, content_type="application/json", **self.headers)

    def patch(self, url, body):
        return self.client.patch(url, body, content_type="application/json", **self.headers)

    def post(self, url, body=None):
        return self.client.post(url, body or {}, content_type="application/json", **self.headers)

    def upload(self, url, data: dict):
        return self.client.post(url, data, **self.headers)


@pytest.fixture
def as_user(client, world):
    return lambda user: Api(client, user)


@pytest.fixture
def operator(as_user, world):
    return as_user(world.agency_operator)


@pytest.fixture
def secretariat(as_user, world):
    return as_user(world.secretariat)


@pytest.fixture
def second_secretary(world):
    return extra_user(world, "sekretariat.dua", Role.SECRETARIAT)


def submission_of(world, number=11):
    return world.periods[KUPANG].submissions.get(indicator__number=number)


def url(item, step="values"):
    return f"/api/v1/submissions/{item.uid}/{step}"


def cells(rows=DISTRICTS, numerator=9, denominator=10):
    return [{"region": code, "numerator": numerator, "denominator": denominator} for code in rows]


def assert_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    return response.json()


# --- the list -------------------------------------------------------------------------------


def test_it_lists_a_periods_submissions_to_the_agency_operator(operator):
    response = operator.get(LIST_URL)

    assert response.status_code == 200
    page = response.json()
    assert (page["count"], page["limit"], page["offset"]) == (24, 100, 0)
    rows = page["items"]
    assert len(rows) == 24
    assert [r["indicator"] for r in rows] == list(range(1, 25))
    eleven = rows[10]
    assert set(eleven) == {
        "uid",
        "indicator",
        "indicator_name",
        "status",
        "lead_agency",
        "supporting_agencies",
        "version",
        "submitted_at",
    }
    assert (eleven["lead_agency"], eleven["status"], eleven["version"]) == ("Dinkes", "draft", 1)
    assert eleven["submitted_at"] is None
    assert eleven["indicator_name"]


def test_it_lists_supporting_agencies_by_abbreviation(operator, world):
    # Indicator 2: Bappeda leads, DP3A supports (both exist in the personas' Kupang).
    row = operator.get(LIST_URL).json()["items"][1]
    assert (row["lead_agency"], row["supporting_agencies"]) == ("Bappeda", ["DP3A"])


def test_it_lists_in_a_bounded_number_of_queries(operator, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert operator.get(LIST_URL).status_code == 200


def test_it_hides_another_local_governments_period_as_404(as_user, world):
    jambi = as_user(world.jambi_secretariat)
    assert_error(jambi.get(LIST_URL), 404)
    assert jambi.get(LIST_URL.replace(KUPANG, JAMBI)).status_code == 200


def test_it_hides_another_local_governments_submission_as_404(as_user, world):
    jambi = as_user(world.jambi_secretariat)
    item = submission_of(world)
    assert_error(jambi.get(url(item)), 404)
    assert_error(jambi.put(url(item), {"version": 1, "values": cells()}), 404)
    assert_error(jambi.post(url(item, "submit")), 404)
    assert_error(jambi.upload(url(item, "evidence"), pdf_upload()), 404)


def test_it_answers_an_unknown_year_or_submission_with_404(operator):
    assert_error(operator.get(LIST_URL.replace(str(PERIOD_YEAR), "2031")), 404)
    assert_error(
        operator.get("/api/v1/submissions/00000000-0000-4000-8000-000000000000/values"), 404
    )


def test_it_asks_for_authentication(client, world):
    assert_error(client.get(LIST_URL), 401)
    assert_error(client.get(url(submission_of(world))), 401)


# --- values -----------------------------------------------------------------------------------


def test_it_shows_the_values_of_a_submission(operator, world):
    item = submission_of(world)
    actions.save_values(
        item,
        actor=world.agency_operator,
        values={("53.71.02", "", ""): (Decimal(3), Decimal(4), None)},
        narrative="Posyandu aktif.",
        expected_version=1,
    )

    response = operator.get(url(item))

    assert response.status_code == 200
    body = response.json()
    assert (body["uid"], body["version"], body["status"]) == (str(item.uid), 2, "draft")
    assert body["narrative"] == "Posyandu aktif."
    (value,) = body["values"]
    assert (value["region"], value["sex"], value["age_group"]) == ("53.71.02", "", "")
    assert (Decimal(value["numerator"]), Decimal(value["denominator"])) == (3, 4)
    assert value["value"] is None


def test_it_replaces_the_values_and_bumps_the_version(operator, world):
    item = submission_of(world)

    response = operator.put(
        url(item), {"version": 1, "narrative": "Rekap Puskesmas.", "values": cells()}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["narrative"] == "Rekap Puskesmas."
    assert [v["region"] for v in body["values"]] == DISTRICTS
    item.refresh_from_db()
    assert item.version == 2
    stored = {v.region_id: (v.numerator, v.denominator) for v in item.values.all()}
    assert stored == {code: (Decimal(9), Decimal(10)) for code in DISTRICTS}


def test_it_empties_the_cells_a_replacement_leaves_out(operator, world):
    item = submission_of(world)
    operator.put(url(item), {"version": 1, "values": cells()})

    response = operator.put(url(item), {"version": 2, "values": cells(DISTRICTS[:2])})

    assert response.status_code == 200
    assert sorted(item.values.values_list("region_id", flat=True)) == DISTRICTS[:2]
    # … and says which cells it cleared
    assert response.json()["cleared"] == [
        {"region": code, "sex": "", "age_group": ""} for code in DISTRICTS[2:]
    ]


def stored_of(item) -> dict[str, tuple]:
    return {v.region_id: (v.numerator, v.denominator) for v in item.values.all()}


def test_a_patch_touches_only_the_cells_sent(operator, world):
    item = submission_of(world)
    operator.put(url(item), {"version": 1, "narrative": "Rekap.", "values": cells()})

    response = operator.patch(
        url(item),
        {
            "version": 2,
            "values": [
                {"region": DISTRICTS[0], "numerator": 5, "denominator": 10},  # changed
                {"region": DISTRICTS[1], "numerator": None, "denominator": None},  # cleared
            ],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 3 and body["narrative"] == "Rekap."  # narrative not sent: kept
    assert body["cleared"] == [{"region": DISTRICTS[1], "sex": "", "age_group": ""}]
    assert stored_of(item) == {
        DISTRICTS[0]: (Decimal(5), Decimal(10)),
        **{code: (Decimal(9), Decimal(10)) for code in DISTRICTS[2:]},  # untouched
    }


def test_a_patch_honours_the_version_and_is_checked_like_the_page(operator, world):
    item = submission_of(world)
    operator.put(url(item), {"version": 1, "values": cells()})

    stale = operator.patch(url(item), {"version": 1, "values": cells(DISTRICTS[:1], 5)})
    body = assert_error(stale, 409)
    assert body["current_version"] == 2 and body["errors"][DISTRICTS[0]] == ["9/10", "5/10"]

    bad = operator.patch(
        url(item),
        {"version": 2, "values": [{"region": DISTRICTS[4], "numerator": 12, "denominator": 10}]},
    )
    assert assert_error(bad, 422)["errors"] == {
        "values[0].numerator": ["Pembilang (12) melebihi penyebut (10)."]
    }
    assert stored_of(item) == {code: (Decimal(9), Decimal(10)) for code in DISTRICTS}
    item.refresh_from_db()
    assert item.version == 2


def test_a_patch_of_an_availability_keeps_the_others(secretariat, world):
    item = submission_of(world, 1)
    assert (
        secretariat.patch(
            url(item), {"version": 1, "values": [{"region": KUPANG, "value": 1}]}
        ).json()["cleared"]
        == []
    )
    assert item.values.get().value == 1


def test_it_refuses_a_numerator_above_its_denominator_at_its_index(operator, world):
    item = submission_of(world)
    values = cells(DISTRICTS[:4])
    values[3] = {"region": DISTRICTS[3], "numerator": 12, "denominator": 10}

    response = operator.put(url(item), {"version": 1, "values": values})

    body = assert_error(response, 422)
    assert body["detail"] == "Data tidak valid."
    assert body["errors"] == {"values[3].numerator": ["Pembilang (12) melebihi penyebut (10)."]}
    item.refresh_from_db()
    assert (item.version, item.values.count()) == (1, 0)


def test_it_explains_a_half_filled_cell_with_the_pages_words(operator, world):
    response = operator.put(
        url(submission_of(world)),
        {"version": 1, "values": [{"region": DISTRICTS[0], "numerator": 3}]},
    )
    assert assert_error(response, 422)["errors"] == {
        "values[0].denominator": ["Isi penyebut juga."]
    }


def test_it_refuses_too_many_decimal_places_like_the_page(operator, world):
    response = operator.put(
        url(submission_of(world)),
        {
            "version": 1,
            "values": [{"region": DISTRICTS[0], "numerator": "1.234", "denominator": 10}],
        },
    )
    assert list(assert_error(response, 422)["errors"]) == ["values[0].numerator"]


def test_it_refuses_a_stale_version_with_409_and_the_differences(operator, world):
    item = submission_of(world)
    assert operator.put(url(item), {"version": 1, "values": cells()}).status_code == 200

    response = operator.put(url(item), {"version": 1, "values": cells(numerator=5)})

    body = assert_error(response, 409)
    assert body["current_version"] == 2
    assert body["errors"]["version"] == ["2"]
    assert body["errors"]["53.71.01"] == ["9/10", "5/10"]
    assert len(body["errors"]) == 7  # six cells and the version
    item.refresh_from_db()
    assert item.version == 2
    assert {v.numerator for v in item.values.all()} == {Decimal(9)}


def test_it_forbids_a_viewer_to_replace_values(as_user, world):
    response = as_user(world.viewer).put(
        url(submission_of(world)), {"version": 1, "values": cells()}
    )
    assert_error(response, 403)
    assert submission_of(world).values.count() == 0


def test_it_forbids_the_operator_of_another_agency(as_user, world):
    dp3a = extra_user(world, "operator.dp3a", Role.AGENCY_OPERATOR, agency="DP3A")
    response = as_user(dp3a).put(url(submission_of(world)), {"version": 1, "values": cells()})
    assert_error(response, 403)


def test_it_refuses_a_region_outside_the_grid(operator, world):
    values = [
        *cells(DISTRICTS[:1]),
        {"region": "53.71.04.1001", "numerator": 1, "denominator": 2},  # a kelurahan
        {"region": "15.71.01", "numerator": 1, "denominator": 2},  # Jambi's
    ]
    response = operator.put(url(submission_of(world)), {"version": 1, "values": values})

    errors = assert_error(response, 422)["errors"]
    assert set(errors) == {"values[1].region", "values[2].region"}
    assert "bukan baris isian" in errors["values[1].region"][0]
    assert submission_of(world).values.count() == 0


def test_it_refuses_a_disaggregation_the_indicator_does_not_have(operator, world):
    values = [{"region": DISTRICTS[0], "sex": "L", "numerator": 1, "denominator": 2}]
    response = operator.put(url(submission_of(world)), {"version": 1, "values": values})
    assert list(assert_error(response, 422)["errors"]) == ["values[0].sex"]


def test_it_refuses_the_same_cell_twice(operator, world):
    values = [*cells(DISTRICTS[:2]), *cells(DISTRICTS[1:2], numerator=1)]
    response = operator.put(url(submission_of(world)), {"version": 1, "values": values})
    assert assert_error(response, 422)["errors"] == {
        "values[2]": ["Sel ini sudah diisi pada values[1]."]
    }


def test_it_refuses_a_plain_value_for_a_percentage(operator, world):
    values = [{"region": DISTRICTS[0], "value": 1}]
    response = operator.put(url(submission_of(world)), {"version": 1, "values": values})
    assert list(assert_error(response, 422)["errors"]) == ["values[0].value"]


def test_it_stores_an_availability_and_refuses_anything_but_1_or_0(secretariat, world):
    item = submission_of(world, 1)  # availability, for the kab/kota itself
    bad = secretariat.put(url(item), {"version": 1, "values": [{"region": KUPANG, "value": 2}]})
    assert list(assert_error(bad, 422)["errors"]) == ["values[0].value"]

    good = secretariat.put(url(item), {"version": 1, "values": [{"region": KUPANG, "value": 1}]})

    assert good.status_code == 200, good.content
    assert item.values.get().value == 1


def test_it_refuses_a_fractional_count(secretariat, world):
    item = submission_of(world, 3)  # a count, for the kab/kota itself
    values = [{"region": KUPANG, "value": "2.5"}]
    response = secretariat.put(url(item), {"version": 1, "values": values})
    assert list(assert_error(response, 422)["errors"]) == ["values[0].value"]


def test_it_refuses_markup_in_the_narrative(operator, world):
    response = operator.put(
        url(submission_of(world)),
        {"version": 1, "narrative": "<script>x</script>", "values": cells()},
    )
    assert list(assert_error(response, 422)["errors"]) == ["narrative"]


def test_it_refuses_changes_once_the_period_is_closed(operator, world):
    actions.set_period_status(world.periods[KUPANG], actor=world.secretariat, status="closed")

    response = operator.put(url(submission_of(world)), {"version": 1, "values": cells()})

    body = assert_error(response, 422)
    assert "tidak sedang dibuka" in body["detail"]
    assert "errors" not in body  # the action's refusal names no field


# --- evidence ---------------------------------------------------------------------------------


def pdf_upload(data=b"%PDF-1.4\n% bukti uji\n", name="laporan.pdf", **extra):
    return {
        "file": SimpleUploadedFile(name, data),
        "title": "Laporan Puskesmas",
        "kind": "report",
        **extra,
    }


def test_it_stores_an_uploaded_pdf(operator, world):
    item = submission_of(world)

    response = operator.upload(url(item, "evidence"), pdf_upload(document_date="2025-12-31"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"uid", "title", "kind", "sha256", "size", "mime"}
    assert (body["title"], body["kind"], body["mime"]) == (
        "Laporan Puskesmas",
        "report",
        "application/pdf",
    )
    assert len(body["sha256"]) == 64
    evidence = item.evidence.get()
    assert (str(evidence.uid), evidence.size, str(evidence.document_date)) == (
        body["uid"],
        body["size"],
        "2025-12-31",
    )


def test_it_refuses_a_renamed_executable(operator, world):
    item = submission_of(world)

    response = operator.upload(url(item, "evidence"), pdf_upload(b"MZ\x90\x00\x03\x00", "sk.pdf"))

    body = assert_error(response, 422)
    assert list(body["errors"]) == ["file"]
    assert item.evidence.count() == 0


def test_it_refuses_evidence_without_a_title_in_the_forms_words(operator, world):
    response = operator.upload(url(submission_of(world), "evidence"), pdf_upload(title=" "))
    assert list(assert_error(response, 422)["errors"]) == ["title"]


def test_it_forbids_a_viewer_to_upload_evidence(as_user, world):
    response = as_user(world.viewer).upload(url(submission_of(world), "evidence"), pdf_upload())
    assert_error(response, 403)


# --- the workflow -----------------------------------------------------------------------------


def test_it_refuses_to_submit_with_empty_cells(operator, world):
    item = submission_of(world)
    operator.put(url(item), {"version": 1, "values": cells(DISTRICTS[:4])})

    response = operator.post(url(item, "submit"))

    assert "2 sel belum diisi" in assert_error(response, 422)["detail"]
    item.refresh_from_db()
    assert item.status == SubmissionStatus.DRAFT


def test_it_runs_the_whole_review_flow(operator, secretariat, as_user, world, second_secretary):
    item = submission_of(world)
    assert operator.put(url(item), {"version": 1, "values": cells()}).status_code == 200
    assert operator.post(url(item, "submit")).json() == {
        "uid": str(item.uid),
        "status": "submitted",
    }

    returned = secretariat.post(url(item, "return"), {"comment": "Penyebut Alak keliru."})

    assert returned.json() == {"uid": str(item.uid), "status": "returned"}
    item.refresh_from_db()
    assert item.review_comment == "Penyebut Alak keliru."

    fixed = cells()
    fixed[0]["denominator"] = 12
    assert operator.put(url(item), {"version": 2, "values": fixed}).status_code == 200
    assert operator.post(url(item, "submit")).json()["status"] == "submitted"
    assert_error(operator.post(url(item, "approve")), 403)

    approved = as_user(second_secretary).post(url(item, "approve"))

    assert approved.status_code == 200
    assert approved.json() == {"uid": str(item.uid), "status": "approved"}
    item.refresh_from_db()
    assert (item.status, item.reviewed_by, item.version) == ("approved", second_secretary, 3)
    assert item.values.get(region_id="53.71.01").denominator == 12
    # approved data is locked
    assert_error(operator.put(url(item), {"version": 3, "values": cells()}), 422)


def test_it_forbids_approving_ones_own_submission(secretariat, as_user, world, second_secretary):
    item = submission_of(world)
    secretariat.put(url(item), {"version": 1, "values": cells()})
    assert secretariat.post(url(item, "submit")).status_code == 200

    own = secretariat.post(url(item, "approve"))

    assert assert_error(own, 403)["detail"] == "Anda tidak dapat menyetujui pengajuan Anda sendiri."
    assert as_user(second_secretary).post(url(item, "approve")).json()["status"] == "approved"


def test_it_refuses_an_invalid_transition_with_422(secretariat, world):
    body = assert_error(secretariat.post(url(submission_of(world), "approve")), 422)
    assert "Draf" in body["detail"]


def test_it_asks_for_a_comment_when_returning(operator, secretariat, world):
    item = submission_of(world)
    operator.put(url(item), {"version": 1, "values": cells()})
    operator.post(url(item, "submit"))

    body = assert_error(secretariat.post(url(item, "return"), {"comment": "  "}), 422)

    assert list(body["errors"]) == ["comment"]
    item.refresh_from_db()
    assert item.status == "submitted"


def test_it_forbids_a_viewer_to_review(operator, as_user, world):
    item = submission_of(world)
    operator.put(url(item), {"version": 1, "values": cells()})
    operator.post(url(item, "submit"))
    viewer = as_user(world.viewer)
    assert_error(viewer.post(url(item, "return"), {"comment": "Tidak boleh."}), 403)
    assert_error(viewer.post(url(item, "approve")), 403)
    assert_error(viewer.post(url(item, "submit")), 403)


def test_it_keeps_a_closed_periods_workflow_shut(operator, world):
    item = submission_of(world)
    operator.put(url(item), {"version": 1, "values": cells()})
    actions.set_period_status(
        world.periods[KUPANG], actor=world.secretariat, status=PeriodStatus.CLOSED
    )
    assert_error(operator.post(url(item, "submit")), 422)


def test_it_documents_every_route_in_its_openapi_contract(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"200", "403", "404", "422"} <= set(
        paths["/api/v1/local-governments/{code}/periods/{year}/submissions"]["get"]["responses"]
    )
    assert "409" in paths["/api/v1/submissions/{uid}/values"]["put"]["responses"]
    assert "201" in paths["/api/v1/submissions/{uid}/evidence"]["post"]["responses"]
    for step in ("submit", "return", "approve"):
        assert "403" in paths[f"/api/v1/submissions/{{uid}}/{step}"]["post"]["responses"]
