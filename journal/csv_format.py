"""The journal's CSV: its columns and how one lean or event becomes a row (the exports, the account's zip)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dogs.households import name_of
from journal.forms import EventForm, IncidentForm
from journal.models import Event, Incident

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


# The events' CSV: the id, the events page's field names, who added it and when.
EVENT_EXPORT_COLUMNS: tuple[str, ...] = ("id", *EventForm.Meta.fields, "added_by", "created_at")


def event_csv_values(event: Event, zone: dt.tzinfo) -> list[Any]:
    """One event as a row: kind as its code, days as YYYY-MM-DD, text exactly as typed.

    An event with no end keeps None, an empty cell in CSV and null in JSON.
    """
    values: list[Any] = []
    for name in EVENT_EXPORT_COLUMNS:
        value = name_of(event.created_by) if name == "added_by" else getattr(event, name)
        if isinstance(value, dt.datetime):
            value = value.astimezone(zone).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        values.append(value)
    return values
