"""The journal's CSV: its columns and how one lean becomes a row (the export, the account's zip)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dogs.households import name_of
from journal.forms import IncidentForm
from journal.models import Incident

# The CSV columns: the id, then the vocabulary's field names in the form's order.
EXPORT_COLUMNS: tuple[str, ...] = ("id", *IncidentForm.Meta.fields, "logged_by")
# Multi-value fields are joined with this; no code contains it.
EXPORT_LIST_SEPARATOR = ";"


def incident_csv_values(incident: Incident, zone: dt.tzinfo) -> list[Any]:
    """One CSV row: the stored codes as they are, the time with the owner's UTC offset.

    Nothing is escaped or trimmed, so that an import reads back exactly what was saved.
    """
    values: list[Any] = []
    for name in EXPORT_COLUMNS:
        value = getattr(incident, name)
        if name == "logged_by":
            value = name_of(value)
        elif isinstance(value, dt.datetime):
            # isoformat() keeps microseconds only when there are any: lossless and short.
            value = value.astimezone(zone).isoformat()
        elif isinstance(value, list):
            value = EXPORT_LIST_SEPARATOR.join(value)
        values.append(value)
    return values
