"""Helpers every test module may use: data built explicitly, pages read as a person reads them.

Test modules import from here, never from each other.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser

from django.http import HttpResponse
from django.utils import timezone

from dogs.models import Dog, Invitation, Membership, Owner, Role, new_token
from journal.models import Incident
from journal.period import Period
from journal.report import DogFacts, Report, load_reports, report_of_tally
from journal.tally import stored_rows, tally_of
from sharing.models import ShareLink

UTC = dt.UTC


# Owners, dogs and leans.

PASSWORD = "walkies-and-biscuits-42"


def a_lean(**overrides) -> dict[str, object]:
    """What the browser posts for a lean on 1 March 2026 with only its time noted, plus the given fields."""
    data: dict[str, object] = {
        "occurred_at": "2026-03-01T08:15",
        "intensity": "",
        "duration": "",
        "posture": "",
        "location": "",
        "owner_activity": "",
        "owner_response": "",
        "outcome": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def make_owner(username: str = "alice", time_zone: str = "Europe/London") -> Owner:
    return Owner.objects.create_user(username=username, password=PASSWORD, time_zone=time_zone)


def make_dog(owner: Owner, name: str = "Biscuit", **fields) -> Dog:
    fields.setdefault("size", "medium")
    fields.setdefault("birth_date", dt.date(2021, 3, 14))
    dog = Dog.objects.create(owner=owner, name=name, **fields)
    Membership.objects.create(dog=dog, person=owner, role=Role.OWNER)
    return dog


def add_member(dog: Dog, person: Owner, role: str) -> Membership:
    return Membership.objects.create(dog=dog, person=person, role=role)


def make_invitation(dog: Dog, role: str = "carer", days: float = 7, **fields) -> tuple[Invitation, str]:
    """A pending invitation and its token (the token exists only here and in the link)."""
    token, digest = new_token()
    fields.setdefault("invited_by", dog.memberships.filter(role="owner").first().person)
    invitation = Invitation.objects.create(
        dog=dog, role=role, token_hash=digest, expires_at=timezone.now() + dt.timedelta(days=days), **fields
    )
    return invitation, token


def make_incident(dog: Dog, occurred_at: dt.datetime | None = None, **fields) -> Incident:
    return Incident.objects.create(dog=dog, occurred_at=occurred_at or timezone.now(), **fields)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# A known journal: six leans in March 2025, counted by hand in the report tests.


# Columns of tally.ROW_FIELDS, by name.
def row(id, when, intensity, location, activity="", response="", outcome="", triggers=(), signs=()):
    return (id, when, intensity, location, activity, response, outcome, list(triggers), list(signs))


THUNDER = ["thunder_fireworks"]
RELAXED = ["relaxed", "tail_wagging"]

# Six leans in the period, counted by hand in the tests below.
ROWS = [
    row(
        1,
        utc(2025, 3, 2, 0, 10),
        2,
        "home",
        "just_arrived",
        "petted",
        "settled",
        signs=["relaxed", "tail_wagging"],
    ),
    row(
        2, utc(2025, 3, 5, 18), 4, "home", "relaxing", "talked", "settled", THUNDER, ["panting", "trembling"]
    ),
    row(3, utc(2025, 3, 5, 18, 30), 5, "home", "relaxing", "talked", "continued", THUNDER, ["trembling"]),
    row(4, utc(2025, 3, 12, 8), 3, "dog_park", "walking", "ignored", triggers=["other_dogs"]),
    row(5, utc(2025, 3, 20, 12), 1, "home", "busy", "petted", "settled", signs=["nudging"]),
    # 23:30 UTC on the 30th is 00:30 summer time on Monday the 31st in London.
    row(6, utc(2025, 3, 30, 23, 30), 3, "home", signs=["stiffness", "trembling"]),
]


def report_of_rows(
    dog: DogFacts,
    period: Period,
    rows,
    previous_incidents: int,
    first_lean_on: dt.date | None,
    today: dt.date,
    tz: dt.tzinfo,
    checkin_days=(),
    acknowledgements=None,
) -> Report:
    """The report counted from `row`s, no database: the pure report_of_tally of their tally."""
    tally = tally_of(stored_rows(rows), tz)
    return report_of_tally(
        dog, period, tally, previous_incidents, first_lean_on, today, checkin_days, acknowledgements
    )


def load_report(dog: Dog, period: Period, today: dt.date, tz: dt.tzinfo) -> Report:
    """One dog's report built from the database with the cache aside (what a fresh page builds)."""
    return load_reports([dog], period, today, tz)[dog.pk]


def journal_in_db(dog: Dog) -> dict[int, int]:
    """ROWS saved for dog, plus two leans in the previous period; {ROWS id: database id}."""
    ids = {}
    for row_id, when, intensity, location, activity, response, outcome, triggers, signs in ROWS:
        incident = make_incident(
            dog,
            when,
            intensity=intensity,
            location=location,
            owner_activity=activity,
            owner_response=response,
            outcome=outcome,
            triggers=triggers,
            signs=signs,
        )
        ids[row_id] = incident.pk
    make_incident(dog, utc(2025, 2, 10, 9))
    make_incident(dog, utc(2025, 3, 1, 23, 30))  # Saturday night, still the previous period
    return ids


# Reading pages.


def text(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def field_error(response: HttpResponse, name: str) -> str:
    """The error text crispy renders right under the field (empty when there is none)."""
    page = response.content.decode()
    match = re.search(rf'<div id="id_{name}_error" class="invalid-feedback">(.*?)</div>', page, re.S)
    if not match:
        return ""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()))


def field_value(response: HttpResponse, name: str) -> str | None:
    """The value an <input> shows again after the page comes back."""
    page = response.content.decode()
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if not tag:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def selected_option(response: HttpResponse, name: str) -> str | None:
    """The option a <select> shows as chosen."""
    page = response.content.decode()
    select = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', page, re.S)
    if not select:
        return None
    option = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return option.group(1) if option else None


class _Inputs(HTMLParser):
    """Collects the attributes of every <input> and the text of every <textarea>."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.textareas: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.inputs.append(dict(attrs))
        elif tag == "textarea":
            self._textarea = dict(attrs)["name"]
            self.textareas[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.textareas[self._textarea] += data


def parse(response) -> _Inputs:
    parser = _Inputs()
    parser.feed(response.content.decode())
    return parser


def checked(response, name: str) -> list[str]:
    return [i["value"] for i in parse(response).inputs if i.get("name") == name and "checked" in i]


def value_of(response, name: str) -> str | None:
    return next(i.get("value") for i in parse(response).inputs if i.get("name") == name)


def make_share(dog: Dog, days: int = 90, expires_in_days: float = 14, **fields) -> tuple[ShareLink, str]:
    """A live vet link to the last `days` days and its token."""
    token, digest = new_token()
    today = timezone.localdate()
    fields.setdefault("created_by", dog.memberships.filter(role="owner").first().person)
    share = ShareLink.objects.create(
        dog=dog,
        token_hash=digest,
        start=today - dt.timedelta(days=days - 1),
        end=today,
        time_zone="Europe/London",
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
        **fields,
    )
    return share, token
