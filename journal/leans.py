"""Logging a lean, once per client_id: the one write rule the lean form and the API share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from config.saving.once import save_once
from journal.models import Incident

if TYPE_CHECKING:
    from journal.forms import IncidentForm


def log_lean(form: IncidentForm, client_id: object) -> tuple[Incident | None, bool]:
    """A lean is stored once per dog and client_id; sending it again answers with the stored one.

    Returns (the lean, True) when this call stored it, (the stored lean, False) for a double tap,
    a retry or a replayed offline lean, and (None, False) when the form is invalid.
    """
    return save_once(form, form.instance.dog.incidents.all(), client_id)
