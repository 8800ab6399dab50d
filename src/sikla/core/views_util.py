"""Small helpers every app's views share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, rows, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def add_action_errors(form, exc: ValidationError) -> None:
    """Show an action's ValidationError next to the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
