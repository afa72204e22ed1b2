"""Hostile input shows as text, oversize bodies and files bounce, CSRF holds, and fuzzing finds no 500."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dogs.models import Dog, Owner, Size
from journal.models import Incident
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
from tests.helpers import PASSWORD, make_dog, make_incident, make_owner, make_share
from tests.trust.support import (
    DOG_FIELDS,
    PUBLIC_NAMES,
    Journals,
    form_body,
    project_routes,
    send,
    signed_in_routes,
    snapshot,
    text_of,
    url_for,
)

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
# What the markup must never look like in a page, and what it must look like instead.
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


def hostile(field: str) -> str:
    """The markup, led by the field's name so that each field can be found in a page."""
    return field + HOSTILE


def escaped(field: str) -> str:
    return field + ESCAPED


# --- markup in every text field ----------------------------------------------------------


@dataclass(frozen=True)
class MarkedUp:
    client: Client
    dog: Dog
    incident: Incident


@pytest.fixture
def marked_up(db) -> MarkedUp:
    """An owner who typed markup into every text field, through the real forms."""
    owner = make_owner(hostile("owner"))  # sign-up refuses this name (see below); an admin may not
    client = Client()
    client.force_login(owner)
    fields = {"name": hostile("name"), "breed": hostile("breed"), "notes": hostile("dognotes")}
    client.post(reverse("dogs:dog-create"), {**DOG_FIELDS, **fields})
    dog = Dog.objects.get(owner=owner)
    send(
        client,
        "POST",
        reverse("journal:incident-create", args=[dog.pk]),
        form_body(notes=hostile("leannotes")),
    )
    incident = Incident.objects.get(dog=dog)
    assert (dog.name, incident.notes) == (hostile("name"), hostile("leannotes"))
    return MarkedUp(client, dog, incident)


def every_page(marked_up: MarkedUp):
    for route in signed_in_routes():
        path = url_for(route, marked_up.dog, marked_up.incident) if route.kwargs else reverse(route.name)
        yield path, marked_up.client.get(path)


def test_it_shows_markup_as_text_on_every_page(marked_up: MarkedUp) -> None:
    for path, response in every_page(marked_up):
        if not response["Content-Type"].startswith("text/html"):
            continue  # JSON and CSV: see the next test
        body = text_of(response)
        for marker in RAW_MARKERS:
            assert marker not in body, f"{path} renders {marker!r} as markup"


def test_it_never_serves_stored_text_as_html_outside_pages(marked_up: MarkedUp) -> None:
    raw_text_at = []
    for path, response in every_page(marked_up):
        # JSON escapes the quote and CSV doubles it, so look for the quote-free markers.
        if any(marker in text_of(response) for marker in RAW_MARKERS):
            raw_text_at.append(path)
            # Raw text is right in JSON or CSV, as long as no browser may take it for a page.
            assert not response["Content-Type"].startswith("text/html"), path
            assert response["X-Content-Type-Options"] == "nosniff"
    # The report's JSON and the CSV export carry the text as typed: both were checked.
    assert any(path.endswith("report.json") for path in raw_text_at), raw_text_at
    assert any(path.endswith(".csv") for path in raw_text_at), raw_text_at


SHOWN_ON = {
    "dogs:home": ("name", "owner"),
    "dogs:dog-detail": ("name", "breed", "dognotes"),
    "dogs:dog-edit": ("name", "breed", "dognotes"),
    "journal:incident-list": ("name", "leannotes"),
    "journal:incident-edit": ("name", "leannotes"),
    "journal:report": ("name", "breed"),
}


@pytest.mark.parametrize(("name", "fields"), SHOWN_ON.items(), ids=list(SHOWN_ON))
def test_it_shows_the_markup_escaped_where_the_text_belongs(
    marked_up: MarkedUp, name: str, fields: tuple[str, ...]
) -> None:
    route = next(route for route in project_routes() if route.name == name)
    path = url_for(route, marked_up.dog, marked_up.incident) if route.kwargs else reverse(name)

    body = marked_up.client.get(path).content.decode()

    for field in fields:
        assert escaped(field) in body, f"{name} does not show the {field} as text"


def test_it_shows_a_hostile_username_as_text_on_the_lockout_page(client, db) -> None:
    response = None
    for _ in range(5):
        response = client.post(reverse("login"), {"username": hostile("owner"), "password": "wrong-guess"})

    assert response.status_code == 429
    assert escaped("owner") in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()


def test_it_refuses_markup_in_a_username_at_sign_up(client, db) -> None:
    password = "qx7!bm2Lpz"

    response = client.post(
        reverse("dogs:signup"), {"username": hostile("owner"), "password1": password, "password2": password}
    )

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not Owner.objects.filter(username=hostile("owner")).exists()


# --- size limits -------------------------------------------------------------------------


def test_it_refuses_an_oversize_body(owner_client, owner) -> None:
    body = urlencode({**DOG_FIELDS, "notes": "x" * 300_000})

    response = owner_client.post(
        reverse("dogs:dog-create"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert not Dog.objects.exists()


def test_it_refuses_an_oversize_body_at_sign_in(client, owner) -> None:
    body = urlencode({"username": "alice", "password": PASSWORD, "padding": "x" * 300_000})

    response = send(client, "POST", reverse("login"), body)

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_form_with_too_many_fields(owner_client, owner) -> None:
    body = urlencode({**DOG_FIELDS, **{f"extra{number}": "1" for number in range(250)}})

    response = owner_client.post(
        reverse("dogs:dog-create"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert not Dog.objects.exists()


def test_it_refuses_an_uploaded_file(owner_client, owner) -> None:
    photo = SimpleUploadedFile("biscuit.jpg", b"\xff\xd8" + b"0" * 2_000_000, content_type="image/jpeg")

    response = owner_client.post(reverse("dogs:dog-create"), {**DOG_FIELDS, "photo": photo})

    assert response.status_code == 400
    assert not Dog.objects.exists()


# --- CSRF --------------------------------------------------------------------------------


def csrf_client(owner: Owner | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if owner is not None:
        client.force_login(owner)
    return client


@pytest.mark.parametrize("route", signed_in_routes(), ids=str)
def test_it_refuses_a_signed_in_post_without_a_csrf_token(journals: Journals, route) -> None:
    client = csrf_client(journals.owner)
    target = url_for(route, journals.dog, journals.incident) if route.kwargs else reverse(route.name)

    response = send(client, "POST", target, form_body())

    assert response.status_code == 403
    assert Dog.objects.filter(pk=journals.dog.pk).exists()
    assert Incident.objects.filter(pk=journals.incident.pk).exists()


# The vet's note is the one exception: its link is the only credential (tests/sharing).
@pytest.mark.parametrize("name", sorted(PUBLIC_NAMES - {"shared-note"}))
def test_it_refuses_a_public_post_without_a_csrf_token(db, name: str) -> None:
    make_owner("alice")
    route = next(route for route in project_routes() if route.name == name)
    # Any value reaches the CSRF check, which comes first (reset links, invitations, vet links).
    values = {"uidb64": "MQ", "token": "set-password"}
    kwargs = {name: values[name] for name in route.kwargs}
    body = urlencode({"username": "alice", "password": PASSWORD, "email": "a@example.org"})

    response = send(csrf_client(), "POST", reverse(name, kwargs=kwargs), body)

    assert response.status_code == 403


def test_it_accepts_a_post_with_the_csrf_token(journals: Journals) -> None:
    # The control: the same kind of post with the page's token goes through.
    client = csrf_client(journals.owner)
    page = client.get(reverse("dogs:dog-edit", args=[journals.dog.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(
        reverse("dogs:dog-edit", args=[journals.dog.pk]), {**DOG_FIELDS, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    journals.dog.refresh_from_db()
    assert journals.dog.name == DOG_FIELDS["name"]


# --- property-based: arbitrary input never breaks the forms -------------------------------

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text a browser could send: everything but lone surrogates, which UTF-8 cannot carry.
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80)
any_number = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def codes_or_junk(values: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), any_text, any_number)


any_datetime_local = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59)).map(
        lambda moment: moment.strftime("%Y-%m-%dT%H:%M").rjust(16, "0")
    ),
    any_text,
    any_number,
)


def iso_date(day: dt.date) -> str:
    return f"{day.year:04d}-{day:%m-%d}"


dog_posts = st.fixed_dictionaries(
    {
        "name": any_text,
        "breed": any_text,
        "size": codes_or_junk(Size.values),
        "birth_date": st.one_of(
            st.dates().map(lambda day: f"{day.year:04d}-{day:%m-%d}"), any_text, any_number
        ),
        "sex": codes_or_junk(["", "female", "male"]),
        "weight_kg": st.one_of(any_number, any_text),
        "notes": st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=2100),
    }
)

incident_posts = st.fixed_dictionaries(
    {
        "occurred_at": any_datetime_local,
        "intensity": st.one_of(st.integers(min_value=-10, max_value=10).map(str), any_number, any_text),
        "duration": codes_or_junk(Duration.values),
        "posture": codes_or_junk(Posture.values),
        "location": codes_or_junk(Location.values),
        "owner_activity": codes_or_junk(["", *OwnerActivity.values]),
        "triggers": st.lists(codes_or_junk(Trigger.values), max_size=4),
        "signs": st.lists(codes_or_junk(Sign.values), max_size=6),
        "owner_response": codes_or_junk(["", *OwnerResponse.values]),
        "outcome": codes_or_junk(["", *Outcome.values]),
        "notes": st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=2100),
    }
)


def post_form(client: Client, path: str, data: dict) -> int:
    response = send(client, "POST", path, urlencode(data, doseq=True))
    return response.status_code


@FUZZ
@given(data=dog_posts)
def test_it_survives_anything_posted_to_the_dog_form(owner_client, owner, data) -> None:
    before = Dog.objects.count()

    status = post_form(owner_client, reverse("dogs:dog-create"), data)

    assert status in {200, 302}
    assert Dog.objects.count() == before + (1 if status == 302 else 0)


# The far ends of the calendar overflow when a zone's offset pushes them past year 1 or 9999.
EDGE_TIMES = {"America/New_York": "9999-12-31T23:59", "Asia/Tokyo": "0001-01-01T00:00"}


@FUZZ
@given(data=incident_posts, zone=st.sampled_from(["Europe/London", *EDGE_TIMES]))
@example(data={"occurred_at": EDGE_TIMES["America/New_York"]}, zone="America/New_York")
@example(data={"occurred_at": EDGE_TIMES["Asia/Tokyo"]}, zone="Asia/Tokyo")
@example(data={"intensity": "99999999999999999999"}, zone="Europe/London")
def test_it_survives_anything_posted_to_the_incident_form(db, data, zone) -> None:
    owner = Owner.objects.filter(time_zone=zone).first() or make_owner(f"fuzz-{zone.replace('/', '-')}", zone)
    dog = Dog.objects.filter(owner=owner).first() or make_dog(owner)
    client = Client()
    client.force_login(owner)
    before = Incident.objects.count()

    status = post_form(client, reverse("journal:incident-create", args=[dog.pk]), data)

    assert status in {200, 302}
    assert Incident.objects.count() == before + (1 if status == 302 else 0)


# --- property-based: hostile values at every door, on both databases ----------------------

FEW = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What only an attacker sends: control characters (NUL among them), 5,000 characters (past
# every field's limit; the 100 kB username is an example below), and in JSON the
# lone surrogates a form post cannot carry.
form_text = st.one_of(
    any_text,
    st.sampled_from(["\x00", "a\x00b", "Bis\r\ncuit", "\t", "\x1b[31m", "a" * 5_000, "-1", "NaN"]),
)
json_text = st.one_of(form_text, st.text(max_size=20), st.sampled_from(["\ud800", "a\udfffb"]))
# Times at the edges of the calendar and of the offsets, and numbers a parser may take for one.
odd_times = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+00:00",
            "0001-01-01T00:00",
            "9999-12-31T23:59:59+00:00",
            "9999-12-31T23:59",
            "1989-12-31T23:59:00+00:00",
            "2026-03-01T08:15:00+23:59",
            "2026-03-01T08:15:00-14:01",
            "2026-03-01T08:15:00+14:00",
            "2026-03-01T08:15:00-12:00",
        ]
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
        dt.datetime.isoformat
    ),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    form_text,
)
json_times = st.one_of(odd_times, st.integers(min_value=-(2**40), max_value=2**40), st.floats())
ZONES = st.sampled_from(["Europe/Berlin", "America/New_York"])


def rows_but_tokens() -> dict[str, list[dict]]:
    """What a refused request must leave alone; an API call moves only its token's last use."""
    return {name: table for name, table in snapshot().items() if name != "tokens"}


def household(zone: str) -> tuple[Owner, Dog, Client]:
    owner = Owner.objects.filter(time_zone=zone).first() or make_owner(f"odd-{zone.replace('/', '-')}", zone)
    dog = Dog.objects.filter(owner=owner).first() or make_dog(owner)
    client = Client()
    client.force_login(owner)
    return owner, dog, client


def assert_pages_survive(client: Client, dog: Dog) -> None:
    """What the household sees after a write: the journal, its CSV, the report and report.json."""
    for name in ("journal:incident-list", "journal:incident-export", "journal:report", "journal:report-json"):
        response = client.get(reverse(name, args=[dog.pk]))
        assert response.status_code < 500, name
        text_of(response)


def api_lean_bodies(partial: bool) -> st.SearchStrategy[dict]:
    fields = {
        "occurred_at": json_times,
        "notes": json_text,
        "duration": st.one_of(st.sampled_from(Duration.values), json_text),
        "triggers": st.lists(st.one_of(st.sampled_from(Trigger.values), json_text), max_size=3),
        "intensity": st.one_of(st.integers(min_value=-3, max_value=8), st.none()),
    }
    if partial:
        return st.fixed_dictionaries({}, optional=fields)
    return st.fixed_dictionaries(
        {"occurred_at": json_times}, optional={k: v for k, v in fields.items() if k != "occurred_at"}
    )


def api_post(owner: Owner, method: str, path: str, body: dict):
    from api.models import ApiToken

    token = ApiToken.objects.filter(owner=owner).first()
    raw = ApiToken.issue(owner, "fuzz")[1] if token is None else None
    if raw is None:
        # Tokens are stored hashed: issue a fresh one per example and drop it after.
        token.delete()
        raw = ApiToken.issue(owner, "fuzz")[1]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    # ensure_ascii writes a lone surrogate as \ud800, exactly as an attacker's JSON would.
    return client.generic(method, path, json.dumps(body), content_type="application/json")


@FEW
@given(body=api_lean_bodies(partial=False), zone=ZONES)
@example(body={"occurred_at": "0001-01-01T00:00:00+00:00"}, zone="America/New_York")
@example(body={"occurred_at": "0001-01-01T00:00:00+00:00"}, zone="Europe/Berlin")
@example(body={"occurred_at": 0}, zone="Europe/Berlin")
@example(body={"occurred_at": "2026-03-01T08:15:00+23:59"}, zone="Europe/Berlin")
@example(body={"occurred_at": "2026-03-01T08:15:00+00:00", "notes": "\ud800"}, zone="Europe/Berlin")
@example(body={"occurred_at": "2026-03-01T08:15:00+00:00", "notes": "a\x00b"}, zone="Europe/Berlin")
def test_it_survives_anything_posted_as_a_lean_to_the_api(db, body, zone) -> None:
    owner, dog, client = household(zone)
    Incident.objects.filter(dog=dog).delete()
    before = rows_but_tokens()

    response = api_post(owner, "POST", f"/api/dogs/{dog.pk}/leans", body)

    assert response.status_code in {201, 422}, response.content[:300]
    if response.status_code == 422:
        assert response.json()["errors"]
        assert rows_but_tokens() == before
    assert_pages_survive(client, dog)


@FEW
@given(body=api_lean_bodies(partial=True), zone=ZONES)
@example(body={"occurred_at": "0001-01-01T00:00:00+00:00"}, zone="America/New_York")
@example(body={"occurred_at": "2026-03-01T08:15:00-14:01"}, zone="Europe/Berlin")
@example(body={"triggers": ["\udfff"]}, zone="Europe/Berlin")
def test_it_survives_anything_patched_onto_a_lean_through_the_api(db, body, zone) -> None:
    owner, dog, client = household(zone)
    lean = Incident.objects.filter(dog=dog).first() or make_incident(dog, notes="as it was")
    Incident.objects.filter(pk=lean.pk).update(occurred_at=timezone.now() - dt.timedelta(days=1))
    before = rows_but_tokens()

    response = api_post(owner, "PATCH", f"/api/dogs/{dog.pk}/leans/{lean.pk}", body)

    assert response.status_code in {200, 422}, response.content[:300]
    if response.status_code == 422:
        assert rows_but_tokens() == before
    assert_pages_survive(client, dog)


CSV_HEADER = ",".join(
    (
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
    )
)


def csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@FEW
@given(when=odd_times, notes=form_text, zone=ZONES)
@example(when="2026-03-01T08:15:00+23:59", notes="", zone="Europe/Berlin")
@example(when="2026-03-01T08:15:00+00:00", notes="bad\x00note", zone="Europe/Berlin")
@example(when="0001-01-01T00:00", notes="", zone="Asia/Tokyo")
def test_it_survives_any_row_of_an_imported_csv(db, when, notes, zone) -> None:
    _, dog, client = household(zone)
    Incident.objects.filter(dog=dog).delete()
    content = f"{CSV_HEADER}\r\n{csv_cell(when)},,,,,,,,,,{csv_cell(notes)}\r\n".encode(
        "utf-8", "surrogatepass"
    )
    before = snapshot()

    upload = client.post(
        reverse("journal:incident-import", args=[dog.pk]),
        {"file": SimpleUploadedFile("leans.csv", content, "text/csv")},
    )
    confirm = client.post(reverse("journal:incident-import-confirm", args=[dog.pk]))

    assert upload.status_code < 500 and confirm.status_code < 500
    if not dog.incidents.exists():
        assert snapshot() == before
    assert_pages_survive(client, dog)


@FEW
@given(
    username=form_text,
    password=form_text,
    next_url=st.one_of(form_text, st.sampled_from(["-1", "NaN", "//evil.example/", "/dogs/"])),
)
@example(username="newcomer", password=PASSWORD, next_url="-1")
@example(username="newcomer", password=PASSWORD, next_url="NaN")
def test_it_survives_anything_posted_to_sign_up(db, username, password, next_url) -> None:
    cache.clear()  # the throttle of new accounts per address counts every example otherwise
    before = snapshot()

    response = Client().post(
        f"{reverse('dogs:signup')}?{urlencode({'next': next_url})}",
        {"username": username, "password1": password, "password2": password, "time_zone": "Europe/London"},
    )

    # 400: a body past Django's upload limit, refused before the form.
    assert response.status_code in {200, 302, 400}
    if response.status_code != 302:
        assert snapshot() == before
    Owner.objects.all().delete()


@FEW
@given(username=form_text, password=form_text)
@example(username="a" * 100_000, password="wrong")
def test_it_survives_anything_posted_to_sign_in(db, username, password) -> None:
    # Each example starts unthrottled: the examples share one database, and Hypothesis may try
    # one name with five wrong passwords, whose fifth failure locks the name out (429).
    cache.clear()
    AccessAttempt.objects.all().delete()
    response = Client().post(reverse("login"), {"username": username, "password": password})

    assert response.status_code in {200, 302}


@FEW
@given(author=form_text, text=form_text)
@example(author="Dr Vet\r\nBcc: x@example.com", text="fine")
def test_it_survives_anything_posted_as_a_vet_note(db, author, text) -> None:
    _, dog, _ = household("Europe/Berlin")
    _, token = make_share(dog)
    before = snapshot()

    response = Client().post(reverse("shared-note", args=[token]), {"author": author, "text": text})

    assert response.status_code in {200, 302, 400}
    if response.status_code != 302:
        assert snapshot() == before


@FEW
@given(day=odd_times)
def test_it_survives_anything_posted_as_a_check_in(db, day) -> None:
    _, dog, client = household("America/New_York")
    before = snapshot()

    response = client.post(reverse("journal:checkin-create", args=[dog.pk]), {"date": day[:10]})

    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert snapshot() == before


@FEW
@given(endpoint=json_text, p256dh=json_text, auth=json_text)
@example(endpoint="https://fcm.googleapis.com/fcm/send/abc", p256dh="BP-key\x00", auth="c2l4dGVlbg")
@example(endpoint="https://fcm.googleapis.com/fcm/send/abc", p256dh="BP-key", auth="\ud800")
def test_it_survives_anything_posted_as_a_push_subscription(db, endpoint, p256dh, auth) -> None:
    _, _, client = household("Europe/Berlin")
    body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    before = snapshot()

    response = client.post(reverse("dogs:push-subscribe"), json.dumps(body), content_type="application/json")

    assert response.status_code in {200, 201, 400, 409}
    if response.status_code >= 400:
        assert snapshot() == before
