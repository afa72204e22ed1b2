"""The journal: log, edit and delete leans, list them with filters, download them as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from config.saving.edits import edit_of
from dogs.access import Action, get_dog_for, may, refuse_other_methods
from dogs.models import Dog, Role, known_time_zones
from journal.access import get_lean_for
from journal.csv_format import EXPORT_COLUMNS, incident_csv_values
from journal.forms import IncidentForm, JournalFilterForm
from journal.leans import log_lean
from journal.models import Incident
from journal.vocabulary import INTENSITY_WORDS

LEANS_PER_PAGE = 25
OTHER_PERSONS_LEAN = gettext_lazy(
    "This lean was saved on this phone by another account. Sign in as them to send it."
)


def _journal_url(dog: Dog) -> str:
    return reverse("journal:incident-list", args=[dog.pk])


def _back_to_journal(request: HttpRequest, dog: Dog) -> str:
    """Where to return after an edit or a delete: the journal page the owner came from.

    Only this dog's journal (with its filters and page) is accepted, so `next` can never
    send anyone to another site or another owner's page.
    """
    journal = _journal_url(dog)
    candidate = request.GET.get("next", "")
    if candidate == journal or candidate.startswith(journal + "?"):
        return candidate
    return journal


def _when(incident: Incident) -> str:
    return date_format(
        timezone.localtime(incident.occurred_at), pgettext("date and time in a sentence", "D j M Y, H:i")
    )


@login_required
def incident_create(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Owners and carers log leans; the dog comes from the URL, never from POST."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    previous = dog.incidents.first()
    # "Same as last time" (?same=1) starts from the latest lean's context; the time stays now.
    initial = IncidentForm.same_as(previous) if request.GET.get("same") == "1" else {}
    # Who logged it comes from the session, never from the form.
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        instance=Incident(dog=dog, logged_by=request.user),
        initial=initial,
    )
    if request.method == "POST" and _kept_for_someone_else(request):
        return HttpResponse(str(OTHER_PERSONS_LEAN), status=409, content_type="text/plain; charset=utf-8")
    if request.method == "POST":
        # A lean sent later from the phone's outbox is read in the zone its form showed (time_zone).
        with timezone.override(_posted_zone(request) or timezone.get_current_timezone()):
            incident, _ = log_lean(form, request.POST.get("client_id"))
        if incident is not None:
            return _saved(request, dog, incident)
    return render(
        request,
        "journal/incident_form.html",
        {
            "dog": dog,
            "form": form,
            "cancel_url": _journal_url(dog),
            "same_url": f"{reverse('journal:incident-create', args=[dog.pk])}?same=1" if previous else "",
            "same_applied": bool(initial),
        },
    )


def _posted_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The zone the lean form was shown in, when it posted a known one."""
    name = request.POST.get("time_zone", "")
    return zoneinfo.ZoneInfo(name) if name in known_time_zones() else None


def _kept_for_someone_else(request: HttpRequest) -> bool:
    """A lean kept on a shared phone by someone who has signed out since: theirs to send, not ours."""
    return request.POST.get("signed_in_as", str(request.user.pk)) != str(request.user.pk)


def _saved(request: HttpRequest, dog: Dog, incident: Incident) -> HttpResponse:
    # Translators: %(name)s is the dog's name, %(when)s the lean's date and time.
    messages.success(
        request,
        gettext("Saved: %(name)s leaned on you on %(when)s.") % {"name": dog.name, "when": _when(incident)},
    )
    # The journal shows the new lean on top, highlighted, with Edit right there.
    return redirect(f"{_journal_url(dog)}#incident-{incident.pk}")


@login_required
def incident_edit(request: HttpRequest, dog_id: int, pk: int) -> HttpResponse:
    """An owner edits any lean of the dog, a carer only the leans they logged."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    incident = get_lean_for(request.user, dog, pk, Action.LOG)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    back = _back_to_journal(request, dog)
    with edit_of(incident, saving=request.method == "POST"):
        form = IncidentForm(request.POST if request.method == "POST" else None, instance=incident)
        saved = form.is_valid()
        if saved:
            form.save()
    if saved:
        messages.success(
            request,
            gettext("Updated %(name)s’s lean of %(when)s.") % {"name": dog.name, "when": _when(incident)},
        )
        return redirect(f"{back}#incident-{incident.pk}")
    return render(
        request,
        "journal/incident_form.html",
        {"dog": dog, "form": form, "incident": incident, "cancel_url": back},
    )


@login_required
def incident_delete(request: HttpRequest, dog_id: int, pk: int) -> HttpResponse:
    """An owner deletes any lean, a carer only their own, and only by POST after a confirmation page."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    incident = get_lean_for(request.user, dog, pk, Action.LOG)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    back = _back_to_journal(request, dog)
    if request.method == "POST":
        when = _when(incident)
        incident.delete()
        messages.success(
            request, gettext("Deleted %(name)s’s lean of %(when)s.") % {"name": dog.name, "when": when}
        )
        return redirect(back)
    _decorate([incident])
    return render(
        request,
        "journal/incident_confirm_delete.html",
        {"dog": dog, "incident": incident, "cancel_url": back},
    )


def _decorate(incidents: Iterable[Incident], dog: Dog | None = None, user=None) -> None:
    """Attach what a journal row shows, so the template needs no lookups of its own."""
    role = getattr(dog, "role", None)
    for incident in incidents:
        incident.intensity_word = INTENSITY_WORDS.get(incident.intensity, "")
        # The same rule as journal.access: a carer changes only what they logged.
        incident.can_change = may(role, Action.LOG) and (
            role != Role.CARER or (user is not None and incident.logged_by_id == user.pk)
        )


@dataclass
class JournalDay:
    """One day of the journal page: its leans, newest first, under one date."""

    date: dt.date
    is_today: bool
    # The year is shown only where it changes (and on the first day when it is not this year).
    show_year: bool
    incidents: list[Incident] = field(default_factory=list)


def _group_by_day(incidents: Iterable[Incident]) -> list[JournalDay]:
    """Consecutive leans of the same day in the owner's zone (the active one) share a JournalDay."""
    today = timezone.localdate()
    days: list[JournalDay] = []
    for incident in incidents:
        day = timezone.localdate(incident.occurred_at)
        if not days or days[-1].date != day:
            previous_year = days[-1].date.year if days else today.year
            days.append(JournalDay(date=day, is_today=day == today, show_year=day.year != previous_year))
        days[-1].incidents.append(incident)
    return days


@login_required
def incident_list(request: HttpRequest, dog_id: int) -> HttpResponse:
    """The dog's leans, newest first, filtered by GET parameters; bad filters are reported."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    filters = JournalFilterForm(request.GET)
    filters.is_valid()
    incidents = filters.filter(dog.incidents.select_related("logged_by"))
    page = Paginator(incidents, LEANS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _decorate(page.object_list, dog, request.user)
    total = page.paginator.count
    # Tell "no leans yet" from "none match": only asked when the filtered list is empty.
    has_any = bool(total) or (filters.is_filtering() and dog.incidents.exists())

    active_filters = []
    for name, value in filters.active().items():
        without = request.GET.copy()
        without.pop(name, None)
        without.pop("page", None)
        if name == "ids":
            shown = ngettext(
                "%(count)s lean from the report", "%(count)s leans from the report", len(value)
            ) % {"count": len(value)}
        elif isinstance(value, dt.date):
            shown = date_format(value, pgettext("short date", "j M Y"))
        else:
            shown = filters.label_of(name)
        active_filters.append(
            {
                "label": filters.fields[name].label or gettext("Showing"),
                "value": shown,
                "query": without.urlencode(),
            }
        )

    export_url = reverse("journal:incident-export", args=[dog.pk])
    if export_query := filters.querystring():
        export_url += f"?{export_query}"
    return render(
        request,
        "journal/incident_list.html",
        {
            "dog": dog,
            "filters": filters,
            "page": page,
            "days": _group_by_day(page.object_list),
            "total": total,
            "has_any": has_any,
            "active_filters": active_filters,
            # Closed after "Show leans", so the first lean is on the first screen of a phone; the
            # chips above say which filters are in force. Open only to show what to fix.
            "filters_open": bool(filters.errors),
            "export_url": export_url,
            "ids_value": ",".join(str(pk) for pk in filters.active().get("ids", [])),
            "journal_url": _journal_url(dog),
            "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            # One person's journal: every lean shown is theirs and nobody else is a member, so
            # "Logged by" would only repeat their name on every row.
            "solo_journal": all(incident.logged_by_id == request.user.pk for incident in page.object_list)
            and dog.memberships.count() == 1,
        },
    )


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(incidents: Iterable[Incident], zone: dt.tzinfo) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for incident in incidents:
        yield writer.writerow(incident_csv_values(incident, zone))


@login_required
def incident_export(request: HttpRequest, dog_id: int) -> HttpResponse:
    """The dog's leans as CSV, oldest first, with the journal's filters; streamed row by row."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    filters = JournalFilterForm(request.GET)
    if not filters.is_valid():
        # Show the problem where it can be fixed rather than export more than was asked.
        messages.error(request, gettext("Some filters need fixing before the download."))
        return redirect(f"{_journal_url(dog)}?{request.GET.urlencode()}")
    # Captured now: the rows are written after this view returns, when the middleware
    # has already switched the owner's time zone off again.
    zone = timezone.get_current_timezone()
    incidents = filters.filter(
        dog.incidents.select_related("logged_by").order_by("occurred_at", "id")
    ).iterator(chunk_size=500)
    filename = f"{slugify(dog.name, allow_unicode=True) or 'dog'}-leans-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(_csv_lines(incidents, zone), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
