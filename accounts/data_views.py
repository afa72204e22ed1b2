"""Everything a person owns, as one zip; and deleting the account with the dogs they alone own."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import throttle
from dogs.households import FORMER_MEMBER, account_deletion, delete_account, name_of
from dogs.models import Dog, Role
from journal.csv_format import EVENT_EXPORT_COLUMNS, EXPORT_COLUMNS, event_csv_values, incident_csv_values
from journal.models import CheckIn, Event, FlagAcknowledgement, Incident, Weight

DOG_COLUMNS = ("id", "name", "breed", "size", "birth_date", "sex", "weight_kg", "notes", "created_at")

# Translators: the README.txt in the export zip. Keep the file names, the column and code names
# ("dog_park", "dog_id") and the "Download CSV"/"Import" page words as the pages show them.
README = gettext_lazy("""Everything %(username)s keeps in Leanlog, exported on %(when)s.

dogs.csv     one row per dog: its id, name, breed, size class, birth date, sex,
             weight in kg, notes and when it was added.
dogs.json    the same dogs as a JSON list.
leans.csv    every lean of every dog, oldest first, in the format of the journal’s
             "Download CSV" with the dog’s id in front. Cut out one dog’s rows (and
             the dog_id column) to import them again on a dog’s "Import" page.
leans.json   the same leans as a JSON list.
checkins.csv, checkins.json
             each check-in: the dog’s id, the day, who checked in and when.
acknowledgements.csv, acknowledgements.json
             each flag of the report someone acknowledged: the dog’s id, the flag’s
             code, their note, the day, who and when.
vet_notes.csv, vet_notes.json
             each note a vet left on a shared report: the dog’s id, the name the
             vet gave, the note and when.
events.csv, events.json
             each thing on a dog’s timeline (a medication, a diet, training, a
             move…), oldest first, in the format of the timeline’s “Download CSV”
             with the dog’s id in front: its kind as a code, title, first and last
             day (empty while it goes on), notes, who added it and when.
weights.csv, weights.json
             each weighing: the dog’s id, the day, the weight in kg, who added it
             and when.

Times are ISO 8601 with your time zone’s offset (%(zone)s). Choices are stored as
codes (for example "dog_park"); several signs or triggers are joined with ";".
Notes and titles (vets' notes too) are exactly as typed: nothing is added in front of one
starting with "=", "+", "-" or "@", so open the CSV files in a spreadsheet as text.
""")


def _dog_row(dog: Dog, zone) -> dict[str, Any]:
    row = {name: getattr(dog, name) for name in DOG_COLUMNS}
    row["created_at"] = dog.created_at.astimezone(zone).isoformat()
    return row


CHECKIN_FIELDS = {
    "checkins": ("date", "by__username", "created_at"),
    "acknowledgements": ("code", "note", "on", "by__username", "created_at"),
    "vet_notes": ("author", "text", "created"),
}


def _write_table(archive: zipfile.ZipFile, name: str, rows: list[dict[str, Any]], zone) -> None:
    """A small table as name.csv and name.json; times in the person's zone."""
    for row in rows:
        for column in ("created_at", "created"):
            if column in row:
                row[column] = row[column].astimezone(zone).isoformat()
        if "by__username" in row and row["by__username"] is None:
            # The account that checked in or acknowledged is deleted; the row is the household's.
            row["by__username"] = FORMER_MEMBER
    columns = ["dog_id", *CHECKIN_FIELDS[name]]
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow([column.replace("by__username", "by") for column in columns])
    writer.writerows([row[column] for column in columns] for row in rows)
    archive.writestr(f"{name}.csv", text.getvalue())
    archive.writestr(f"{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False))


def _leans(dogs: list[Dog]):
    return (
        Incident.objects.filter(dog__in=dogs)
        .order_by("dog_id", "occurred_at", "id")
        .iterator(chunk_size=2000)
    )


WEIGHT_COLUMNS = ("measured_on", "weight_kg", "added_by", "created_at")


def _write_rows(archive: zipfile.ZipFile, name: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Rows of plain values as name.csv (None an empty cell) and name.json (None as null)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(columns)
    writer.writerows(rows)
    archive.writestr(f"{name}.csv", text.getvalue())
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    archive.writestr(f"{name}.json", json.dumps(records, indent=1, ensure_ascii=False))


def _write_timeline(archive: zipfile.ZipFile, dogs: list[Dog], zone) -> None:
    """Every event and weighing of the dogs, oldest first, with the dog's id in front."""
    events = (
        Event.objects.filter(dog__in=dogs).select_related("created_by").order_by("dog_id", "started_on", "id")
    )
    _write_rows(
        archive,
        "events",
        ("dog_id", *EVENT_EXPORT_COLUMNS),
        [[event.dog_id, *event_csv_values(event, zone)] for event in events],
    )
    weights = (
        Weight.objects.filter(dog__in=dogs)
        .select_related("created_by")
        .order_by("dog_id", "measured_on", "id")
    )
    _write_rows(
        archive,
        "weights",
        ("dog_id", *WEIGHT_COLUMNS),
        [
            [
                weight.dog_id,
                weight.measured_on.isoformat(),
                # 31.50 in the database is 31.5 here, a number in JSON and in CSV alike.
                float(weight.weight_kg),
                name_of(weight.created_by),
                weight.created_at.astimezone(zone).isoformat(),
            ]
            for weight in weights
        ],
    )


def _text(member) -> io.TextIOWrapper:
    # newline="": the csv module writes its own line endings, and notes keep theirs.
    return io.TextIOWrapper(member, encoding="utf-8", newline="")


@login_required
@require_http_methods(["GET", "HEAD"])
def account_export(request: HttpRequest) -> HttpResponse:
    """A zip of the person's own dogs and leans, as CSV and JSON, with a README."""
    zone = timezone.get_current_timezone()
    # What the person owns: dogs where they are an owner, not ones they care for or view.
    dogs = list(Dog.objects.for_owner(request.user).filter(role=Role.OWNER).order_by("id"))
    # Only the compressed bytes stay in memory: a 50,000-lean account is a few megabytes.
    spool = io.BytesIO()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            str(README)
            % {
                "username": request.user.get_username(),
                "when": timezone.localtime().isoformat(),
                "zone": zone,
            },
        )
        dog_rows = [_dog_row(dog, zone) for dog in dogs]
        archive.writestr(
            "dogs.json", json.dumps(dog_rows, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)
        )
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(DOG_COLUMNS)
        writer.writerows([row[name] for name in DOG_COLUMNS] for row in dog_rows)
        archive.writestr("dogs.csv", text.getvalue())

        for name, rows in (
            ("checkins", CheckIn.objects.filter(dog__in=dogs).order_by("dog_id", "date")),
            (
                "acknowledgements",
                FlagAcknowledgement.objects.filter(dog__in=dogs).order_by("dog_id", "created_at"),
            ),
            # The sharing app builds on this one; its notes are read by name, not imported.
            (
                "vet_notes",
                apps.get_model("sharing", "VetNote")
                .objects.filter(dog__in=dogs)
                .order_by("dog_id", "created"),
            ),
        ):
            _write_table(archive, name, list(rows.values("dog_id", *CHECKIN_FIELDS[name])), zone)
        _write_timeline(archive, dogs, zone)
        # One pass per file: a zip takes one open member at a time.
        with archive.open("leans.csv", "w") as member, _text(member) as out:
            writer = csv.writer(out)
            writer.writerow(("dog_id", *EXPORT_COLUMNS))
            for lean in _leans(dogs):
                writer.writerow((lean.dog_id, *incident_csv_values(lean, zone)))
        with archive.open("leans.json", "w") as member, _text(member) as out:
            out.write("[")
            for number, lean in enumerate(_leans(dogs)):
                values = incident_csv_values(lean, zone)
                record = {"dog_id": lean.dog_id, **dict(zip(EXPORT_COLUMNS, values, strict=True))}
                record["triggers"], record["signs"] = lean.triggers, lean.signs
                out.write(("," if number else "") + "\n" + json.dumps(record, ensure_ascii=False))
            out.write("\n]\n")
    filename = f"leanlog-{request.user.get_username()}-{timezone.localdate():%Y-%m-%d}.zip"
    response = HttpResponse(spool.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Enter your password to confirm.")},
    )

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing was deleted."), code="password_incorrect"
            )
        return password


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """With the current password: the account and the dogs it is the last owner of go, in one transaction."""
    # The password is a sign-in guess: counted, limited per address, refused while locked out.
    if request.method == "POST" and (refused := throttle.password_prompt_refused(request, request.user)):
        return refused
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_account(request.user)
        logout(request)
        messages.success(
            request, _("Your account and your dogs’ journals are deleted. Thank you for using Leanlog.")
        )
        # The welcome page, not the sign-in page's "your dogs' journals are waiting".
        return redirect("dogs:home")
    if form.has_error("password", "password_incorrect"):
        throttle.count_wrong_password(request, request.user)
    # The page lists what the same rule would delete now, so what it promises is what happens.
    plan = account_deletion(request.user)
    goes = list(plan.goes.annotate(lean_count=Count("incidents", distinct=True)))
    return render(
        request, "registration/account_delete.html", {"form": form, "dogs": goes, "stays": list(plan.stays)}
    )
