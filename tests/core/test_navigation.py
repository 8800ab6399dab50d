"""The menu is grouped by task, offers each person only what they may open, and keeps the current
evaluation one click away (issue "people first", point 3)."""

import pytest
from django.test import Client
from django.urls import reverse

from sikla.evaluation.models import Evaluation
from tests.personas import KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

GROUP_ORDER = [
    "Data & bukti dukung",
    "Evaluasi",
    "Koordinasi",
    "Perlindungan",
    "Partisipasi",
    "Pengaturan",
]
ROLES = [
    "national_admin",
    "national_evaluator",
    "provincial_evaluator",
    "secretariat",
    "task_force_chair",
    "agency_operator",
    "case_worker",
    "case_supervisor",
    "village_officer",
    "viewer",
]


def open_evaluation(world) -> Evaluation:
    period = world.periods[KUPANG]
    return Evaluation.objects.create(period=period, local_government=world.kupang, year=period.year)


def menu(client, user) -> list[tuple[str, list[tuple[str, str, str]]]]:
    client.force_login(user)
    if user.scope == "" or len(user.scope) < 5:  # national and provincial people pick a kab/kota
        client.post("/pemda/ganti/", {"code": KUPANG})
    response = client.get("/")
    assert response.status_code == 200
    return [(str(label), items) for label, items in response.context["nav_groups"]]


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_item_opens_for_the_person_it_is_offered_to(client, world, role):
    open_evaluation(world)
    groups = menu(client, getattr(world, role))
    labels = [label for label, _ in groups]
    assert labels == [g for g in GROUP_ORDER if g in labels], "groups keep the task order"
    assert all(items for _, items in groups), "no empty group is shown"
    for label, items in groups:
        for item_label, href, _key in items:
            answer = client.get(href).status_code
            assert answer == 200, f"{label} › {item_label} ({href}) answers {answer} to {role}"


def test_the_current_evaluation_is_one_click_from_every_page(client, world):
    open_evaluation(world)
    client.force_login(world.secretariat)
    current = reverse("evaluation:overview", args=[KUPANG, PERIOD_YEAR])
    for page in ("/", f"/organisasi/{KUPANG}/gugus-tugas/", "/indikator/"):
        html = client.get(page).content.decode()
        assert f'href="{current}"' in html, page
        assert f"Evaluasi {PERIOD_YEAR}" in html


def test_an_agency_operator_finds_its_own_work_first_and_no_settings_it_cannot_use(client, world):
    groups = dict(menu(client, world.agency_operator))
    assert groups["Data & bukti dukung"][0][0] == "Indikator saya"
    assert "Tindak lanjut saya" in [label for label, _h, _k in groups["Koordinasi"]]
    settings = [label for label, _h, _k in groups.get("Pengaturan", [])]
    assert "Pengguna" not in settings and "Riwayat perubahan" not in settings
    protection = [label for label, _h, _k in groups.get("Perlindungan", [])]
    assert "Perlindungan anak" not in protection  # children's cases are the unit's alone


def test_the_kept_menu_follows_what_changes_it(client, world, django_assert_max_num_queries):
    """The menu is kept between pages (no query builds it again) yet shows, on the next page, an
    evaluation the secretariat has just opened by answering, and a role the person no longer has."""
    from sikla.evaluation import actions

    client.force_login(world.secretariat)
    assert f"Evaluasi {PERIOD_YEAR}" not in client.get("/indikator/").content.decode()
    # the user, their device, the kab/kota, the unread count and the catalog page's own four
    with django_assert_max_num_queries(8) as kept:
        client.get("/indikator/")
    assert not [q for q in kept.captured_queries if "evaluation_evaluation" in q["sql"]]

    actions.save_answers(
        world.periods[KUPANG], actor=world.secretariat, answers={"1.2": ("yes", "")}
    )
    html = client.get("/indikator/").content.decode()
    assert f"Evaluasi {PERIOD_YEAR}" in html

    as_secretariat = menu(client, world.secretariat)
    world.secretariat.role = world.viewer.role  # as an administrator's change of role leaves it
    world.secretariat.save(update_fields=["role"])
    as_viewer = menu(client, world.secretariat)
    assert as_viewer != as_secretariat
    assert as_viewer == menu(Client(), world.viewer)


def test_the_page_being_shown_is_marked_in_the_kept_menu(client, world):
    client.force_login(world.secretariat)
    for page in ("/indikator/", f"/organisasi/{KUPANG}/gugus-tugas/"):
        html = client.get(page).content.decode()
        assert html.count(f'<a href="{page}" aria-current="page">') == 2, page  # desktop, phone
        assert html.count('aria-current="page"') == 2
