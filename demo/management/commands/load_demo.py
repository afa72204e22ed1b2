"""`manage.py load_demo`: a demo owner with the demo dogs (demo_data.DEMO_DOGS) and their journal."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from demo.story import (
    CHECKED_IN_DAYS_AGO,
    DEMO_CARER_PASSWORD,
    DEMO_CARER_USERNAME,
    DEMO_CARER_WEEKDAYS,
    DEMO_DOGS,
    DEMO_EVENTS,
    DEMO_PASSWORD,
    DEMO_SHARE_DAYS,
    DEMO_SHARE_EXPIRES_IN_DAYS,
    DEMO_SHARED_DOG,
    DEMO_TIME_ZONE,
    DEMO_URL,
    DEMO_USERNAME,
    DEMO_VET_NOTE,
    DEMO_WEIGHTS,
    JOURNAL_DAYS,
    SEED,
    DemoRandom,
    build_incidents,
)
from dogs.models import Dog, Membership, Owner, Role, new_token
from journal.models import CheckIn, Event, Incident, Weight
from journal.report.numbers import Period
from sharing.models import ShareLink, VetNote


class Command(BaseCommand):
    help = "Load a demo owner with a household of dogs and about six months of journal (the same every time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has an owner (used by `make run`).",
        )
        parser.add_argument(
            "--site",
            default=DEMO_URL,
            help=f"The address the server answers on, for the links it prints (default {DEMO_URL}).",
        )

    def handle(self, *args: Any, if_empty: bool = False, site: str = DEMO_URL, **options: Any) -> None:
        if if_empty and Owner.objects.exists():
            self.stdout.write("Owners already exist, so the demo data was not loaded.")
            return
        # Refuse rather than replace: the demo owner's journal may hold someone's own changes.
        for username in (DEMO_USERNAME, DEMO_CARER_USERNAME):
            if Owner.objects.filter(username=username).exists():
                raise CommandError(
                    f"An owner called {username!r} already exists, so nothing was loaded. "
                    "Delete that owner (in the admin) to load the demo again."
                )
        with transaction.atomic():
            owner, dogs, count = self.load()
            token = self.share_with_household_and_vet(owner, dogs)
        site = site.rstrip("/") + "/"
        names = ", ".join(dog.name for dog in dogs)
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(dogs)} demo dogs ({names}) with {count} leans."))
        self.stdout.write(f"Demo login: {owner.username} / {DEMO_PASSWORD}")
        self.stdout.write(f"Demo carer of {DEMO_SHARED_DOG}: {DEMO_CARER_USERNAME} / {DEMO_CARER_PASSWORD}")
        self.stdout.write(f"Vet link to {DEMO_SHARED_DOG}’s report: {site}share/{token}/")
        self.stdout.write(f"Open {site}")

    def load(self) -> tuple[Owner, list[Dog], int]:
        zone = zoneinfo.ZoneInfo(DEMO_TIME_ZONE)
        now = timezone.now()
        today = now.astimezone(zone).date()
        owner = Owner(
            username=DEMO_USERNAME,
            first_name="Sam",
            email="demo@example.com",
            time_zone=DEMO_TIME_ZONE,
        )
        validate_password(DEMO_PASSWORD, user=owner)
        owner.set_password(DEMO_PASSWORD)
        owner.save()

        # The dogs joined the journal on its first day, in the morning before any lean.
        joined = dt.datetime.combine(today - dt.timedelta(days=JOURNAL_DAYS), dt.time(6, 0), tzinfo=zone)
        dogs = []
        for fields, _plan, _one_offs in DEMO_DOGS:
            fields = dict(fields)
            birth_date = today - dt.timedelta(days=fields.pop("age_days"))
            # A dog may have joined later than the others (a young journal).
            days_ago = fields.pop("joined_days_ago", JOURNAL_DAYS)
            created = joined + dt.timedelta(days=JOURNAL_DAYS - days_ago)
            dogs.append(Dog(owner=owner, birth_date=birth_date, created_at=created, **fields))
        dogs = Dog.objects.bulk_create(dogs)
        Membership.objects.bulk_create([Membership(dog=dog, person=owner, role=Role.OWNER) for dog in dogs])

        incidents: list[Incident] = []
        for dog, (_fields, plan, one_offs) in zip(dogs, DEMO_DOGS, strict=True):
            rng = DemoRandom(f"{SEED}-{dog.name}")
            days = (today - dog.created_at.astimezone(zone).date()).days
            incidents.extend(build_incidents(dog, plan, one_offs, rng, today, zone, days))
        for incident in incidents:
            weekend = incident.occurred_at.astimezone(zone).weekday() in DEMO_CARER_WEEKDAYS
            incident.logged_by = owner
            if incident.dog.name == DEMO_SHARED_DOG and weekend:
                incident.logged_by = None  # set to the carer once the carer exists
        Incident.objects.bulk_create(incidents, batch_size=500)
        CheckIn.objects.bulk_create(
            CheckIn(dog=dog, date=today - dt.timedelta(days=days_ago), by=owner)
            for dog in dogs
            for days_ago in CHECKED_IN_DAYS_AGO.get(dog.name, ())
        )
        self.add_timelines(owner, dogs, today)
        return owner, dogs, len(incidents)

    def add_timelines(self, owner: Owner, dogs: list[Dog], today: dt.date) -> None:
        """The dogs' events and weighings (story.DEMO_EVENTS and DEMO_WEIGHTS)."""

        def day(days_ago: int) -> dt.date:
            return today - dt.timedelta(days=days_ago)

        events, weights = [], []
        for dog in dogs:
            for fields in DEMO_EVENTS.get(dog.name, ()):
                fields = dict(fields)
                started_on = day(fields.pop("days_ago"))
                ended = fields.pop("ended_days_ago", None)
                ended_on = None if ended is None else day(ended)
                events.append(
                    Event(dog=dog, started_on=started_on, ended_on=ended_on, created_by=owner, **fields)
                )
            weights += [
                Weight(dog=dog, measured_on=day(days_ago), weight_kg=kg, created_by=owner)
                for days_ago, kg in DEMO_WEIGHTS.get(dog.name, ())
            ]
        Event.objects.bulk_create(events)
        Weight.objects.bulk_create(weights)

    def share_with_household_and_vet(self, owner: Owner, dogs: list[Dog]) -> str:
        """A carer for the shared dog who logged its weekend leans, and a live vet link; returns the token."""
        zone = zoneinfo.ZoneInfo(DEMO_TIME_ZONE)
        dog = next(dog for dog in dogs if dog.name == DEMO_SHARED_DOG)
        carer = Owner(username=DEMO_CARER_USERNAME, first_name="Alex", time_zone=DEMO_TIME_ZONE)
        validate_password(DEMO_CARER_PASSWORD, user=carer)
        carer.set_password(DEMO_CARER_PASSWORD)
        carer.save()
        Membership.objects.create(dog=dog, person=carer, role=Role.CARER)
        dog.incidents.filter(logged_by__isnull=True).update(logged_by=carer)
        today = timezone.now().astimezone(zone).date()
        period = Period.last(DEMO_SHARE_DAYS, today)
        token, digest = new_token()
        share = ShareLink.objects.create(
            dog=dog,
            token_hash=digest,
            created_by=owner,
            start=period.start,
            end=period.end,
            time_zone=DEMO_TIME_ZONE,
            expires_at=timezone.now() + dt.timedelta(days=DEMO_SHARE_EXPIRES_IN_DAYS),
        )
        author, text = DEMO_VET_NOTE
        VetNote.objects.create(share=share, dog=dog, author=author, text=text)
        return token
