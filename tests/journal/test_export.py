"""The CSV export: every stored value comes back exactly when the file is read again."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.csv_format import EXPORT_COLUMNS, incident_csv_values
from journal.fields import CodeSetField
from journal.models import NOTES_MAX_LENGTH, Incident
from journal.vocabulary import Sign, Trigger
from tests.helpers import make_dog, make_incident

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
HEADER = [
    "id",
    "occurred_at",
    "intensity",
    "duration",
    "posture",
    "location",
    "owner_activity",
    "triggers",
    "signs",
    "owner_response",
    "outcome",
    "notes",
]
TRICKY_NOTES = (
    'She "helped" with the shopping, again; then,\r\nsat on my foot.\nTwo lines.\r'
    "=SUM(A1:A9) +1 -1 @home\t<b>bold</b> & ünïcödé 🐕  "
)


def export_url(dog, query: str = "") -> str:
    url = reverse("journal:incident-export", args=[dog.pk])
    return f"{url}?{query}" if query else url


def download(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def rows(text: str) -> list[dict[str, str]]:
    # newline="" keeps the line breaks inside quoted notes exactly as written.
    return list(csv.DictReader(io.StringIO(text, newline="")))


def reconstruct(row: dict[str, str]) -> dict[str, object]:
    """What an import would store for one CSV row."""
    return {
        "id": int(row["id"]),
        "occurred_at": dt.datetime.fromisoformat(row["occurred_at"]),
        "intensity": int(row["intensity"]) if row["intensity"] else None,
        "duration": row["duration"],
        "posture": row["posture"],
        "location": row["location"],
        "owner_activity": row["owner_activity"],
        "triggers": CodeSetField.split(row["triggers"].replace(";", ",")),
        "signs": CodeSetField.split(row["signs"].replace(";", ",")),
        "owner_response": row["owner_response"],
        "outcome": row["outcome"],
        "notes": row["notes"],
    }


def stored(incident: Incident) -> dict[str, object]:
    incident.refresh_from_db()
    return {name: getattr(incident, name) for name in HEADER}


@pytest.fixture
def full_lean(dog) -> Incident:
    return make_incident(
        dog,
        dt.datetime(2026, 7, 1, 7, 15, 42, 250000, tzinfo=UTC),
        intensity=5,
        duration="long",
        posture="side",
        location="dog_park",
        owner_activity="preparing_to_leave",
        triggers=["thunder_fireworks", "other_dogs"],
        signs=["trembling", "wide_eyes", "relaxed"],
        owner_response="moved_away",
        outcome="knocked_over",
        notes=TRICKY_NOTES,
    )


def test_it_starts_with_a_header_of_the_vocabulary_field_names(owner_client, dog):
    text = download(owner_client, export_url(dog))
    assert text.splitlines()[0].split(",") == [*HEADER, "logged_by"]


def test_it_writes_one_row_per_lean_oldest_first(owner_client, dog):
    newer = make_incident(dog, dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    older = make_incident(dog, dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    assert [row["id"] for row in rows(download(owner_client, export_url(dog)))] == [
        str(older.pk),
        str(newer.pk),
    ]


def test_it_writes_the_stored_codes(owner_client, dog, full_lean):
    (row,) = rows(download(owner_client, export_url(dog)))
    assert row == {
        "id": str(full_lean.pk),
        "occurred_at": "2026-07-01T08:15:42.250000+01:00",
        "intensity": "5",
        "duration": "long",
        "posture": "side",
        "location": "dog_park",
        "owner_activity": "preparing_to_leave",
        "triggers": "other_dogs;thunder_fireworks",
        "signs": "relaxed;trembling;wide_eyes",
        "owner_response": "moved_away",
        "outcome": "knocked_over",
        "notes": TRICKY_NOTES,
        # Nobody recorded as its logger: the account that logged it is gone.
        "logged_by": "a former member",
    }


def test_it_names_who_logged_each_lean_by_username(owner_client, owner, dog):
    make_incident(dog, logged_by=owner)
    (row,) = rows(download(owner_client, export_url(dog)))
    assert row["logged_by"] == owner.username


def test_it_writes_the_time_with_the_owners_utc_offset_of_that_day(owner_client, dog):
    make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC))
    make_incident(dog, dt.datetime(2026, 7, 1, 7, 15, tzinfo=UTC))
    times = [row["occurred_at"] for row in rows(download(owner_client, export_url(dog)))]
    assert times == ["2026-03-01T08:15:00+00:00", "2026-07-01T08:15:00+01:00"]


def test_it_writes_the_time_in_another_owners_zone(stranger, stranger_client):
    dog = make_dog(stranger, "Rex")
    make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC))
    (row,) = rows(download(stranger_client, export_url(dog)))
    assert row["occurred_at"] == "2026-03-01T03:15:00-05:00"


def test_it_reads_back_every_field_exactly(owner_client, dog, full_lean):
    plain = make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC))
    exported = [reconstruct(row) for row in rows(download(owner_client, export_url(dog)))]
    assert exported == [stored(plain), stored(full_lean)]


def test_it_keeps_the_line_breaks_inside_notes(owner_client, dog):
    make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC), notes="one\r\ntwo\nthree")
    text = download(owner_client, export_url(dog))
    assert '"one\r\ntwo\nthree"' in text


def test_it_leaves_a_formula_in_notes_as_written(owner_client, dog):
    make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC), notes="=HYPERLINK(1)")
    (row,) = rows(download(owner_client, export_url(dog)))
    assert row["notes"] == "=HYPERLINK(1)"


def test_it_streams_the_file(owner_client, dog):
    response = owner_client.get(export_url(dog))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_it_names_the_file_after_the_dog_and_the_day(owner_client, dog, settings):
    response = owner_client.get(export_url(dog))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="biscuit-leans-')
    assert disposition.endswith('.csv"')


def test_it_names_the_file_safely_for_a_dog_with_an_unusual_name(owner, owner_client):
    dog = make_dog(owner, 'Zoë "Trouble" / Ünal')
    response = owner_client.get(export_url(dog))
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''zo%C3%AB-trouble-%C3%BCnal-leans-"
    )


def test_it_applies_the_journals_filters(owner_client, dog):
    walk = make_incident(dog, dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC), location="walk", signs=["panting"])
    make_incident(dog, dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC), location="walk")
    make_incident(dog, dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC), location="home", signs=["panting"])
    text = download(
        owner_client, export_url(dog, "location=walk&group=anxiety&start=2026-03-02&end=2026-03-02")
    )
    assert [row["id"] for row in rows(text)] == [str(walk.pk)]


def test_it_exports_only_the_leans_behind_a_flag(owner_client, dog):
    first = make_incident(dog, dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    make_incident(dog, dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    text = download(owner_client, export_url(dog, f"ids={first.pk}"))
    assert [row["id"] for row in rows(text)] == [str(first.pk)]


def test_it_exports_only_the_header_for_a_dog_without_leans(owner_client, dog):
    assert download(owner_client, export_url(dog)) == ",".join([*HEADER, "logged_by"]) + "\r\n"


def test_it_sends_bad_filters_back_to_the_journal_to_be_fixed(owner_client, dog):
    response = owner_client.get(export_url(dog, "sign=glowing"))
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:incident-list", args=[dog.pk]) + "?sign=glowing"


def test_it_sends_an_out_of_range_date_back_to_the_journal(owner_client, dog):
    response = owner_client.get(export_url(dog, "end=9999-12-31"))
    assert response.status_code == 302


# 1. the session, 2. the owner, 3. the dog, 4. the leans (read in chunks, one query for a
# journal of this size). Nothing per lean.
EXPORT_QUERIES = 4


@pytest.mark.parametrize("count", [1, 80])
def test_it_runs_the_same_few_queries_however_many_leans(
    owner_client, dog, count, django_assert_max_num_queries
):
    for hour in range(count):
        make_incident(dog, dt.datetime(2026, 3, 1, 8, 0, tzinfo=UTC) - dt.timedelta(hours=hour))
    with django_assert_max_num_queries(EXPORT_QUERIES):
        text = download(owner_client, export_url(dog))
    assert len(rows(text)) == count


# --- Any notes at all survive the trip -----------------------------------------------------

# Text a database keeps: PostgreSQL refuses NUL, and surrogates are not valid UTF-8.
storable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=NOTES_MAX_LENGTH,
)


@settings(max_examples=200, deadline=None)
@given(
    notes=storable_text,
    signs=st.lists(st.sampled_from(Sign.values), unique=True).map(sorted),
    triggers=st.lists(st.sampled_from(Trigger.values), unique=True).map(sorted),
    moment=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2030, 12, 31),
        timezones=st.just(UTC),
    ),
)
def test_it_reads_back_any_notes_codes_and_moment(notes, signs, triggers, moment):
    incident = Incident(
        id=7, occurred_at=moment, intensity=2, duration="moment", posture="front", location="car",
        owner_activity="eating", triggers=triggers, signs=signs, owner_response="treat", outcome="left",
        notes=notes,
    )  # fmt: skip
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([EXPORT_COLUMNS, incident_csv_values(incident, LONDON)])
    (row,) = rows(buffer.getvalue())
    assert reconstruct(row) == {name: getattr(incident, name) for name in HEADER}
