"""CSV import: upload, a preview that stores nothing, then confirm adds every row or none."""

from __future__ import annotations

import datetime as dt
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from dogs.access import Action, get_dog_for, refuse_other_methods
from dogs.models import Dog
from journal.imports import csv_import
from journal.models import Incident, PendingImport

# An upload waits this long for its confirm; older ones are swept away on the next upload.
PENDING_FOR = dt.timedelta(hours=1)
INSERT_BATCH = 2000


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "A file in the format Leanlog’s “Download CSV” writes, up to 5 MB and 50,000 leans."
        ),
        error_messages={
            "required": gettext_lazy("Choose a CSV file to import."),
            "empty": gettext_lazy("That file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > csv_import.MAX_BYTES:
            raise forms.ValidationError(
                # Translators: %(size)s is the file's size in megabytes, such as 7.5.
                gettext(
                    "That file is %(size)s MB; the most Leanlog imports at once is 5 MB. "
                    "Split it into smaller files and import each."
                ),
                params={"size": number_format(upload.size / 1024 / 1024, 1)},
            )
        return upload


class ConfirmForm(forms.Form):
    token = forms.UUIDField()


class _Abandon(Exception):
    """Raised inside the confirm transaction so that a bad row rolls back every row."""


def _existing(dog: Dog):
    rows = dog.incidents.values(*csv_import.LEAN_COLUMNS).iterator(chunk_size=INSERT_BATCH)
    return csv_import.existing_fingerprints(rows)


def _text(raw) -> io.TextIOWrapper:
    # utf-8-sig: spreadsheets often start a "CSV UTF-8" file with a byte order mark.
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig", newline="")


def _import_url(dog: Dog) -> str:
    return reverse("journal:incident-import", args=[dog.pk])


def _one_line(name: str) -> str:
    """A file name as the page may show it: printable characters only, at most 255."""
    return "".join(character for character in name if character.isprintable())[:255] or "leans.csv"


@login_required
def incident_import(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Anyone who may log leans for the dog uploads a CSV and sees what it would add."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"dog": dog, "form": form, "journal_url": reverse("journal:incident-list", args=[dog.pk])}
    if request.method != "POST" or not form.is_valid():
        return render(request, "journal/incident_import.html", context)

    upload = form.cleaned_data["file"]
    raw = b"".join(upload.chunks())
    try:
        preview = csv_import.preview(
            _text(raw), _existing(dog), timezone.get_current_timezone(), timezone.now()
        )
    except csv_import.FileProblem as problem:
        form.add_error("file", str(problem))
        return render(request, "journal/incident_import.html", context)
    # Lazily, on each upload: uploads nobody confirmed within the hour, and confirmed ones
    # once a repeated confirm can no longer come. A person waits on one upload at a time, so
    # the table holds at most one file of 5 MB per person.
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
    PendingImport.objects.filter(person=request.user, confirmed_at__isnull=True).delete()
    filename = _one_line(upload.name)
    if preview.can_confirm:
        context["pending"] = PendingImport.objects.create(
            dog=dog, person=request.user, filename=filename, content=raw
        )
    context.update(preview=preview, filename=filename)
    return render(request, "journal/incident_import_preview.html", context)


@login_required
def incident_import_confirm(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Adds every new lean of the previewed file in one transaction, or none of them; once."""
    dog = get_dog_for(request.user, dog_id, Action.LOG)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("That upload is no longer waiting. Please choose the file again."))
        return redirect(_import_url(dog))
    try:
        with transaction.atomic():
            # The row lock is the claim: a second confirm of the same upload waits here until
            # the first commits, then finds it confirmed. (SQLite's IMMEDIATE transactions
            # already queue the whole confirm.)
            pending = (
                PendingImport.objects.select_for_update()
                .filter(token=form.cleaned_data["token"], dog=dog, person=request.user)
                .first()
            )
            if pending is None:
                # Swept away, replaced by a newer upload, or not this person's for this dog:
                # one answer for all, which says nothing about anyone else's upload.
                added_now = False
            elif pending.confirmed_at is None and pending.created_at >= timezone.now() - PENDING_FOR:
                pending.added = insert_all(
                    _text(pending.content), dog, request.user, timezone.get_current_timezone()
                )
                pending.confirmed_at = timezone.now()
                pending.content = b""
                pending.save(update_fields=["added", "confirmed_at", "content"])
                added_now = True
            else:
                added_now = False
    except (csv_import.FileProblem, _Abandon):
        PendingImport.objects.filter(pk=pending.pk).delete()
        messages.error(
            request,
            gettext(
                "The file could not be imported after all, so nothing was added. Please upload it again."
            ),
        )
        return redirect(_import_url(dog))
    if pending is None or pending.confirmed_at is None:
        messages.error(request, gettext("That upload is no longer waiting. Please choose the file again."))
        return redirect(_import_url(dog))
    said = {"count": number_format(pending.added, force_grouping=True), "name": dog.name}
    if added_now:
        messages.success(
            request,
            # Translators: %(count)s is a number of leans, %(name)s the dog's name.
            ngettext(
                "Added %(count)s lean to %(name)s’s journal.",
                "Added %(count)s leans to %(name)s’s journal.",
                pending.added,
            )
            % said,
        )
    else:
        messages.info(
            request,
            ngettext(
                "This file was already imported: it added %(count)s lean to %(name)s’s journal.",
                "This file was already imported: it added %(count)s leans to %(name)s’s journal.",
                pending.added,
            )
            % said,
        )
    return redirect("journal:incident-list", dog.pk)


def insert_all(stream, dog: Dog, person, zone) -> int:
    """Inserts the file's new leans in batches; call inside a transaction, which any bad row aborts."""
    insert = _Inserter(dog, person)
    batch: list[dict[str, object]] = []
    for outcome in csv_import.sort_rows(stream, _existing(dog), zone, timezone.now()):
        if isinstance(outcome, csv_import.RowProblem):
            raise _Abandon(outcome.reason)
        if outcome is None:
            continue
        batch.append(outcome)
        if len(batch) >= INSERT_BATCH:
            insert(batch)
            batch = []
    if batch:
        insert(batch)
    return insert.added


class _Inserter:
    """One prepared INSERT run for each batch of rows.

    bulk_create spent most of a 50,000-lean import building model instances and preparing
    each of their 14 values, and SQLite's parameter limit cut it into 71-row statements.
    The values are already checked (csv_import), so they are adapted here once per column
    type, and the database's own triggers still stamp the journal (journal/triggers.py).
    """

    COLUMNS = ("dog_id", *csv_import.LEAN_COLUMNS, "logged_by", "created_at", "updated_at")

    def __init__(self, dog: Dog, person) -> None:
        self.dog_id = dog.pk
        # Whoever imports the file logged its leans, whatever its logged_by column says.
        self.person_id = person.pk
        self.added = 0
        self.adapt_time = connection.ops.adapt_datetimefield_value
        self.codes = Incident._meta.get_field("triggers").get_prep_value
        now = self.adapt_time(timezone.now())
        self.stamps = (now, now)
        table = connection.ops.quote_name(Incident._meta.db_table)
        columns = ", ".join(
            connection.ops.quote_name(Incident._meta.get_field(name).column) for name in self.COLUMNS
        )
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.COLUMNS))})"

    def __call__(self, batch: list[dict[str, object]]) -> None:
        rows = [
            (
                self.dog_id,
                self.adapt_time(values["occurred_at"]),
                values["intensity"],
                values["duration"],
                values["posture"],
                values["location"],
                values["owner_activity"],
                self.codes(values["triggers"]),
                self.codes(values["signs"]),
                values["owner_response"],
                values["outcome"],
                values["notes"],
                self.person_id,
                *self.stamps,
            )
            for values in batch
        ]
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)
        self.added += len(rows)
