"""`points` writes a number as Django's number_format does, in both languages, only faster."""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format
from hypothesis import given, settings
from hypothesis import strategies as st

from sikla.core.templatetags.sikla import points


def django_points(value) -> str:
    """The filter as it was, on Django's number_format."""
    value = Decimal(str(value))
    if value == value.to_integral():
        return number_format(value.to_integral(), 0, use_l10n=True, force_grouping=True)
    return number_format(value.normalize(), use_l10n=True, force_grouping=True)


numbers = (
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4)
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.sampled_from([Decimal("0.00"), Decimal("-0"), Decimal("1E+3"), Decimal("12.50"), 1652])
)


@settings(max_examples=300, deadline=None)
@given(value=numbers, language=st.sampled_from(["id", "en"]))
def test_points_are_written_as_number_format_writes_them(value, language):
    with translation.override(language):
        assert points(value) == django_points(value)


def test_points_in_indonesian_and_english():
    with translation.override("id"):
        assert [points(v) for v in (1652, Decimal("12.50"), None, "x")] == [
            "1.652",
            "12,5",
            "–",
            "x",
        ]
    with translation.override("en"):
        assert points(Decimal("1234.5")) == "1,234.5"
