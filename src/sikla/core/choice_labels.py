"""`get_FOO_display` from one dict per field and language, built once.

Django's own builds a dict of every choice of the field on each call and hashes each (lazy)
label on the way — a translation lookup per choice, per call. A list of 50 cases showing a type,
an urgency and a status asked for ~1,000 translations to print 150 words (~10 ms of a 45 ms
page). Installed for every SIKLA model at start (`CoreConfig.ready`); the answer is the same:
the label in the active language, or the stored value when it is not a choice.
"""

from __future__ import annotations

from functools import cache, partialmethod

from django.apps import apps
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@cache
def labels(field, language: str | None) -> dict:
    """{value: label} of a field with (static) choices, in `language` (the active one)."""
    return {make_hashable(value): force_str(label) for value, label in field.flatchoices}


def labels_of(choices) -> dict[str, str]:
    """{value: label} of a choices class (`TextChoices`), in the active language: for a list or
    an export that names hundreds of rows with a handful of labels, looked up once."""
    return {value: str(label) for value, label in choices.choices}


def _display(self, *, field):
    value = getattr(self, field.attname)
    label = labels(field, get_language()).get(make_hashable(value), value)
    return force_str(label, strings_only=True)


def install(package: str = "sikla.") -> None:
    """Every choice field's `get_FOO_display` of the project's models, where Django made it
    (a model's own method of that name stays)."""
    for config in apps.get_app_configs():
        if not config.name.startswith(package):
            continue
        for model in config.get_models():
            for field in model._meta.fields:
                name = f"get_{field.name}_display"
                if field.choices and isinstance(model.__dict__.get(name), partialmethod):
                    setattr(model, name, partialmethod(_display, field=field))
