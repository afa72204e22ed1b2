"""What an owner tells the journal besides leans: a day with the dog, a flag handled."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from dogs.access import Action, get_dog_for, refuse_other_methods
from journal.forms import AcknowledgeForm, CheckInForm
from journal.models import CheckIn, FlagAcknowledgement
from journal.report.cache import cached_report
from journal.report.numbers import DEFAULT_DAYS, Period, journal_start_of
from journal.report.rules import Level


@login_required
def checkin_create(request: HttpRequest, dog_id: int) -> HttpResponse:
    """One check-in per dog and day; checking in twice keeps one. The day comes from the form."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = CheckInForm(data, dog=dog, today=today, journal_start=journal_start_of(dog))
    if form.is_valid():
        day = form.cleaned_data["date"]
        CheckIn.objects.get_or_create(dog=dog, date=day, defaults={"by": request.user})
        if day == today:
            noted = gettext("Noted: you were with %(name)s today.") % {"name": dog.name}
        else:
            # Translators: %(name)s is the dog's name, %(day)s a date.
            noted = gettext("Noted: you were with %(name)s on %(day)s.") % {
                "name": dog.name,
                "day": date_format(day, pgettext("date in a sentence", "j F Y")),
            }
        messages.success(request, noted)
        return redirect("dogs:dog-detail", dog_id=dog.pk)
    return render(request, "journal/checkin_form.html", {"dog": dog, "form": form})


@login_required
def flag_acknowledge(request: HttpRequest, dog_id: int, code: str) -> HttpResponse:
    """Only a current flag can be marked as handled; the note is optional."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    today = timezone.localdate()
    _, built = cached_report(dog, Period.last(DEFAULT_DAYS, today), today, timezone.get_current_timezone())
    # Good to know is nothing to handle: only a flag to watch or to take to the vet is.
    flag = next((flag for flag in built.flags if flag.code == code and flag.level != Level.INFO), None)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    problem = ""
    if flag is None:
        problem = ngettext(
            "%(name)s has no such flag in the last %(days)s day, so there is nothing to mark as handled. "
            "Nothing was saved.",
            "%(name)s has no such flag in the last %(days)s days, so there is nothing to mark as handled. "
            "Nothing was saved.",
            DEFAULT_DAYS,
        ) % {"name": dog.name, "days": DEFAULT_DAYS}
    elif form.is_valid():
        now = timezone.now()
        FlagAcknowledgement.objects.create(
            dog=dog,
            code=code,
            note=form.cleaned_data["note"],
            on=timezone.localtime(now).date(),
            by=request.user,
            created_at=now,
        )
        if flag.rests_on_weighings:
            # Translators: %(title)s is the flag's title, as the report shows it.
            handled = gettext(
                "Marked as handled: “%(title)s”. Leanlog will bring it up again if a new weighing shows it."
            )
        else:
            handled = gettext(
                "Marked as handled: “%(title)s”. Leanlog will bring it up again if a new lean shows it."
            )
        messages.success(request, handled % {"title": flag.title})
        return redirect("dogs:dog-detail", dog_id=dog.pk)
    context = {"dog": dog, "form": form, "flag": flag, "problem": problem}
    return render(request, "journal/flag_acknowledge.html", context)
