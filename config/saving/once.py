"""Saving what a form adds once per client_id: the one write rule of every "add" form.

A form for something new carries a hidden id, made fresh for each form (client_id_field). A
double tap, a retried request or a lean sent again from the phone's outbox carries the same id,
and the model's partial unique constraint on (its parent, client_id) lets only one copy in.
A repeat is answered with the copy stored first, whatever it says now.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

Stored = TypeVar("Stored", bound=models.Model)

CLIENT_ID_INVALID = gettext_lazy("This form lost its label on the way. Reload the page and save again.")


class ClientIdInput(forms.HiddenInput):
    """The hidden id's input, written here as Django's templates write a hidden input.

    Rendered through the form templates, this one input cost the dog page (kept, everything else
    read from the cache) about a tenth of its time.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        attributes = flatatt(widget["attrs"])
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], name, shown, attributes)


def client_id_field(invalid: str = CLIENT_ID_INVALID) -> forms.UUIDField:
    """The hidden id of a form that adds something: a new one for every form shown."""
    return forms.UUIDField(
        required=False,
        initial=uuid.uuid4,
        widget=ClientIdInput(attrs={"data-client-id": ""}),
        error_messages={"invalid": invalid},
    )


def add_client_id(form: forms.Form, invalid: str = CLIENT_ID_INVALID) -> None:
    """Give a form that adds something its client_id field (not a model field of the form).

    The scripts give a form shown afresh a new id, also when the page came back from the
    browser's memory (the back button); a form sent back with errors keeps the id it was
    posted with, so that posting it again still adds one.
    """
    form.fields["client_id"] = client_id_field(invalid)
    form.fields["client_id"].widget.attrs["data-client-id"] = "kept" if form.is_bound else "fresh"


def stored_with(rows: models.QuerySet[Stored], client_id: object) -> Stored | None:
    """The row among `rows` (one parent's) with the client_id, if any; no other rows are looked at."""
    try:
        value = uuid.UUID(str(client_id))
    except ValueError:
        return None
    return rows.filter(client_id=value).first()


def save_once(
    form: forms.ModelForm,
    rows: models.QuerySet[Stored],
    client_id: object,
    save: Callable[[], Stored] | None = None,
) -> tuple[Stored | None, bool]:
    """Save the form's new row once per client_id among `rows` (the parent's rows of its model).

    Returns (the row, True) when this call stored it, (the stored row, False) for a repeat, and
    (None, False) when the form is invalid. `save` stores it (form.save by default), inside a
    savepoint, so that a refused twin leaves the request's transaction usable.
    """
    # Looked up before validating: what was stored is answered as it was, whatever comes now.
    if earlier := stored_with(rows, client_id):
        return earlier, False
    if not form.is_valid():
        return None, False
    form.instance.client_id = form.cleaned_data.get("client_id")
    try:
        with transaction.atomic():
            return (save or form.save)(), True
    except IntegrityError:
        # Two copies raced past the lookup above: the other one is stored, answer with it.
        earlier = stored_with(rows, form.instance.client_id)
        if earlier is None:
            raise
        return earlier, False
