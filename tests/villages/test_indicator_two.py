"""The village shares feed indicator 2: the evaluation page shows SIKLA's own computed values
beside questions 2.4–2.6 (issue 6, item 3)."""

from datetime import date

from django.urls import reverse

from sikla.regions.models import Region
from sikla.villages import actions
from tests.personas import KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401


def test_the_evaluation_shows_the_computed_shares_beside_indicator_two(client, world):
    data_year = PERIOD_YEAR - 1
    villages = Region.objects.filter(code__startswith=KUPANG + ".", level="village").order_by(
        "code"
    )[:3]
    for i, village in enumerate(villages):
        actions.set_status(
            actor=world.secretariat,
            local_government=world.kupang,
            region=village,
            status="declared",
            declared_on=date(data_year, 3, 1),
            decree_number=f"SK/{i}/{data_year}",
        )
    total = Region.objects.filter(code__startswith=KUPANG + ".", level="village").count()
    client.force_login(world.secretariat)
    page = client.get(reverse("evaluation:indicator", args=[KUPANG, PERIOD_YEAR, 2]))
    html = page.content.decode()
    cell = html.split('data-testid="system-2.5"')[1].split("</p>")[0]
    expected = f"{100 * 3 / total:.1f}%".replace(".", ",")  # one decimal, as every share
    assert expected in cell and str(data_year) in cell
    assert 'data-testid="system-2.4"' in html and 'data-testid="system-2.6"' in html
    other = client.get(reverse("evaluation:indicator", args=[KUPANG, PERIOD_YEAR, 4]))
    assert "system-" not in other.content.decode()
