"""Every page each role's navigation reaches, at 360 px and 1366 px (issue 14, point 4, "Tests that
must exist"): nothing scrolls sideways, no console error, no HTTP 5xx, no English words in an
Indonesian page. The demo of Kota Kupang, signed in as each demo account through the login form;
the pages one step from the navigation (one of each kind) on the phone as well."""

import pytest

from tests.e2e.sweep import sweep_as

# The demo's accounts (`sikla demo`), one per role, and a visitor; in three groups so that the
# suite's two workers share them.
GROUPS = {
    "visitor-national-province": [None, "admin", "evaluator.nasional", "evaluator.ntt"],
    "kab-kota": ["sekretariat.kupang", "ketua.kupang", "operator.dinkes", "pemantau.kupang"],
    "unit-and-villages": ["pendamping.kupang", "supervisor.kupang", "kecamatan.oebobo"],
}

# Pages whose state the navigation does not reach at once: the demo's determined 2024 evaluation
# (its result, decree and stage table at 1366 px and on the phone) and its gap analysis, whose
# long question texts must wrap; the roll-up's map by one indicator.
ALSO = {
    "sekretariat.kupang": (
        "/organisasi/53.71/periode/2024/evaluasi/",
        "/organisasi/53.71/periode/2024/evaluasi/kesenjangan/",
        "/organisasi/53.71/periode/2025/evaluasi/kesenjangan/",
    ),
    "evaluator.nasional": (
        "/organisasi/53.71/periode/2024/evaluasi/",
        "/evaluasi/?indikator=1",  # the map by one indicator, with its table column
    ),
}


@pytest.mark.parametrize("group", GROUPS)
def test_every_page_of_the_navigation_fits_a_phone_and_speaks_indonesian(
    live_server, browser, e2e_world, group
):
    report = {}
    for username in GROUPS[group]:
        sweep = sweep_as(
            browser, live_server.url, username, e2e_world["password"], also=ALSO.get(username, ())
        )
        assert len(sweep.pages) >= (5 if username is None else 9), (username, sweep.pages)
        report[username or "pengunjung"] = [str(f) for f in sweep.findings]
    assert {who: found for who, found in report.items() if found} == {}
