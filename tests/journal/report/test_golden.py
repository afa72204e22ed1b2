"""Reports of seeded journals stay exactly as they were: numbers, flags, notes, verdict and ids.

The fixtures in report_golden/ were written by the report code before it was made faster
(per-lean rows, astimezone per lean). Any later way of building the report must reproduce them
key for key. Write them again only on purpose, after checking the difference by hand:
`LEANLOG_WRITE_GOLDEN=1 pytest tests/journal/report/test_golden.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import zoneinfo
from pathlib import Path

import pytest

from dogs.models import Dog
from journal.models import CheckIn, FlagAcknowledgement, Incident
from journal.report.cache import cached_report
from journal.report.numbers import DEFAULT_DAYS, Period
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
from tests.helpers import load_report, make_dog, make_owner, utc

GOLDEN = Path(__file__).parent / "report_golden"
WRITE = os.environ.get("LEANLOG_WRITE_GOLDEN") == "1"
# Sunday 29 March 2026: the clocks go forward in London at 01:00 UTC.
TODAY = dt.date(2026, 3, 29)
NOW = utc(2026, 3, 29, 20, 0)


def _codes(chance: random.Random, vocabulary: list[str], weights: list[int], most: int) -> list[str]:
    picked = {chance.choices(vocabulary, weights)[0] for _ in range(chance.randint(0, most))}
    return sorted(picked)


def _maybe(chance: random.Random, values: list[str], blank: int = 2) -> str:
    return chance.choice([""] * blank + values)


def _seed_leans(dog: Dog, seed: int, count: int, first: dt.datetime, last: dt.datetime, bias: dict) -> None:
    """count leans at seeded times between first and last, their codes drawn with the given bias."""
    chance = random.Random(seed)
    span = int((last - first).total_seconds())
    signs = Sign.values
    sign_weights = [bias.get(code, 1) for code in signs]
    triggers = Trigger.values
    trigger_weights = [bias.get(code, 1) for code in triggers]
    activities = [*OwnerActivity.values] + [bias.get("activity", OwnerActivity.RELAXING)] * bias.get(
        "activity_weight", 0
    )
    leans = []
    for _ in range(count):
        leans.append(
            Incident(
                dog=dog,
                occurred_at=first
                + dt.timedelta(seconds=chance.randrange(span), microseconds=chance.choice((0, 250_000))),
                intensity=chance.choice([None, 1, 2, 3, 4, 5]),
                duration=_maybe(chance, Duration.values),
                posture=_maybe(chance, Posture.values),
                location=_maybe(chance, Location.values),
                owner_activity=_maybe(chance, activities),
                owner_response=_maybe(chance, OwnerResponse.values),
                outcome=_maybe(chance, Outcome.values, blank=6),
                triggers=_codes(chance, triggers, trigger_weights, bias.get("triggers", 1)),
                signs=_codes(chance, signs, sign_weights, bias.get("signs", 3)),
            )
        )
    Incident.objects.bulk_create(leans)


def _dst_leans(dog: Dog) -> None:
    """Leans on both sides of the clock changes in London and New York, to the minute."""
    moments = [
        # London: 30 March 2025 and 29 March 2026 forward at 01:00 UTC, 26 October 2025 back at 01:00 UTC.
        utc(2025, 3, 30, 0, 59),
        utc(2025, 3, 30, 1, 0),
        utc(2025, 3, 30, 1, 30),
        utc(2025, 10, 25, 23, 30),
        utc(2025, 10, 26, 0, 30),
        utc(2025, 10, 26, 1, 0),
        utc(2025, 10, 26, 1, 30),
        utc(2026, 3, 29, 0, 30),
        utc(2026, 3, 29, 1, 0),
        utc(2026, 3, 29, 1, 15),
        # New York: 2 November 2025 back at 06:00 UTC, 8 March 2026 forward at 07:00 UTC.
        utc(2025, 11, 2, 4, 30),
        utc(2025, 11, 2, 5, 30),
        utc(2025, 11, 2, 6, 30),
        utc(2026, 3, 8, 6, 59),
        utc(2026, 3, 8, 7, 0),
        utc(2026, 3, 8, 7, 30),
        # Midnights (local) near the period edges.
        utc(2026, 3, 1, 0, 0),
        utc(2026, 2, 28, 23, 59),
        utc(2026, 3, 23, 4, 59),
        utc(2026, 3, 23, 5, 0),
    ]
    Incident.objects.bulk_create(
        Incident(dog=dog, occurred_at=when, signs=["trembling"] if i % 3 == 0 else [], location="home")
        for i, when in enumerate(moments)
    )


def _added(dog: Dog, when: dt.datetime) -> None:
    Dog.objects.filter(pk=dog.pk).update(created_at=when)
    dog.refresh_from_db()


def _journal(name: str) -> tuple[Dog, str]:
    """One seeded journal by name, with its owner's zone."""
    journals = {}
    london = make_owner("golden_london", "Europe/London")
    new_york = make_owner("golden_new_york", "America/New_York")

    # A senior dog with six years of varied leans, check-ins and acknowledgements.
    senior = make_dog(london, "Old Bess", size="giant", birth_date=dt.date(2016, 5, 2))
    _added(senior, utc(2020, 1, 5, 12))
    _seed_leans(senior, 1, 1500, utc(2020, 1, 6), NOW, {})
    _seed_leans(senior, 2, 120, utc(2026, 1, 1), NOW, {"shaky_legs": 8, "stiffness": 8, "signs": 2})
    _dst_leans(senior)
    CheckIn.objects.bulk_create(
        CheckIn(dog=senior, date=TODAY - dt.timedelta(days=d)) for d in (0, 3, 9, 40, 400, 800)
    )
    FlagAcknowledgement.objects.create(
        dog=senior,
        code="vet_check",
        on=dt.date(2026, 2, 1),
        created_at=utc(2026, 2, 1, 9),
        note="Seen: arthritis",
    )
    FlagAcknowledgement.objects.create(
        dog=senior, code="itch_check", on=dt.date(2026, 3, 28), created_at=NOW - dt.timedelta(hours=1)
    )
    FlagAcknowledgement.objects.create(
        dog=senior, code="anxiety", on=dt.date(2024, 3, 1), created_at=utc(2024, 3, 1, 10)
    )
    journals["senior_london"] = (senior, "Europe/London")

    # An anxious adult whose leaning rose lately, mostly as its owner gets ready to leave.
    anxious = make_dog(new_york, "Pip", size="small", birth_date=dt.date(2021, 8, 1))
    _added(anxious, utc(2023, 6, 1))
    _seed_leans(anxious, 3, 60, utc(2023, 6, 2), utc(2026, 1, 1), {})
    _seed_leans(
        anxious,
        4,
        90,
        utc(2026, 2, 20),
        NOW,
        {
            "trembling": 10,
            "panting": 6,
            "pacing": 4,
            "signs": 3,
            "activity": OwnerActivity.PREPARING_TO_LEAVE,
            "activity_weight": 20,
            "scooting": 2,
        },
    )
    _dst_leans(anxious)
    Incident.objects.filter(dog=anxious, occurred_at__gte=utc(2026, 3, 20)).filter(
        pk__in=Incident.objects.filter(dog=anxious).order_by("occurred_at").values("pk")[:3]
    ).update(outcome=Outcome.KNOCKED_OVER)
    journals["anxious_new_york"] = (anxious, "America/New_York")

    # A calm, affectionate dog, greeted at home and petted: the info flags.
    calm = make_dog(london, "Honey", size="medium", birth_date=dt.date(2019, 2, 2))
    _added(calm, utc(2024, 9, 1))
    _seed_leans(
        calm,
        5,
        400,
        utc(2024, 9, 2),
        NOW,
        {
            "relaxed": 30,
            "tail_wagging": 30,
            "sighing": 10,
            "nudging": 6,
            "signs": 2,
            "other_dogs": 20,
            "triggers": 2,
            "activity": OwnerActivity.JUST_ARRIVED,
            "activity_weight": 25,
        },
    )
    journals["calm_london"] = (calm, "Europe/London")

    # A young journal: a puppy added twelve days ago, with two leans logged before it was added.
    young = make_dog(new_york, "Nibs", size="large", birth_date=dt.date(2025, 12, 1))
    _added(young, NOW - dt.timedelta(days=12))
    _seed_leans(young, 6, 9, NOW - dt.timedelta(days=12), NOW, {"scooting": 5})
    Incident.objects.create(dog=young, occurred_at=utc(2026, 3, 8, 7, 30), signs=["relaxed"])
    Incident.objects.create(dog=young, occurred_at=utc(2026, 3, 2, 4, 0), intensity=None)
    CheckIn.objects.create(dog=young, date=TODAY - dt.timedelta(days=1))
    journals["young_new_york"] = (young, "America/New_York")

    # Relaxed leans while the owner is busy: affection and attention seeking together.
    busy = make_dog(london, "Mabel", size="large", birth_date=dt.date(2020, 7, 7))
    _added(busy, utc(2025, 1, 1))
    _seed_leans(
        busy,
        7,
        300,
        utc(2025, 1, 2),
        NOW,
        {
            "relaxed": 60,
            "tail_wagging": 60,
            "sighing": 40,
            "nudging": 70,
            "pawing": 40,
            "signs": 2,
            "activity": OwnerActivity.BUSY,
            "activity_weight": 40,
        },
    )
    journals["busy_london"] = (busy, "Europe/London")

    # A dog added today with nothing logged yet.
    empty = make_dog(london, "Dot", size="toy", birth_date=dt.date(2024, 1, 1))
    _added(empty, NOW - dt.timedelta(hours=2))
    journals["empty_london"] = (empty, "Europe/London")
    return journals[name]


PERIODS = {
    "7": Period.last(7, TODAY),
    "30": Period.last(30, TODAY),
    "90": Period.last(90, TODAY),
    "365": Period.last(365, TODAY),
    "1826": Period.last(1826, TODAY),
    # Across the autumn clock change, ending long before today.
    "custom": Period(dt.date(2025, 10, 20), dt.date(2025, 11, 9)),
    "custom_spring": Period(dt.date(2025, 3, 3), dt.date(2025, 4, 6)),
}


def _comparable(report: dict, numbers: dict[int, int], dog_id: int) -> dict:
    """The report with database ids as each lean's place in creation order (ids differ per run)."""
    report = json.loads(json.dumps(report))
    assert report["dog"]["id"] == dog_id
    report["dog"]["id"] = "dog"
    for item in (*report["flags"], *report["notes"]):
        item["incident_ids"] = [numbers[pk] for pk in item["incident_ids"]]
    return report


def _reports(name: str) -> dict[str, dict]:
    """The journal's reports over every period, and its home-page report."""
    dog, zone_name = _journal(name)
    zone = zoneinfo.ZoneInfo(zone_name)
    ordered = Incident.objects.filter(dog=dog).order_by("pk").values_list("pk", flat=True)
    numbers = {pk: i for i, pk in enumerate(ordered)}
    reports = {}
    for key, period in PERIODS.items():
        first = load_report(dog, period, TODAY, zone)
        # The second time the whole months come from what the first kept (journal.report.kept_months).
        assert load_report(dog, period, TODAY, zone) == first, f"{name}, period {key}, kept months"
        reports[key] = _comparable(first.as_json(), numbers, dog.pk)
    # What the home card and the dog page show: the 30-day report, through the pages' loader.
    _, home = cached_report(dog, Period.last(DEFAULT_DAYS, TODAY), TODAY, zone)
    reports["home"] = _comparable(home.as_json(), numbers, dog.pk)
    return reports


NAMES = ["senior_london", "anxious_new_york", "calm_london", "busy_london", "young_new_york", "empty_london"]


@pytest.mark.parametrize("name", NAMES)
def test_it_builds_the_same_reports_as_the_golden_files(db, name: str) -> None:
    built = _reports(name)
    path = GOLDEN / f"{name}.json"
    if WRITE:
        path.write_text(json.dumps(built, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(path.read_text())
    assert set(built) == set(expected)
    for key in expected:
        assert built[key] == expected[key], f"{name}, period {key}"
