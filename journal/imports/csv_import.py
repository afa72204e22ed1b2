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
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy, pgettext

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

# Column -> (allowed codes, may be empty, the reason when it is empty, the reason for an unknown code).
# Translators: in these reasons %(column)s is a CSV column's name (such as owner_activity), which
# stays as it is, and %(value)s the cell's text. Leanlog capitalises the reason's first letter.
_SINGLE_CODES: dict[str, tuple[frozenset[str], bool, str, str]] = {
    "duration": (
        frozenset(Duration.values),
        True,
        gettext_lazy("%(column)s is empty; it needs a duration."),
        gettext_lazy("%(column)s “%(value)s” is not a duration Leanlog knows."),
    ),
    "posture": (
        frozenset(Posture.values),
        True,
        gettext_lazy("%(column)s is empty; it needs a posture."),
        gettext_lazy("%(column)s “%(value)s” is not a posture Leanlog knows."),
    ),
    "location": (
        frozenset(Location.values),
        True,
        gettext_lazy("%(column)s is empty; it needs a place."),
        gettext_lazy("%(column)s “%(value)s” is not a place Leanlog knows."),
    ),
    "owner_activity": (
        frozenset(OwnerActivity.values),
        True,
        gettext_lazy("%(column)s is empty; it needs an activity."),
        gettext_lazy("%(column)s “%(value)s” is not an activity Leanlog knows."),
    ),
    "owner_response": (
        frozenset(OwnerResponse.values),
        True,
        gettext_lazy("%(column)s is empty; it needs a response."),
        gettext_lazy("%(column)s “%(value)s” is not a response Leanlog knows."),
    ),
    "outcome": (
        frozenset(Outcome.values),
        True,
        gettext_lazy("%(column)s is empty; it needs an outcome."),
        gettext_lazy("%(column)s “%(value)s” is not an outcome Leanlog knows."),
    ),
}
# Column -> (allowed codes, the reason for unknown codes). Translators: %(codes)s is one or more
# codes, each in quotes, separated by ”, “.
_SET_CODES: dict[str, tuple[frozenset[str], str]] = {
    "triggers": (
        frozenset(Trigger.values),
        ngettext_lazy(
            "%(column)s: “%(codes)s” is not a trigger Leanlog knows.",
            "%(column)s: “%(codes)s” is not a trigger Leanlog knows.",
            "count",
        ),
    ),
    "signs": (
        frozenset(Sign.values),
        ngettext_lazy(
            "%(column)s: “%(codes)s” is not a sign Leanlog knows.",
            "%(column)s: “%(codes)s” is not a sign Leanlog knows.",
            "count",
        ),
    ),
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


def _quoted_codes_joiner() -> str:
    # Translators: goes between two codes in a list that is quoted as a whole: “a”, “b”. Use your quotes.
    return pgettext("between two quoted codes", "”, “")


# Translators: %(time)s is the time as the file has it, %(problem)s what is wrong with it (a sentence).
TIME_PROBLEM = gettext_lazy("%(time)s: %(problem)s")


def _time(text: str, zone: dt.tzinfo, now: dt.datetime) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            gettext("“%(time)s” is not a time Leanlog can read; write it like 2026-03-01T08:15:00+00:00.")
            % {"time": text}
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
                raise ValueError(
                    TIME_PROBLEM % {"time": text, "problem": LEAN_TIME_MESSAGES["future"]}
                ) from None
            if round_trip != when:
                raise ValueError(
                    # Translators: %(time)s is the time as the file has it, %(zone)s a zone (Europe/Berlin).
                    gettext("%(time)s did not happen in %(zone)s: the clocks jumped forward that night.")
                    % {"time": text, "zone": zone}
                )
            when = aware
        validate_lean_time(when, now)
    except ValidationError as error:
        raise ValueError(TIME_PROBLEM % {"time": text, "problem": " ".join(error.messages)}) from None
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
        reasons.append(
            gettext("%(column)s “%(value)s” is not on the scale of 1 to 5.")
            % {"column": "intensity", "value": row["intensity"]}
        )
    values["intensity"] = intensity
    for name, (codes, may_be_empty, empty, unknown_code) in _SINGLE_CODES.items():
        value = row[name].strip()
        if not value and not may_be_empty:
            reasons.append(empty % {"column": name})
        elif value and value not in codes:
            reasons.append(unknown_code % {"column": name, "value": value})
        values[name] = value
    for name, (codes, unknown_codes) in _SET_CODES.items():
        given = [code.strip() for code in row[name].split(LIST_SEPARATOR) if code.strip()]
        unknown = [code for code in given if code not in codes]
        if unknown:
            reasons.append(
                unknown_codes
                % {"column": name, "codes": _quoted_codes_joiner().join(unknown), "count": len(unknown)}
            )
        values[name] = sorted(set(given))
    notes = row["notes"]
    if len(notes) > NOTES_MAX_LENGTH:
        reasons.append(
            # Translators: "notes" is the CSV column's name; %(count)s and %(max)s are numbers of characters.
            ngettext(
                "notes have %(count)s character; the most a lean holds is %(max)s.",
                "notes have %(count)s characters; the most a lean holds is %(max)s.",
                len(notes),
            )
            % {
                "count": number_format(len(notes), force_grouping=True),
                "max": number_format(NOTES_MAX_LENGTH, force_grouping=True),
            }
        )
    try:
        validate_plain_text(notes)
    except ValidationError as error:
        # Translators: "notes" is the CSV column's name; %(problem)s is what is wrong with the cell.
        reasons.append(gettext("notes: %(problem)s") % {"problem": " ".join(error.messages)})
    values["notes"] = notes
    if reasons:
        raise ValueError(" ".join(reason[0].upper() + reason[1:] for reason in reasons))
    return values


def _check_header(header: list[str] | None) -> list[str]:
    if not header:
        raise FileProblem(
            gettext("The file is empty. Upload a CSV with a header row, as Leanlog exports it.")
        )
    names = [name.strip() for name in header]
    missing = [name for name in LEAN_COLUMNS if name not in names]
    unknown = [name for name in names if name not in LEAN_COLUMNS and name not in IGNORED_COLUMNS]
    if missing or unknown:
        # Translators: %(missing)s and %(unknown)s are lists of CSV column names, such as "notes, outcome".
        said = {"missing": ", ".join(missing), "unknown": ", ".join(unknown)}
        if not unknown:
            raise FileProblem(
                ngettext(
                    "The first row should be the header of a Leanlog export, "
                    "but it has no %(missing)s column.",
                    "The first row should be the header of a Leanlog export, "
                    "but it has no %(missing)s columns.",
                    len(missing),
                )
                % said
            )
        if not missing:
            raise FileProblem(
                ngettext(
                    "The first row should be the header of a Leanlog export, "
                    "but Leanlog does not know the column %(unknown)s.",
                    "The first row should be the header of a Leanlog export, "
                    "but Leanlog does not know the columns %(unknown)s.",
                    len(unknown),
                )
                % said
            )
        if len(missing) == 1:
            raise FileProblem(
                ngettext(
                    "The first row should be the header of a Leanlog export, but it has no %(missing)s "
                    "column and Leanlog does not know the column %(unknown)s.",
                    "The first row should be the header of a Leanlog export, but it has no %(missing)s "
                    "column and Leanlog does not know the columns %(unknown)s.",
                    len(unknown),
                )
                % said
            )
        raise FileProblem(
            ngettext(
                "The first row should be the header of a Leanlog export, but it has no %(missing)s "
                "columns and Leanlog does not know the column %(unknown)s.",
                "The first row should be the header of a Leanlog export, but it has no %(missing)s "
                "columns and Leanlog does not know the columns %(unknown)s.",
                len(unknown),
            )
            % said
        )
    if len(set(names)) != len(names):
        raise FileProblem(gettext("The header names a column twice."))
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
                    ngettext(
                        "The file has more than %(max)s lean. Split it into smaller files and import each.",
                        "The file has more than %(max)s leans. Split it into smaller files and import each.",
                        MAX_ROWS,
                    )
                    % {"max": number_format(MAX_ROWS, force_grouping=True)}
                )
            if len(cells) != width:
                yield (
                    start,
                    ngettext(
                        "It has %(count)s cell; the header has %(width)s.",
                        "It has %(count)s cells; the header has %(width)s.",
                        len(cells),
                    )
                    % {"count": len(cells), "width": width},
                )
                continue
            try:
                yield start, _row_values(dict(zip(names, cells, strict=True)), zone, now)
            except ValueError as error:
                yield start, str(error)
    except csv.Error as error:
        # Translators: %(line)s is a line number; %(error)s is Python's own description, in English.
        raise FileProblem(
            gettext("Line %(line)s: the CSV is malformed (%(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from None
    except UnicodeDecodeError:
        raise FileProblem(
            gettext("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None


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
