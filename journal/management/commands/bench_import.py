"""`manage.py bench_import` (`make bench-import`): how long a 50,000-lean CSV import takes, and its memory.

Like bench_report it never touches your database: it re-runs itself against a throw-away SQLite
file, writes a seeded CSV in the export's format, then goes through the real pages as a person
would (upload and preview, then confirm) and prints the time of each step and the process's
peak memory (resident set size). A second upload of the same file shows the duplicate check.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import resource
import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog, Membership, Owner, Role
from journal.csv_format import EXPORT_COLUMNS, EXPORT_LIST_SEPARATOR
from journal.management.scratch import (
    in_scratch_database,
    prepare_scratch_database,
    rerun_on_a_scratch_database,
)
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

SEED = 20261201
# Goals from the issue.
GOAL_SECONDS = 20.0
GOAL_PEAK_MB = 300.0


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seeded_csv(rows: int, now: dt.datetime) -> bytes:
    """A file as the export writes it: `rows` leans over the last ten years, a few with notes.

    About 100 bytes a lean, so that 50,000 leans fit the 5 MB limit: most leans have a sign or
    two and few triggers, as real journals do. Leans with every field filled run to ~120 bytes.
    """
    chance = random.Random(SEED)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    # Without logged_by: the import reads past it, and the file stays under 5 MB.
    writer.writerow([name for name in EXPORT_COLUMNS if name != "logged_by"])
    start = now - dt.timedelta(days=3650)
    step = dt.timedelta(days=3650) / rows
    for number in range(rows):
        when = (start + step * number).replace(microsecond=0)
        writer.writerow(
            [
                number + 1,
                when.isoformat(),
                chance.randint(1, 5),
                chance.choice(Duration.values),
                chance.choice(Posture.values),
                chance.choice(Location.values),
                chance.choice(["", *OwnerActivity.values]),
                EXPORT_LIST_SEPARATOR.join(chance.sample(Trigger.values, chance.choice([0, 0, 1, 2]))),
                EXPORT_LIST_SEPARATOR.join(sorted(chance.sample(Sign.values, chance.choice([0, 1, 1, 2])))),
                chance.choice(["", *OwnerResponse.values]),
                chance.choice(["", *Outcome.values]),
                'Sat on my foot, then, "helped".' if number % 10 == 0 else "",
            ]
        )
    return out.getvalue().encode()


class Command(BaseCommand):
    help = "Time a 50,000-lean CSV import through the real pages, on a throw-away SQLite database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rows", type=int, default=50_000, help="Leans in the file (default: %(default)s)."
        )

    def handle(self, *args, **options) -> None:
        if options["rows"] < 1:
            raise CommandError("--rows must be a positive whole number.")
        if in_scratch_database():
            self.bench(options["rows"])
        else:
            rerun_on_a_scratch_database("bench_import", [f"--rows={options['rows']}"])

    def bench(self, rows: int) -> None:
        prepare_scratch_database()
        owner = Owner.objects.create_user(
            "bench", password="bench-only-not-a-secret", time_zone="Europe/London"
        )
        dog = Dog.objects.create(owner=owner, name="Bench", size="large", birth_date=dt.date(2014, 5, 1))
        Membership.objects.create(dog=dog, person=owner, role=Role.OWNER)
        content = seeded_csv(rows, timezone.now() - dt.timedelta(hours=1))
        client = Client()
        client.force_login(owner)
        import_url = reverse("journal:incident-import", args=[dog.pk])
        confirm_url = reverse("journal:incident-import-confirm", args=[dog.pk])
        baseline = _peak_mb()
        self.stdout.write(
            f"Leanlog import benchmark: {rows:,} leans, {len(content) / 1024 / 1024:.2f} MB of CSV, "
            f"SQLite scratch file, peak memory before the import {baseline:.0f} MB."
        )
        timings = {}
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            started = time.perf_counter()
            response = client.post(import_url, {"file": SimpleUploadedFile("bench.csv", content, "text/csv")})
            timings["upload and preview"] = time.perf_counter() - started
            # The confirm form names the waiting upload by its token, as a browser posts it.
            waiting = re.search(rb'name="token" value="([^"]+)"', response.content)
            if (
                response.status_code != 200
                or not waiting
                or f"Add {rows:,} lean".encode() not in response.content
            ):
                raise CommandError("The preview did not offer to import the file.")
            started = time.perf_counter()
            response = client.post(confirm_url, {"token": waiting.group(1).decode()})
            timings["confirm (insert)"] = time.perf_counter() - started
            if response.status_code != 302 or Incident.objects.filter(dog=dog).count() != rows:
                raise CommandError("The confirm did not add every lean.")
            started = time.perf_counter()
            response = client.post(import_url, {"file": SimpleUploadedFile("bench.csv", content, "text/csv")})
            timings["same file again (all skipped)"] = time.perf_counter() - started
            if f"{rows:,}</strong> lean".encode() not in response.content:
                raise CommandError("The second upload did not find every lean already there.")
        peak = _peak_mb()
        for step, seconds in timings.items():
            self.stdout.write(f"  {step:<32} {seconds:6.2f} s")
        total = timings["upload and preview"] + timings["confirm (insert)"]
        self.stdout.write(
            f"  {'import (preview + confirm)':<32} {total:6.2f} s   goal under {GOAL_SECONDS:.0f} s: "
            f"{'met' if total < GOAL_SECONDS else 'MISSED'}"
        )
        self.stdout.write(
            f"  {'peak memory of the process':<32} {peak:6.0f} MB  goal under {GOAL_PEAK_MB:.0f} MB: "
            f"{'met' if peak < GOAL_PEAK_MB else 'MISSED'}"
        )
