"""Reading a journal CSV back in: the export's own format, checked row by row, nothing stored.

Pure logic: it takes a text stream and the leans already in the journal and says which rows
would be added, which are already there and what is wrong with the rest. The views store the
upload between preview and confirm and do the insert (journal/imports/views.py).

Formulas: the export writes every note exactly as typed, with no spreadsheet-safety prefix,
so the file is data, not a sheet. Nothing is stripped here either: a note that begins with
"=" or "'" comes back byte for byte. Open the file in a spreadsheet as text, not formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import timezone

from dogs.models import EARLIEST_DATE, validate_plain_text
from journal.models import LEAN_FIELDS, LEAN_TIME_MESSAGES, NOTES_MAX_LENGTH, validate_lean_time
from journal.vocabulary import (
    Duration,
    Location,
    Outcome,
    OwnerActivity,
    OwnerResponse,
    Posture,
    Sign,
    Trigger,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# The export joins multi-value cells with this (journal.csv_format.EXPORT_LIST_SEPARATOR).
LIST_SEPARATOR = ";"
# The lean's own columns, in the export's order; every one must be in the header.
LEAN_COLUMNS: tuple[str, ...] = LEAN_FIELDS
# Columns the export writes that an import reads past: ids belong to the journal they came
# from, and who logged a lean is always the person importing.
IGNORED_COLUMNS = frozenset({"id", "logged_by"})

# Column -> (allowed codes, may be empty, how the reason names it).
_SINGLE_CODES: dict[str, tuple[frozenset[str], bool, str]] = {
    "duration": (frozenset(Duration.values), True, "a duration"),
    "posture": (frozenset(Posture.values), True, "a posture"),
    "location": (frozenset(Location.values), True, "a place"),
    "owner_activity": (frozenset(OwnerActivity.values), True, "an activity"),
    "owner_response": (frozenset(OwnerResponse.values), True, "a response"),
    "outcome": (frozenset(Outcome.values), True, "an outcome"),
}
_SET_CODES: dict[str, tuple[frozenset[str], str]] = {
    "triggers": (frozenset(Trigger.values), "a trigger"),
    "signs": (frozenset(Sign.values), "a sign"),
}
_INTENSITIES = {str(level): level for level in range(1, 6)}


class FileProblem(Exception):
    """The file as a whole cannot be read: wrong header, too big, not text."""


@dataclass
class RowProblem:
    line: int
    reason: str


@dataclass
class Preview:
    """What confirming would do: how many leans it adds, how many are there, which rows are wrong."""

    new: int = 0
    already_there: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        return not self.problems and self.new > 0


Fingerprint = tuple


def fingerprint(values: dict[str, object]) -> Fingerprint:
    """Same instant and same fields: the same lean, whichever time zone the file wrote it in.

    The dog is the journal the fingerprints are compared within. Aware datetimes compare and
    hash by their instant, so 09:15+01:00 and 08:15+00:00 are one lean.
    """
    return tuple(
        tuple(value) if isinstance(value, list) else value for value in map(values.__getitem__, LEAN_COLUMNS)
    )


def existing_fingerprints(rows: Iterable[dict[str, object]]) -> Counter[Fingerprint]:
    """How many times each lean is already in the journal (rows as from .values(*LEAN_COLUMNS))."""
    return Counter(map(fingerprint, rows))


def _time(text: str, zone: dt.tzinfo, now: dt.datetime) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"“{text}” is not a time Leanlog can read; write it like 2026-03-01T08:15:00+00:00."
        ) from None
    try:
        if timezone.is_naive(when):
            # Before the zone is applied: year 1 east of UTC runs off the calendar.
            if when.date() < EARLIEST_DATE:
                validate_lean_time(when.replace(tzinfo=dt.UTC), now)
            aware = when.replace(tzinfo=zone)
            # A wall-clock time in the hour the clocks skipped does not survive a trip through
            # UTC; a repeated one is read as its first pass, as the lean form does.
            try:
                round_trip = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
            except OverflowError:
                # Only the last hours of year 9999 overflow: far in the future anyway.
                raise ValueError(f"{text}: {LEAN_TIME_MESSAGES['future']}") from None
            if round_trip != when:
                raise ValueError(f"{text} did not happen in {zone}: the clocks jumped forward that night.")
            when = aware
        validate_lean_time(when, now)
    except ValidationError as error:
        raise ValueError(f"{text}: {' '.join(error.messages)}") from None
    return when


def _row_values(row: dict[str, str], zone: dt.tzinfo, now: dt.datetime) -> dict[str, object]:
    """The lean one row describes, or ValueError with every reason in plain words."""
    reasons: list[str] = []
    values: dict[str, object] = {}
    try:
        values["occurred_at"] = _time(row["occurred_at"], zone, now)
    except ValueError as error:
        reasons.append(str(error))
    # Every field but the time may be blank: "not noted", as in the lean form.
    intensity = _INTENSITIES.get(row["intensity"].strip())
    if intensity is None and row["intensity"].strip():
        reasons.append(f"intensity “{row['intensity']}” is not on the scale of 1 to 5.")
    values["intensity"] = intensity
    for name, (codes, may_be_empty, what) in _SINGLE_CODES.items():
        value = row[name].strip()
        if not value and not may_be_empty:
            reasons.append(f"{name} is empty; it needs {what}.")
        elif value and value not in codes:
            reasons.append(f"{name} “{value}” is not {what} Leanlog knows.")
        values[name] = value
    for name, (codes, what) in _SET_CODES.items():
        given = [code.strip() for code in row[name].split(LIST_SEPARATOR) if code.strip()]
        unknown = [code for code in given if code not in codes]
        if unknown:
            reasons.append(f"{name}: “{'”, “'.join(unknown)}” is not {what} Leanlog knows.")
        values[name] = sorted(set(given))
    notes = row["notes"]
    if len(notes) > NOTES_MAX_LENGTH:
        reasons.append(
            f"notes have {len(notes):,} characters; the most a lean holds is {NOTES_MAX_LENGTH:,}."
        )
    try:
        validate_plain_text(notes)
    except ValidationError as error:
        reasons.append(f"notes: {' '.join(error.messages)}")
    values["notes"] = notes
    if reasons:
        raise ValueError(" ".join(reason[0].upper() + reason[1:] for reason in reasons))
    return values


def _check_header(header: list[str] | None) -> list[str]:
    if not header:
        raise FileProblem("The file is empty. Upload a CSV with a header row, as Leanlog exports it.")
    names = [name.strip() for name in header]
    missing = [name for name in LEAN_COLUMNS if name not in names]
    unknown = [name for name in names if name not in LEAN_COLUMNS and name not in IGNORED_COLUMNS]
    if missing or unknown:
        said = []
        if missing:
            said.append(f"it has no {', '.join(missing)} column{'s' if len(missing) != 1 else ''}")
        if unknown:
            said.append(
                f"Leanlog does not know the column{'s' if len(unknown) != 1 else ''} {', '.join(unknown)}"
            )
        raise FileProblem(
            f"The first row should be the header of a Leanlog export, but {' and '.join(said)}."
        )
    if len(set(names)) != len(names):
        raise FileProblem("The header names a column twice.")
    return names


def read_rows(
    stream: IO[str], zone: dt.tzinfo, now: dt.datetime
) -> Iterator[tuple[int, dict[str, object] | str]]:
    """(line, lean values) for each good row and (line, reason) for each bad one, streamed."""
    reader = csv.reader(stream, strict=True)
    try:
        names = _check_header(next(reader, None))
        width = len(names)
        count = 0
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # Blank lines, such as one at the very end, are no lean.
            count += 1
            if count > MAX_ROWS:
                raise FileProblem(
                    f"The file has more than {MAX_ROWS:,} leans. Split it into smaller files and import each."
                )
            if len(cells) != width:
                yield start, f"It has {len(cells)} cells; the header has {width}."
                continue
            try:
                yield start, _row_values(dict(zip(names, cells, strict=True)), zone, now)
            except ValueError as error:
                yield start, str(error)
    except csv.Error as error:
        raise FileProblem(f"Line {reader.line_num}: the CSV is malformed ({error}).") from None
    except UnicodeDecodeError:
        raise FileProblem("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.") from None


def sort_rows(
    stream: IO[str], existing: Counter[Fingerprint], zone: dt.tzinfo, now: dt.datetime
) -> Iterator[dict[str, object] | RowProblem | None]:
    """Each row as a new lean's values, a problem, or None when the journal has it; streamed."""
    for line, values in read_rows(stream, zone, now):
        if isinstance(values, str):
            yield RowProblem(line, values)
            continue
        key = fingerprint(values)
        # Counted, not just looked up: two identical leans in a journal stay two after a round trip.
        if existing[key] > 0:
            existing[key] -= 1
            yield None
            continue
        yield values


def preview(stream: IO[str], existing: Counter[Fingerprint], zone: dt.tzinfo, now: dt.datetime) -> Preview:
    """What confirming the file would do, storing nothing."""
    result = Preview()
    for outcome in sort_rows(stream, existing, zone, now):
        if outcome is None:
            result.already_there += 1
        elif isinstance(outcome, RowProblem):
            result.problems.append(outcome)
        else:
            result.new += 1
    return result
