"""The Python form renderer writes exactly what Django's widget templates write."""

import datetime
import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

import sikla
from sikla.core.renderers import FAST, FastRenderer

TEMPLATES, FAST_RENDERER = DjangoTemplates(), FastRenderer()
CHOICES = [
    ("", "---------"),
    ("a", "Satu & <dua>"),
    (3, 3),
    ('Kelompok "kutip"', [("x", "Ex"), ("y", gettext_lazy("Kasus"))]),
    (Decimal("2.5"), mark_safe("<b>aman</b>")),
]


def both(widget: forms.Widget, value, attrs=None) -> tuple[str, str]:
    return (
        widget.render("field", value, attrs, renderer=TEMPLATES),
        widget.render("field", value, attrs, renderer=FAST_RENDERER),
    )


WIDGETS = [
    (forms.TextInput(), "Nama <script>alert(1)</script> & \"kutip\" 'satu'"),
    (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 30}), None),
    (forms.TextInput(attrs={"placeholder": gettext_lazy("Cari")}), ""),
    (forms.TextInput(), mark_safe("<i>aman</i>")),
    (forms.NumberInput(attrs={"step": "0.01", "min": 0}), Decimal("12.50")),
    (forms.NumberInput(), 7),
    (forms.EmailInput(), "a@b.id"),
    (forms.URLInput(), "https://x.id/?a=1&b=2"),
    (forms.PasswordInput(), "rahasia"),
    (forms.PasswordInput(render_value=True), "rahasia"),
    (forms.HiddenInput(), 42),
    (forms.DateInput(attrs={"type": "date"}), datetime.date(2026, 12, 7)),
    (forms.DateTimeInput(), datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)),
    (forms.TimeInput(), datetime.time(9, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.FileInput(attrs={"accept": ".pdf,.jpg"}), None),
    (forms.Textarea(), "Baris satu\nbaris <dua> & tiga"),
    (forms.Textarea(attrs={"rows": 3}), ""),
    (forms.Textarea(), None),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES, attrs={"class": "wide"}), "y"),
    (forms.SelectMultiple(choices=CHOICES), ["a", "x"]),
    (forms.NullBooleanSelect(), True),
    (forms.RadioSelect(choices=CHOICES), "x"),
    (forms.RadioSelect(choices=[("1", "Ya"), ("0", "Tidak")], attrs={"class": "inline"}), "1"),
    (forms.CheckboxSelectMultiple(choices=CHOICES), ["a", 3]),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("attrs", [None, {"id": "id_field", "aria-describedby": "h"}])
def test_each_widget_is_written_as_its_template_writes_it(widget, value, attrs):
    templated, fast = both(widget, value, attrs)
    assert fast == templated


def test_every_template_written_in_python_is_one_of_djangos():
    for name in FAST:
        assert TEMPLATES.get_template(name)  # a name that does not exist would never match


def test_widgets_it_does_not_know_go_through_their_templates():
    widget = forms.ClearableFileInput()
    templated, fast = both(widget, None)
    assert fast == templated and 'type="file"' in fast
    split = forms.SplitDateTimeWidget()
    assert (
        both(split, datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC))
        == (
            split.render(
                "field",
                datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
                renderer=TEMPLATES,
            ),
        )
        * 2
    )


def test_it_is_the_renderer_of_every_form():
    assert isinstance(get_default_renderer(), FastRenderer)


text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)


@settings(max_examples=150, deadline=None)
@given(
    value=text | st.none() | st.integers(),
    attrs=st.dictionaries(
        st.sampled_from(["class", "placeholder", "title", "data-x", "required", "id"]),
        text | st.booleans() | st.integers(),
        max_size=4,
    ),
    choices=st.lists(st.tuples(text, text), max_size=5),
)
def test_any_text_is_escaped_as_the_templates_escape_it(value, attrs, choices):
    for widget in (
        forms.TextInput(attrs=attrs),
        forms.Textarea(attrs=attrs),
        forms.Select(choices=choices, attrs=attrs),
        forms.RadioSelect(choices=choices, attrs=attrs),
    ):
        templated, fast = both(widget, value)
        assert fast == templated


def _sikla_forms():
    """Every form class of SIKLA that can be made without arguments."""
    found = []
    for module in pkgutil.walk_packages(sikla.__path__, "sikla."):
        if not module.name.endswith(("forms", "public_forms")):
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.name:
                found.append(cls)
    return found


@pytest.mark.django_db
def test_every_form_of_sikla_renders_the_same_both_ways():
    compared = 0
    for cls in _sikla_forms():
        try:
            templated, fast = cls(renderer=TEMPLATES), cls(renderer=FAST_RENDERER)
        except (TypeError, ValueError):  # needs its object or its user, or an abstract base
            continue
        assert [str(f) for f in fast] == [str(f) for f in templated], cls.__name__
        compared += 1
    assert compared >= 10
