"""The form renderer: Django's widget templates, written in Python.

Django renders each widget through a template and every attribute and option through an include
of another: a case page's five forms spent a third of its time there (~13 ms), a select of the
514 kab/kota or of 850 kelurahan far more. This renderer writes the HTML of the standard widgets
itself, character for character what Django's templates would (tests/core/test_renderers.py
compares both on every widget SIKLA uses), and leaves every other template (forms, errors,
labels, widgets it does not know) to Django's.
"""

from __future__ import annotations

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

_PLAIN = Context()  # how a template shows a value: localised, in the time zone, escaped


def _show(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _PLAIN)


def _show_s(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter keeps a safe value safe)."""
    text = str(value)
    return _show(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 - safe already


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_show(name)}" if value is True else f' {_show(name)}="{_show_s(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(renderer, widget: dict) -> str:
    """input.html (text, number, email, date, hidden, checkbox, file … include it)."""
    value = widget["value"]
    shown = f' value="{_show_s(value)}"' if value is not None else ""
    return f'<input type="{_show(widget["type"])}" name="{_show(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(renderer, widget: dict) -> str:
    value = widget["value"]
    shown = _show(value) if value else ""
    return f'<textarea name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>\n{shown}</textarea>'


def _option(renderer, option: dict) -> str:
    """select_option.html."""
    return (
        f'<option value="{_show_s(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_show(option['label'])}</option>"
    )


def _select(renderer, widget: dict) -> str:
    parts = [f'<select name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_show(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _include(renderer, option["template_name"], option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input_option(renderer, option: dict) -> str:
    """input_option.html: a radio button or checkbox of a list, in its label."""
    html = _include(renderer, _WIDGETS + "input.html", option)
    if not option.get("wrap_label"):
        return html
    id_ = option["attrs"].get("id")
    target = f' for="{_show(id_)}"' if id_ else ""
    return f"<label{target}>{html} {_show(option['label'])}</label>"


def _multiple_input(renderer, widget: dict) -> str:
    """multiple_input.html: radio buttons or checkboxes of a list."""
    id_, class_ = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_show(id_)}"' if id_ else "",
        f' class="{_show(class_)}"' if class_ else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_show(group)}</label>")
        for option in options:
            parts.append(
                "<div>\n    " + _include(renderer, option["template_name"], option) + "</div>"
            )
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


_WIDGETS = "django/forms/widgets/"
_INPUTS = "text number email url password hidden date datetime time search tel color checkbox file"

# Each template's text as Django writes it before the final strip, the newlines that end the
# template files (and those of the templates they include) with it: an include keeps them.
FAST: dict[str, tuple[Callable[[FastRenderer, dict], str], str]] = {
    _WIDGETS + "input.html": (_input, "\n"),
    **{f"{_WIDGETS}{name}.html": (_input, "\n\n") for name in _INPUTS.split()},
    _WIDGETS + "textarea.html": (_textarea, "\n"),
    _WIDGETS + "select.html": (_select, "\n"),
    _WIDGETS + "select_option.html": (_option, "\n"),
    _WIDGETS + "input_option.html": (_input_option, "\n"),
    _WIDGETS + "radio_option.html": (_input_option, "\n\n"),
    _WIDGETS + "checkbox_option.html": (_input_option, "\n\n"),
    _WIDGETS + "multiple_input.html": (_multiple_input, "\n"),
    _WIDGETS + "radio.html": (_multiple_input, "\n\n"),
    _WIDGETS + "checkbox_select.html": (_multiple_input, "\n\n"),
}


def _include(renderer, template_name: str, widget: dict) -> str:
    """`{% include template_name with widget=widget %}`: its text, unstripped."""
    fast = FAST.get(template_name)
    if fast is None:
        return renderer.get_template(template_name).render({"widget": widget})
    write, end = fast
    return write(renderer, widget) + end


class FastRenderer(DjangoTemplates):
    """FORM_RENDERER: the standard widgets in Python, anything else through its template."""

    def render(self, template_name, context, request=None):
        if template_name not in FAST or request is not None or set(context) != {"widget"}:
            return super().render(template_name, context, request)
        return _include(self, template_name, context["widget"]).strip()
