"""The select written in Python (core.forms.QuickSelect) answers like Django's own: the same
options, the chosen one selected, labels and values escaped, groups kept."""

from django import forms

from sikla.core.forms import QuickSelect
from tests.personas import world_fixture  # noqa: F401


class Choice(forms.Form):
    place = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("53.71", "Kota Kupang"),
            ("x", '<script>alert("x")</script> & co'),
            ("Jawa", [("33.74", "Kota Semarang"), ("35.78", "Kota Surabaya")]),
        ],
        widget=QuickSelect(attrs={"class": "wide"}),
        required=False,
    )


def test_the_chosen_option_is_selected_and_nothing_is_left_unescaped():
    html = str(Choice(initial={"place": "35.78"})["place"])

    assert html.startswith('<select name="place" class="wide" id="id_place">')
    assert '<option value="53.71">Kota Kupang</option>' in html
    assert '<option value="35.78" selected>Kota Surabaya</option>' in html
    assert '<optgroup label="Jawa"><option value="33.74">Kota Semarang</option>' in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    assert html.count(" selected") == 1


def test_it_shows_what_djangos_select_shows():
    ours = Choice(data={"place": "53.71"})
    theirs = Choice(data={"place": "53.71"})
    theirs.fields["place"].widget = forms.Select(attrs={"class": "wide"})
    theirs.fields["place"].widget.choices = theirs.fields["place"].choices

    def normal(html: str) -> str:
        return "".join(html.split()).replace('selected=""', "selected").replace("&#x27;", "'")

    assert normal(str(ours["place"])) == normal(str(theirs["place"]))


def test_the_kept_kab_kota_options_follow_a_new_registration_and_a_chosen_value(world):
    """The referral's select of kab/kota is written once per process (`KeptChoices`) until
    anything changes; a value chosen before a validation error is still shown selected."""
    from sikla.organisations.actions import register_local_government
    from sikla.protection.forms import ReferralForm
    from sikla.regions.models import Region

    def select(**kwargs) -> str:
        return str(ReferralForm(may_override=False, **kwargs)["target_local_government"])

    before = select()
    assert select() == before  # the same options, from the process's copy
    assert '<option value="35.75"' not in before
    assert " selected" not in before.replace('<option value="" selected>', "")

    register_local_government(actor=world.national_admin, region=Region.objects.get(code="35.75"))

    after = select()
    assert '<option value="35.75">Kota Pasuruan</option>' in after
    chosen = select(data={"target_local_government": "35.75"})
    assert '<option value="35.75" selected>Kota Pasuruan</option>' in chosen
    assert select() == after  # the choice made above stays out of the kept options
