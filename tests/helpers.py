"""Helpers every test module may use: data built explicitly, pages read as a person reads them.

Test modules import from here, never from each other.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from html.parser import HTMLParser

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import second_factor
from dogs.models import Dog, Invitation, Membership, Owner, Role, new_token
from journal.models import Event, Incident, Weight
from journal.report.numbers import DogFacts, Report, load_reports, report_of_tally
from journal.report.period import Period
from journal.report.tally import stored_rows, tally_of
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


def make_event(dog: Dog, started_on: dt.date, title: str = "Carprofen 50 mg", **fields) -> Event:
    fields.setdefault("kind", "medication")
    return Event.objects.create(dog=dog, started_on=started_on, title=title, **fields)


def make_weight(dog: Dog, measured_on: dt.date, weight_kg: str, **fields) -> Weight:
    return Weight.objects.create(dog=dog, measured_on=measured_on, weight_kg=Decimal(weight_kg), **fields)


def earlier_today(minutes: int, time_zone: str = "Europe/London") -> dt.datetime:
    """`minutes` ago, but not before midnight in `time_zone`: a test run just after midnight keeps one day."""
    zone = zoneinfo.ZoneInfo(time_zone)
    now = timezone.now()
    midnight = dt.datetime.combine(now.astimezone(zone).date(), dt.time(), tzinfo=zone)
    return max(now - dt.timedelta(minutes=minutes), midnight)


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


# Reading pages: parsed with the standard library's html.parser, never matched with regexes.

# Elements that never have content, so never an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# A compound selector: a tag, then any of #id, .class, [attr] and [attr=value] / [attr="value"].
SELECTOR_PART = re.compile(r"""([#.])([\w-]+)|\[([\w-]+)(?:=(?:"([^"]*)"|([^\]]*)))?\]|([\w-]+)""")


class Element:
    """One element of a parsed page: its tag, attributes and what it holds."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None = None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    def get(self, name: str, default: str | None = None) -> str | None:
        """The attribute's value; an attribute given without one (autofocus) reads as ''."""
        if name not in self.attrs:
            return default
        return self.attrs[name] or ""

    def elements(self) -> list[Element]:
        """Every element inside this one, in document order."""
        found = []
        for child in self.children:
            if isinstance(child, Element):
                found.append(child)
                found.extend(child.elements())
        return found

    def _pieces(self) -> list[str]:
        if self.tag in {"script", "style"}:
            return []
        return [p for c in self.children for p in ([c] if isinstance(c, str) else c._pieces())]

    @property
    def text(self) -> str:
        """The visible text, each tag read as a space and runs of spaces collapsed."""
        return " ".join(" ".join(self._pieces()).split())

    def matches(self, compound: str) -> bool:
        for mark, name, attr, quoted, bare, tag in SELECTOR_PART.findall(compound):
            if tag and self.tag != tag:
                return False
            if mark == "#" and self.get("id") != name:
                return False
            if mark == "." and name not in (self.get("class") or "").split():
                return False
            if attr and (attr not in self.attrs or ((quoted or bare) and self.get(attr) != (quoted or bare))):
                return False
        return True

    def select(self, selector: str) -> list[Element]:
        """The elements inside this one that match a CSS selector of compounds and descendant spaces."""
        first, *rest = selector.split()
        found = [element for element in self.elements() if element.matches(first)]
        for compound in rest:
            found = [inner for outer in found for inner in outer.elements() if inner.matches(compound)]
            # One element inside two matching ones is found once.
            found = list(dict.fromkeys(found))
        return found

    def select_one(self, selector: str) -> Element | None:
        found = self.select(selector)
        return found[0] if found else None


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.open[-1])
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <rect ... /> in an SVG, <br/>: an element with nothing inside.
        self.open[-1].children.append(Element(tag, dict(attrs), self.open[-1]))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open element; a stray end tag changes nothing.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def page(response) -> Element:
    """The parsed page of a response (or of a string of HTML)."""
    tree = _Tree()
    tree.feed(response if isinstance(response, str) else response.content.decode())
    tree.close()
    return tree.root


def select(response, selector: str) -> list[Element]:
    """The page's elements that match the selector, in document order."""
    return page(response).select(selector)


def select_one(response, selector: str) -> Element | None:
    return page(response).select_one(selector)


def text(response) -> str:
    """The page's visible text, tags read as spaces and spaces collapsed."""
    return page(response).text


def field_error(response: HttpResponse, name: str) -> str:
    """The error text crispy renders right under the field (empty when there is none)."""
    error = select_one(response, f"div#id_{name}_error.invalid-feedback")
    return error.text if error else ""


def field_value(response: HttpResponse, name: str) -> str | None:
    """The value an <input> shows again after the page comes back."""
    field = select_one(response, f'input[name="{name}"]')
    return None if field is None else field.get("value", "")


def selected_option(response: HttpResponse, name: str) -> str | None:
    """The option a <select> shows as chosen."""
    field = select_one(response, f'select[name="{name}"]')
    if field is None:
        return None
    option = field.select_one("option[selected]")
    return option.get("value") if option else None


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


# --- the second factor -------------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    """The code the app shows now; the device's replay guard is reset so each test code is new."""
    # django-otp refuses a code of a time step already used; tests ask for several in one step.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def turn_on(owner: Owner) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and ten recovery codes, as the setup page leaves them."""
    device = second_factor.setup_device(owner)
    assert second_factor.confirm_setup(owner, current_code(device))
    device.refresh_from_db()
    return device, second_factor.new_recovery_codes(owner)


def sign_in_password(client: Client, username: str = "alice", password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def send_code(client: Client, code: str):
    return client.post(reverse("two-factor-sign-in"), {"code": code})


def with_second_factor(client: Client, owner: Owner) -> Client:
    """The client signed in as the owner with a code, as the admin wants staff to be."""
    device, _ = turn_on(owner)
    client.force_login(owner)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
