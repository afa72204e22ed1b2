"""The dog's timeline: events (a medication, a diet, a move) and weighings."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext, pgettext

from config.saving.edits import edit_of
from config.saving.once import save_once
from dogs.access import Action, get_dog_for, refuse_other_methods
from journal.access import get_event_for, get_weight_for, may_change_added, may_change_event
from journal.csv_format import EVENT_EXPORT_COLUMNS, event_csv_values
from journal.forms import EventForm, WeightForm
from journal.models import Event, Weight
from journal.report.period import date_in_sentence
from journal.report.rules import WEIGHT_LOSS_NOTE_PCT, WEIGHT_LOSS_VET_PCT
from journal.report.weights import WEIGHT_WINDOW_DAYS, kg_text, weighing_noted


@login_required
def event_list(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Every member reads the dog's events, newest start first."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    today = timezone.localdate()
    events = list(dog.events.select_related("created_by"))
    for event in events:
        event.can_change = may_change_event(dog, event, request.user)
        event.ongoing = event.is_ongoing(today)
    return render(request, "journal/event_list.html", {"dog": dog, "events": events})


@login_required
def event_export(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Every member downloads the dog's events as CSV, oldest start first, text exactly as typed."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    zone = timezone.get_current_timezone()
    # A timeline holds tens of events, not thousands: written whole, not streamed.
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(EVENT_EXPORT_COLUMNS)
    for event in dog.events.select_related("created_by").order_by("started_on", "id"):
        writer.writerow(event_csv_values(event, zone))
    filename = f"{slugify(dog.name, allow_unicode=True) or 'dog'}-events-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def event_create(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Owners and carers add events; the dog comes from the URL and the adder from the session."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    form = EventForm(
        request.POST if request.method == "POST" else None,
        instance=Event(dog=dog, created_by=request.user),
        today=timezone.localdate(),
    )
    event = None
    if request.method == "POST":
        # Sent twice (a double tap, a retry), it is added once: the repeat is answered the same.
        event, _stored = save_once(form, dog.events.all(), request.POST.get("client_id"))
    if event is not None:
        # Translators: %(name)s is the dog's name, %(title)s the event's name, %(start)s its start date.
        messages.success(
            request,
            gettext("Added to %(name)s’s timeline: %(title)s, from %(start)s.")
            % {
                "name": dog.name,
                "title": event.title,
                "start": date_format(event.started_on, pgettext("date in a sentence", "j F Y")),
            },
        )
        return redirect("journal:event-list", dog_id=dog.pk)
    return render(request, "journal/event_form.html", {"dog": dog, "form": form})


@login_required
def event_edit(request: HttpRequest, dog_id: int, event_id: int) -> HttpResponse:
    """An owner edits any event of the dog, a carer only the events they added."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    event = get_event_for(request.user, dog, event_id)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    with edit_of(event, saving=request.method == "POST"):
        form = EventForm(
            request.POST if request.method == "POST" else None, instance=event, today=timezone.localdate()
        )
        saved = form.is_valid()
        if saved:
            form.save()
    if saved:
        messages.success(
            request,
            gettext("Updated %(name)s’s timeline: %(title)s.") % {"name": dog.name, "title": event.title},
        )
        return redirect("journal:event-list", dog_id=dog.pk)
    return render(request, "journal/event_form.html", {"dog": dog, "form": form, "event": event})


@login_required
def event_delete(request: HttpRequest, dog_id: int, event_id: int) -> HttpResponse:
    """An owner deletes any event, a carer only their own, and only by POST after a confirmation page."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    event = get_event_for(request.user, dog, event_id)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    if request.method == "POST":
        title = event.title
        event.delete()
        messages.success(
            request,
            gettext("Deleted “%(title)s” from %(name)s’s timeline.") % {"title": title, "name": dog.name},
        )
        return redirect("journal:event-list", dog_id=dog.pk)
    return render(request, "journal/event_confirm_delete.html", {"dog": dog, "event": event})


def _weight_words(weight: Weight) -> dict[str, str]:
    """A weighing's kilograms and day as a message says them."""
    return {"kg": kg_text(weight.weight_kg), "day": date_in_sentence(weight.measured_on)}


@login_required
def weight_create(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Owners and carers add a weighing, by POST only (the dog page's quick entry)."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    form = WeightForm(
        request.POST, instance=Weight(dog=dog, created_by=request.user), today=timezone.localdate()
    )
    # Sent twice (a double tap, a retry), it is noted once: the repeat is answered the same.
    weight, _stored = save_once(form, dog.weights.all(), request.POST.get("client_id"))
    if weight is not None:
        messages.success(request, weighing_noted(dog.name, weight.measured_on, weight.weight_kg))
        _say_if_weighed_twice_that_day(request, dog, weight)
        # The weighings page's own form returns there; the dog page's, to the dog page.
        if request.POST.get("back") == "list":
            return redirect("journal:weight-list", dog_id=dog.pk)
        return redirect("dogs:dog-detail", dog_id=dog.pk)
    # The quick entry has no page of its own: the form comes back alone with its messages.
    back = "list" if request.POST.get("back") == "list" else ""
    return render(request, "journal/weight_form.html", {"dog": dog, "form": form, "back": back}, status=400)


def _say_if_weighed_twice_that_day(request: HttpRequest, dog, weight: Weight) -> None:
    """Two weighings on one day are both kept, and the one noted last counts: said, not refused
    (a weighing before and after a meal is real), so that a slip can be deleted."""
    same_day = dog.weights.filter(measured_on=weight.measured_on).count()
    if same_day > 1:
        messages.info(
            request,
            ngettext(
                # Translators: %(count)s is 2 or more; %(day)s a date.
                "%(name)s has %(count)s weighing on %(day)s. Each is kept and the one noted last "
                "counts; if one was a slip, delete it from the weighings.",
                "%(name)s has %(count)s weighings on %(day)s. Each is kept and the one noted last "
                "counts; if one was a slip, delete it from the weighings.",
                same_day,
            )
            % {"name": dog.name, "count": same_day, "day": date_in_sentence(weight.measured_on)},
        )


@login_required
def weight_list(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Every member reads the dog's weighings, the latest first, each with its change from the one before."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    weights = list(dog.weights.select_related("created_by"))
    # The latest first: each weighing's change is from the next one down, the earliest has none.
    for place, weight in enumerate(weights):
        earlier = weights[place + 1] if place + 1 < len(weights) else None
        weight.change_kg = None if earlier is None else weight.weight_kg - earlier.weight_kg
        weight.can_change = may_change_added(dog, weight.created_by_id, request.user)
    context = {
        "dog": dog,
        "weights": weights,
        "weight_form": WeightForm(today=timezone.localdate()),
        # What the report makes of them, in its own numbers.
        "note_pct": WEIGHT_LOSS_NOTE_PCT,
        "vet_pct": WEIGHT_LOSS_VET_PCT,
        "window_days": WEIGHT_WINDOW_DAYS,
    }
    return render(request, "journal/weight_list.html", context)


@login_required
def weight_delete(request: HttpRequest, dog_id: int, weight_id: int) -> HttpResponse:
    """An owner deletes any weighing, a carer only their own, and only by POST after a confirmation page."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    weight = get_weight_for(request.user, dog, weight_id)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    if request.method == "POST":
        words = _weight_words(weight)
        weight.delete()
        # Translators: %(kg)s is a weight such as 31.5, %(day)s a date.
        messages.success(request, gettext("Deleted the weighing of %(kg)s kg on %(day)s.") % words)
        return redirect("journal:weight-list", dog_id=dog.pk)
    return render(request, "journal/weight_confirm_delete.html", {"dog": dog, "weight": weight})
