"""Leanlog's REST API (django-ninja): the same dogs, leans, timeline and report as the pages, by token.

Every operation fetches through dogs.access / journal.access exactly as the pages do, so a
stranger's dog is 404 and roles apply unchanged. Writes go through the pages' own forms
(IncidentForm, CheckInForm, EventForm, WeightForm), so the API accepts and refuses exactly
what the pages do.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError
from ninja.security import HttpBearer
from pydantic import BeforeValidator, field_validator

from accounts import throttle
from api.models import ApiToken
from config.saving.edits import SEEN, edit_of, stored_digest
from config.saving.once import save_once
from dogs.access import Action, get_dog_for
from dogs.models import Dog, token_digest
from journal.access import get_lean_for
from journal.forms import CheckInForm, EventForm, IncidentForm, JournalFilterForm, PeriodForm, WeightForm
from journal.leans import log_lean
from journal.models import WEIGHT_MAX_KG, WEIGHT_MIN_KG, CheckIn, Event, EventKind, Incident, Weight
from journal.report.cache import cached_report
from journal.report.numbers import journal_start_of

PAGE_SIZE = 50
# Ids as the database stores them (a 64-bit integer): a larger number is 422, not a crash.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _iso_8601(value: object) -> dt.datetime:
    """A lean's time comes as an ISO 8601 string; a number (a Unix time?) is refused, not guessed."""
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(_("Send the time as an ISO 8601 string, like 2026-03-01T08:15:00+01:00."))
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(_("Send the time as an ISO 8601 string, like 2026-03-01T08:15:00+01:00.")) from None


# Pydantic would read 1772352900 (or "1772352900") as a Unix time; the range and the offset
# are then checked by the lean form's own rule (journal.models.validate_lean_time).
LeanTime = Annotated[dt.datetime, BeforeValidator(_iso_8601)]
# The last-used time is written at most this often, not on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class RateLimited(Exception):
    pass


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the token's owner becomes request.user for this request."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.objects.select_related("owner").filter(token_hash=token_digest(token)).first()
        if found is None or not found.owner.is_active:
            return None
        # The owner's language (blank: Accept-Language, as LocaleMiddleware chose), as the pages have it.
        if found.owner.language:
            translation.activate(found.owner.language)
            request.LANGUAGE_CODE = translation.get_language()
        _count_request(found)
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.owner
        # The pages read times in the owner's zone through middleware; the API does it here.
        timezone.activate(found.owner.zone())
        return found


def _count_request(token: ApiToken) -> None:
    """Leanlog's one throttle, per token and minute; past the limit, 429."""
    # The hash, not the id: ids come back after a database is reset, hashes never do.
    if not throttle.hit("api-token", token.token_hash, settings.LEANLOG_API_RATE_PER_MINUTE, 60):
        raise RateLimited


api = NinjaAPI(
    title="Leanlog API",
    version="1",
    description=(
        "Your dogs, their leans and their pattern report. Make a personal access token on "
        "/accounts/tokens/ and send it as `Authorization: Bearer <token>`."
    ),
    auth=TokenAuth(),
    urls_namespace="rest",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class Message(Schema):
    detail: str


class Errors(Schema):
    errors: dict[str, list[str]]


ERRORS = {400: Message, 401: Message, 403: Message, 404: Message, 422: Errors, 429: Message}
# A change sent with an If-Match that no longer matches the row (config.saving.edits).
CHANGED = {412: Message}


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = api.create_response(request, {"detail": _("Too many requests. Wait a minute.")}, status=429)
    response["Retry-After"] = "60"
    return response


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """Input ninja refuses before a view runs answers in the same shape as the forms' errors."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc is ("body", "payload", "notes") or ("query", "page"): the last names the field.
        field = str(error.get("loc", ["request"])[-1])
        errors.setdefault(field, []).append(str(error.get("msg", _("This value is not valid."))))
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("You may not do that with this dog.")}, status=403)


class DogOut(Schema):
    id: int
    name: str
    breed: str
    size: str
    birth_date: dt.date
    sex: str
    weight_kg: float | None
    notes: str
    role: str = Field(description="Your role in the dog’s household: owner, carer or viewer")


class LeanOut(Schema):
    id: int
    occurred_at: dt.datetime
    intensity: int | None
    duration: str
    posture: str
    location: str
    owner_activity: str
    triggers: list[str]
    signs: list[str]
    owner_response: str
    outcome: str
    notes: str
    client_id: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime


class LeanPage(Schema):
    page: int
    has_next: bool
    results: list[LeanOut]


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    return isinstance(value, list) and any(map(_has_lone_surrogate, value))


class TextIn(Schema):
    """A body whose strings are text: a lone surrogate ("\\ud800" in JSON) is refused by its field."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_lone_surrogate(cls, value: Any) -> Any:
        # UTF-8 cannot carry one, so no database column can store it.
        if _has_lone_surrogate(value):
            raise ValueError(_("This text holds a lone surrogate (\\ud800 to \\udfff), which is not text."))
        return value


class LeanIn(TextIn):
    """A lean as the form takes it; a time without an offset is in the owner's time zone."""

    occurred_at: LeanTime = Field(
        description="ISO 8601, from 1990-01-01 to five minutes from now, offset within ±14:00"
    )
    intensity: int | None = None
    duration: str | None = None
    posture: str | None = None
    location: str | None = None
    owner_activity: str = ""
    triggers: list[str] = Field(default_factory=list)
    signs: list[str] = Field(default_factory=list)
    owner_response: str = ""
    outcome: str = ""
    notes: str = ""
    client_id: uuid.UUID | None = Field(
        None,
        description="Your own id for this lean (a UUID). Sent again for the same dog, it stores "
        "nothing and answers 200 with the lean stored the first time: safe to retry.",
    )


class LeanPatch(TextIn):
    occurred_at: LeanTime | None = None
    intensity: int | None = None
    duration: str | None = None
    posture: str | None = None
    location: str | None = None
    owner_activity: str | None = None
    triggers: list[str] | None = None
    signs: list[str] | None = None
    owner_response: str | None = None
    outcome: str | None = None
    notes: str | None = None


class LeanFilters(Schema):
    start: str | None = Field(None, description="YYYY-MM-DD, in the owner’s time zone")
    end: str | None = Field(None, description="YYYY-MM-DD, in the owner’s time zone")
    sign: str | None = None
    group: str | None = None
    location: str | None = None
    activity: str | None = None
    trigger: str | None = None
    ids: str | None = Field(None, description="Comma-separated lean ids")
    page: int = Field(1, ge=1, le=100_000)


class CheckInOut(Schema):
    date: dt.date
    created_at: dt.datetime


class CheckInIn(Schema):
    """A day someone was with the dog; left out, today in the owner's time zone."""

    date: dt.date | None = None


class EventOut(Schema):
    id: int
    kind: str = Field(description=", ".join(EventKind.values))
    title: str
    started_on: dt.date
    ended_on: dt.date | None
    notes: str
    created_at: dt.datetime


class EventPage(Schema):
    page: int
    has_next: bool
    results: list[EventOut]


class EventIn(TextIn):
    """An event as the events page takes it."""

    kind: str = Field(description=", ".join(EventKind.values))
    title: str = Field(description="One line, up to 80 characters")
    started_on: dt.date = Field(description="YYYY-MM-DD, not in the future, not before the dog was born")
    ended_on: dt.date | None = Field(
        None, description="YYYY-MM-DD, not before started_on; left out while it goes on"
    )
    notes: str = ""
    client_id: uuid.UUID | None = Field(
        None,
        description="Your own id for this event (a UUID). Sent again for the same dog, it stores "
        "nothing and answers 200 with the event stored the first time: safe to retry.",
    )


class WeightOut(Schema):
    id: int
    measured_on: dt.date
    weight_kg: float
    created_at: dt.datetime


class WeightPage(Schema):
    page: int
    has_next: bool
    results: list[WeightOut]


class WeightIn(Schema):
    """A weighing; left out, the day is today in the owner's time zone."""

    measured_on: dt.date | None = Field(None, description="YYYY-MM-DD, not in the future")
    weight_kg: float = Field(description=f"From {WEIGHT_MIN_KG} to {WEIGHT_MAX_KG}, at most two decimals")
    client_id: uuid.UUID | None = Field(
        None,
        description="Your own id for this weighing (a UUID). Sent again for the same dog, it stores "
        "nothing and answers 200 with the weighing stored the first time: safe to retry.",
    )


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)


class PeriodQuery(Schema):
    days: int | None = Field(None, description="7, 30, 90 or 365")
    start: str | None = Field(None, description="YYYY-MM-DD")
    end: str | None = Field(None, description="YYYY-MM-DD")


def _errors(form) -> dict[str, Any]:
    return {
        "errors": {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    }


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """What IncidentForm reads; a field left out keeps the form's default (or the lean's value).

    LocalDateTimeField takes the datetime as it is when aware, in the owner's zone when naive.
    """
    return {name: value for name, value in values.items() if value is not None}


def _page(rows, page: int) -> dict[str, Any]:
    """One page of rows in the leans' shape; one more row read tells whether another follows."""
    offset = (page - 1) * PAGE_SIZE
    found = list(rows[offset : offset + PAGE_SIZE + 1])
    return {"page": page, "has_next": len(found) > PAGE_SIZE, "results": found[:PAGE_SIZE]}


def _dates(values: dict[str, Any]) -> dict[str, Any]:
    """What a form reads: days as YYYY-MM-DD, fields left out absent."""
    return {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in values.items()
        if value is not None
    }


@api.get("/dogs", response={200: list[DogOut], **ERRORS}, summary="Your dogs")
def dog_list(request):
    return Dog.objects.for_owner(request.user).order_by("name", "id")


@api.get("/dogs/{dog_id}", response={200: DogOut, **ERRORS}, summary="One dog")
def dog_read(request, dog_id: Id):
    return get_dog_for(request.user, dog_id)


@api.get("/dogs/{dog_id}/leans", response={200: LeanPage, **ERRORS}, summary="The dog’s leans, newest first")
def lean_list(request, dog_id: Id, filters: Query[LeanFilters]):
    """The journal's filters; one query for the page (one more row tells whether another follows)."""
    dog = get_dog_for(request.user, dog_id)
    form = JournalFilterForm({k: v for k, v in filters.dict().items() if v is not None and k != "page"})
    if not form.is_valid():
        return Status(422, _errors(form))
    return _page(form.filter(dog.incidents.all()), filters.page)


@api.post("/dogs/{dog_id}/leans", response={201: LeanOut, 200: LeanOut, **ERRORS}, summary="Log a lean")
def lean_create(request, dog_id: Id, payload: LeanIn):
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    form = IncidentForm(_form_data(payload.dict()), instance=Incident(dog=dog, logged_by=request.user))
    # A retry of a lean already stored (same client_id, same dog) adds nothing.
    lean, stored = log_lean(form, payload.client_id)
    if lean is None:
        return Status(422, _errors(form))
    return Status(201 if stored else 200, lean)


def _etag(row) -> str:
    """The row's entity tag: the digest an edit form carries as `seen` (config.saving.edits)."""
    return f'"{stored_digest(row)}"'


def _if_match(request) -> str:
    """The digest an If-Match header names, or "" (none, or "*": any version will do)."""
    value = request.headers.get("If-Match", "").strip()
    return "" if value == "*" else value.removeprefix("W/").strip('"')


@api.get("/dogs/{dog_id}/leans/{lean_id}", response={200: LeanOut, **ERRORS}, summary="One lean")
def lean_read(request, dog_id: Id, lean_id: Id, response: HttpResponse):
    """The ETag header names this version of the lean: send it back as If-Match with a change."""
    dog = get_dog_for(request.user, dog_id)
    lean = get_lean_for(request.user, dog, lean_id)
    response["ETag"] = _etag(lean)
    return lean


@api.patch(
    "/dogs/{dog_id}/leans/{lean_id}", response={200: LeanOut, **ERRORS, **CHANGED}, summary="Change a lean"
)
def lean_update(request, dog_id: Id, lean_id: Id, payload: LeanPatch, response: HttpResponse):
    """Fields left out keep their value. With If-Match (the ETag of a read), nothing is changed
    when the lean has changed since (412), as the edit page refuses a save over someone else's."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    lean = get_lean_for(request.user, dog, lean_id, Action.LOG)
    with edit_of(lean, saving=True):
        # Fields left out keep their value as stored now, not as read before the lock.
        current = {name: getattr(lean, name) for name in IncidentForm.Meta.fields}
        sent = {**current, **_form_data(payload.dict(exclude_unset=True)), SEEN: _if_match(request)}
        form = IncidentForm(sent, instance=lean)
        saved = form.save() if form.is_valid() else None
    if saved is None:
        if form.changed_meanwhile:
            return Status(
                412,
                {
                    "detail": _(
                        "The lean has changed since it was read (If-Match no longer matches its ETag). "
                        "Read it again and send the change with its new ETag."
                    )
                },
            )
        return Status(422, _errors(form))
    response["ETag"] = _etag(saved)
    return saved


@api.delete("/dogs/{dog_id}/leans/{lean_id}", response={204: None, **ERRORS}, summary="Delete a lean")
def lean_delete(request, dog_id: Id, lean_id: Id):
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    get_lean_for(request.user, dog, lean_id, Action.LOG).delete()
    return Status(204, None)


@api.get("/dogs/{dog_id}/checkins", response={200: list[CheckInOut], **ERRORS}, summary="Days observed")
def checkin_list(request, dog_id: Id):
    """The days someone said they were with the dog, newest first."""
    return get_dog_for(request.user, dog_id).checkins.all()


@api.post(
    "/dogs/{dog_id}/checkins", response={201: CheckInOut, 200: CheckInOut, **ERRORS}, summary="Check in"
)
def checkin_create(request, dog_id: Id, payload: CheckInIn):
    """One per dog and day: checking in again for the same day answers 200 with the first."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    given = {"date": payload.date.isoformat()} if payload.date else {}
    form = CheckInForm(given, dog=dog, today=timezone.localdate(), journal_start=journal_start_of(dog))
    if not form.is_valid():
        return Status(422, _errors(form))
    checkin, created = CheckIn.objects.get_or_create(
        dog=dog, date=form.cleaned_data["date"], defaults={"by": request.user}
    )
    return Status(201 if created else 200, checkin)


@api.get("/dogs/{dog_id}/events", response={200: EventPage, **ERRORS}, summary="The dog’s events")
def event_list(request, dog_id: Id, query: Query[PageQuery]):
    """Medications, diets, training and other things on the dog's timeline, as on its events page."""
    dog = get_dog_for(request.user, dog_id)
    return _page(dog.events.all(), query.page)


@api.post("/dogs/{dog_id}/events", response={201: EventOut, 200: EventOut, **ERRORS}, summary="Add an event")
def event_create(request, dog_id: Id, payload: EventIn):
    """Owners and carers add events; the same rules as the events page."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    form = EventForm(
        _dates(payload.dict()),
        instance=Event(dog=dog, created_by=request.user),
        today=timezone.localdate(),
    )
    # A retry of an event already stored (same client_id, same dog) adds nothing.
    event, stored = save_once(form, dog.events.all(), payload.client_id)
    if event is None:
        return Status(422, _errors(form))
    return Status(201 if stored else 200, event)


@api.get("/dogs/{dog_id}/weights", response={200: WeightPage, **ERRORS}, summary="The dog’s weighings")
def weight_list(request, dog_id: Id, query: Query[PageQuery]):
    dog = get_dog_for(request.user, dog_id)
    return _page(dog.weights.all(), query.page)


@api.post(
    "/dogs/{dog_id}/weights", response={201: WeightOut, 200: WeightOut, **ERRORS}, summary="Add a weighing"
)
def weight_create(request, dog_id: Id, payload: WeightIn):
    """Owners and carers add weighings; the same rules as the dog page's quick entry."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    form = WeightForm(
        _dates(payload.dict()),
        instance=Weight(dog=dog, created_by=request.user),
        today=timezone.localdate(),
    )
    # A retry of a weighing already stored (same client_id, same dog) adds nothing.
    weight, stored = save_once(form, dog.weights.all(), payload.client_id)
    if weight is None:
        return Status(422, _errors(form))
    return Status(201 if stored else 200, weight)


@api.get("/dogs/{dog_id}/report", response={200: dict[str, Any], **ERRORS}, summary="The pattern report")
def report(request, dog_id: Id, period: Query[PeriodQuery]):
    """The same numbers as the page's report.json."""
    dog = get_dog_for(request.user, dog_id)
    given = {k: v for k, v in period.dict().items() if v is not None}
    form = PeriodForm(given or None, timezone.localdate())
    if form.is_bound and not form.is_valid():
        return Status(422, _errors(form))
    _, built = cached_report(dog, form.period(), form.today, timezone.get_current_timezone())
    return built.as_json()
