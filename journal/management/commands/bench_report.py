"""`manage.py bench_report` (`make bench`): how fast the pattern report is on big journals.

It never touches your database: the command re-runs itself against a throw-away SQLite file
in a temporary directory, fills it with one dog and 1,000, 10,000 and 50,000 leans spread over
ten years (with 50 events on its timeline and a weighing a month), and prints for the 30-day,
365-day and five-year report the median time to build the report,
the median time of the whole report page built fresh (right after a new lean), built cold (cache
emptied and no kept month either: the first view after an import) and with its report from the
cache, the same for a trivial signed-in page, the ratios and the number of queries; then the
dog's page and the home page with six dogs, fresh and cached, against the same trivial page,
and whether each goal is met.
The data is seeded, so every run measures the same journal.
"""

from __future__ import annotations

import datetime as dt
import gzip
import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from config.serving import memory
from dogs.models import Dog, Membership, Owner, Role
from journal.forms import MAX_PERIOD_DAYS
from journal.management.scratch import (
    in_scratch_database,
    prepare_scratch_database,
    rerun_on_a_scratch_database,
)
from journal.models import Event, EventKind, Incident, ReportPart, Weight
from journal.report.numbers import PRESET_DAYS, Period, load_reports
from journal.vocabulary import Location, Outcome, OwnerActivity, OwnerResponse, Sign, Trigger

# Set in the child process: the path of the throw-away database it may fill.
SIZES = (1_000, 10_000, 50_000)
# 30 days, a year and five years (the longest period the report page accepts).
PERIODS = (30, 365, MAX_PERIOD_DAYS)
SEED = 20240601
TIME_ZONE = "Europe/London"
BATCH = 5_000
WARM_UP = 2

# What a run's time is read from (--clock): elapsed time, or this process's CPU time.
clock: Callable[[], float] = time.perf_counter
# Untimed runs of each measure first (--warm-ups).
warm_ups = WARM_UP

# The bench dog's timeline: events spread over the years (each compared before and after in
# every report that concerns it), some of them courses that ended, and a weighing a month.
EVENTS = 50
EVENT_TITLES = (
    "Carprofen 50 mg twice a day",
    "Joint supplement with the evening meal",
    "Senior diet",
    "Settle-on-the-mat training",
    "Vet check-up",
    "Moved house",
    "New dog walker",
)
WEIGHINGS_PER_YEAR = 12
ONGOING_EVERY = 10

# The home page is measured with six dogs: the bench dog and five more, each with this many leans.
OTHER_DOGS = 5
OTHER_DOGS_LEANS = 1_000

# Goals, at the largest size: queries do not grow with the journal; the five-year report page
# fresh and cold in ms; against the trivial signed-in page, the 30-day report and the dog page
# fresh, the 365-day report fresh, the home page with six dogs fresh, and every cached view.
GOAL_FIVE_YEARS_FRESH_MS = 100.0
GOAL_FIVE_YEARS_COLD_MS = 250.0
GOAL_EVERYDAY_FRESH_RATIO = 3.0
GOAL_YEAR_FRESH_RATIO = 5.0
GOAL_CACHED_RATIO = 2.0


class Command(BaseCommand):
    help = "Time the pattern report on 1,000 to 50,000 leans in a throw-away SQLite database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sizes",
            default=",".join(str(size) for size in SIZES),
            help="Comma-separated journal sizes, in leans (default: %(default)s).",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=10,
            help="Years the leans are spread over; 50,000 leans take a dog's life (default: %(default)s).",
        )
        parser.add_argument(
            "--clock",
            choices=("wall", "cpu"),
            default="wall",
            help=(
                "wall: elapsed time; cpu: this process's CPU time, steadier on a machine busy with "
                "other work (default: %(default)s)."
            ),
        )
        parser.add_argument(
            "--runs",
            type=int,
            default=15,
            help="Timed runs per measure; the median is shown (default: %(default)s).",
        )
        parser.add_argument(
            "--warm-ups",
            type=int,
            default=WARM_UP,
            help="Untimed runs of each measure before the timed ones (default: %(default)s).",
        )

    def handle(self, *args, **options) -> None:
        sizes = sorted({int(size) for size in options["sizes"].split(",") if size.strip()})
        if not sizes or sizes[0] < 1 or options["years"] < 1 or options["runs"] < 1:
            raise CommandError("Sizes, years and runs must be positive whole numbers.")
        if options["warm_ups"] < 0:
            raise CommandError("Warm-ups must be a whole number, 0 or more.")
        if in_scratch_database():
            global clock, warm_ups
            clock = time.process_time if options["clock"] == "cpu" else time.perf_counter
            warm_ups = options["warm_ups"]
            self.bench(sizes, options["years"], options["runs"])
        else:
            rerun_on_a_scratch_database(
                "bench_report",
                [
                    f"--sizes={options['sizes']}",
                    f"--years={options['years']}",
                    f"--runs={options['runs']}",
                    f"--warm-ups={options['warm_ups']}",
                    f"--clock={options['clock']}",
                ],
            )

    def bench(self, sizes: list[int], years: int, runs: int) -> None:
        prepare_scratch_database()
        # This process now serves pages as an app server's does (config/serving/wsgi.py).
        memory.settle()
        owner = Owner.objects.create_user("bench", password="bench-only-not-a-secret", time_zone=TIME_ZONE)
        zone = owner.zone()
        now = timezone.now()
        span = dt.timedelta(days=365 * years)
        dog = Dog.objects.create(
            owner=owner, name="Bench", size="large", birth_date=dt.date(2016, 5, 1), created_at=now - span
        )
        Membership.objects.create(dog=dog, person=owner, role=Role.OWNER)
        today = timezone.localdate(now, zone)
        chance = random.Random(SEED)
        for number in range(OTHER_DOGS):
            other = Dog.objects.create(
                owner=owner,
                name=f"Other {number}",
                size="small",
                birth_date=dt.date(2018, 1, 1),
                created_at=now - span,
            )
            Membership.objects.create(dog=other, person=owner, role=Role.OWNER)
            self._fill(other, OTHER_DOGS_LEANS, now, span, chance)

        events, weighings = self._add_timeline(dog, today, years)
        self.stdout.write(
            f"Leanlog report benchmark: one dog, leans spread over {years} years, "
            f"{events} events and {weighings} weighings on its timeline, SQLite scratch file, "
            f"DEBUG={'on' if settings.DEBUG else 'off'}, "
            f"{'CPU time of this process' if clock is time.process_time else 'wall time'}, "
            f"median of {runs} interleaved runs after {warm_ups} warm-ups.\n"
            "fresh: right after a new lean (one is logged before each run), so the page builds and\n"
            "  renders the report from the kept months (the first view after any change);\n"
            "cold: no kept months either, so every lean of the period is read (the first view after\n"
            "  an import, or after a write to each of the period's months);\n"
            "cached: the report's part of the page comes from the cache (every later view).\n"
            "Every page is asked for as a browser asks (gzip accepted), so compression is included.\n"
        )
        header = (
            f"{'leans':>7} {'period':>7} {'rows':>6} {'build ms':>9} {'fresh ms':>9} {'cold ms':>8} "
            f"{'cached ms':>10} {'trivial ms':>10} {'fresh':>6} {'cached':>7} "
            f"{'queries build/fresh/cached/trivial':>35}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))

        results: dict[tuple[int, int], dict[str, object]] = {}
        pages: dict[int, dict[str, float]] = {}
        # Compressed as a browser asks for it: the pages' gzip is part of what they cost.
        client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        client.force_login(owner)
        with (
            override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]),
            timezone.override(zone),
        ):
            report_url = reverse("journal:report", args=[dog.pk])
            # The yardstick: a signed-in page with the site's layout and one line of text.
            trivial_url = reverse("password_change_done")
            for size in sizes:
                self._fill(dog, size, now, span, chance)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                for days in PERIODS:
                    period = Period.last(days, today)
                    rows = load_reports([dog], period, today, zone)[dog.pk].incidents

                    def build(p: Period = period) -> object:
                        return load_reports([dog], p, today, zone)[dog.pk]

                    def page(p: Period = period) -> HttpResponse:
                        return _ok(client.get(report_url, _period_query(p)))

                    def trivial() -> HttpResponse:
                        return _ok(client.get(trivial_url))

                    # Proof that both pages show this journal, not a copy cached for another one.
                    cache.clear()
                    _check_leans_shown(page(), rows, "fresh")
                    _check_leans_shown(page(), rows, "cached")
                    timings = _medians(
                        runs,
                        Measure(build),
                        Measure(page, prepare=lambda: _log_a_lean(dog)),
                        Measure(page, prepare=_forget_everything),
                        Measure(page),
                        Measure(trivial),
                    )
                    cache.clear()
                    queries = (_queries(build), _queries(page), _queries(page), _queries(trivial))
                    built_ms, fresh_ms, cold_ms, cached_ms, trivial_ms = timings
                    results[(size, days)] = {
                        "fresh": fresh_ms,
                        "cold": cold_ms,
                        "cached": cached_ms,
                        "trivial": trivial_ms,
                        "queries": queries,
                    }
                    self.stdout.write(
                        f"{size:>7,} {days:>5} d {rows:>6,} {built_ms:>9.1f} {fresh_ms:>9.1f} "
                        f"{cold_ms:>8.1f} {cached_ms:>10.1f} {trivial_ms:>10.1f} "
                        f"{fresh_ms / trivial_ms:>5.1f}x {cached_ms / trivial_ms:>6.1f}x "
                        f"{'/'.join(map(str, queries)):>35}"
                    )
                pages[size] = self._everyday_pages(client, dog, runs)
        self._print_pages(pages)
        self._verdict(sizes, results, pages)

    def _add_timeline(self, dog: Dog, today: dt.date, years: int) -> tuple[int, int]:
        """EVENTS seeded events over the years and a weighing a month, on a seed of their own.

        The leans' seed is left alone, so the journal is the one earlier runs measured.
        """
        chance = random.Random(SEED + 1)
        days = 365 * years
        events = []
        for number in range(EVENTS):
            started_on = today - dt.timedelta(days=days - 1 - number * days // EVENTS - chance.randrange(30))
            # Courses and visits end; every tenth (a diet, a supplement) goes on to this day, and
            # each of those is compared in every report, however long ago it began.
            lasting = number % ONGOING_EVERY == ONGOING_EVERY - 1
            ended_on = None if lasting else started_on + dt.timedelta(days=chance.randrange(0, 120))
            events.append(
                Event(
                    dog=dog,
                    kind=chance.choice(EventKind.values),
                    title=chance.choice(EVENT_TITLES),
                    started_on=started_on,
                    ended_on=ended_on if ended_on is None or ended_on <= today else None,
                )
            )
        Event.objects.bulk_create(events)
        weighings = [
            Weight(
                dog=dog,
                measured_on=today - dt.timedelta(days=month * 365 // WEIGHINGS_PER_YEAR),
                weight_kg=Decimal(chance.randrange(300, 340)) / 10,
            )
            for month in range(years * WEIGHINGS_PER_YEAR)
        ]
        Weight.objects.bulk_create(weighings)
        return len(events), len(weighings)

    def _everyday_pages(self, client: Client, dog: Dog, runs: int) -> dict[str, float]:
        """The dog page and the home page (six dogs), fresh and cached, and the trivial page."""
        dog_url = reverse("dogs:dog-detail", args=[dog.pk])
        trivial_url = reverse("password_change_done")

        def dog_page() -> HttpResponse:
            return _ok(client.get(dog_url))

        def home() -> HttpResponse:
            response = _ok(client.get("/"))
            names = ["Bench", *(f"Other {number}" for number in range(OTHER_DOGS))]
            if not all(name in _text(response) for name in names):
                raise CommandError("The home page does not show the six dogs.")
            return response

        cache.clear()
        names = ("dog fresh", "dog cached", "home fresh", "home cached", "trivial")
        timings = _medians(
            runs,
            Measure(dog_page, prepare=lambda: _log_a_lean(dog)),
            Measure(dog_page),
            Measure(home, prepare=lambda: _log_a_lean(dog)),
            Measure(home),
            Measure(lambda: _ok(client.get(trivial_url))),
        )
        cache.clear()
        return dict(zip(names, timings, strict=True))

    def _print_pages(self, pages: dict[int, dict[str, float]]) -> None:
        self.stdout.write("\nThe everyday pages (fresh: right after a lean of the bench dog; home: 6 dogs):")
        header = (
            f"{'leans':>7} {'dog fresh':>10} {'dog cached':>11} {'home fresh':>11} {'home cached':>12} "
            f"{'trivial':>8} {'ratios dog f/c, home f/c':>26}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for size, page in pages.items():
            trivial = page["trivial"]
            ratios = "/".join(
                f"{page[name] / trivial:.1f}x"
                for name in ("dog fresh", "dog cached", "home fresh", "home cached")
            )
            self.stdout.write(
                f"{size:>7,} {page['dog fresh']:>8.1f}ms {page['dog cached']:>9.1f}ms "
                f"{page['home fresh']:>9.1f}ms {page['home cached']:>10.1f}ms {trivial:>6.1f}ms {ratios:>26}"
            )

    def _fill(
        self, dog: Dog, count: int, now: dt.datetime, span: dt.timedelta, chance: random.Random
    ) -> None:
        """Replace the journal with count seeded leans spread at random over the span before now.

        They are saved oldest first, as an owner logs them, so that a period's rows sit together
        on disk as they would in a real journal.
        """
        Incident.objects.filter(dog=dog).delete()
        seconds = int(span.total_seconds()) - 60
        times = sorted(now - dt.timedelta(seconds=60 + chance.randrange(seconds)) for _ in range(count))
        for first in range(0, count, BATCH):
            Incident.objects.bulk_create(
                _random_lean(dog, when, chance) for when in times[first : first + BATCH]
            )

    def _verdict(
        self, sizes: list[int], results: dict[tuple[int, int], dict], pages: dict[int, dict[str, float]]
    ) -> None:
        largest = sizes[-1]
        # The page reads the leans behind its flags only when it has flags: one query more.
        steady = all(
            _same_queries(results[(size, days)]["queries"], results[(sizes[0], days)]["queries"])
            for size in sizes
            for days in PERIODS
        )
        month, year, five = (results[(largest, days)] for days in PERIODS)
        page = pages[largest]

        def ratio(ms: float, trivial: float) -> float:
            return ms / trivial

        cached = [
            (
                f"{days}-day report",
                ratio(results[(largest, days)]["cached"], results[(largest, days)]["trivial"]),
            )
            for days in PERIODS
        ] + [
            ("dog page", ratio(page["dog cached"], page["trivial"])),
            ("home page", ratio(page["home cached"], page["trivial"])),
        ]
        worst_name, worst_cached = max(cached, key=lambda item: item[1])
        at = f"at {largest:,} leans"
        self.stdout.write("")
        for met, text in (
            (steady, "queries do not grow with the number of leans (the flags' list of leans aside)"),
            (
                five["fresh"] <= GOAL_FIVE_YEARS_FRESH_MS,
                f"five-year report page fresh {at}: {five['fresh']:.0f} ms "
                f"(goal ≤ {GOAL_FIVE_YEARS_FRESH_MS:.0f})",
            ),
            (
                five["cold"] <= GOAL_FIVE_YEARS_COLD_MS,
                f"five-year report page cold {at}: {five['cold']:.0f} ms "
                f"(goal ≤ {GOAL_FIVE_YEARS_COLD_MS:.0f})",
            ),
            (
                ratio(month["fresh"], month["trivial"]) <= GOAL_EVERYDAY_FRESH_RATIO,
                f"30-day report page fresh {at}: {ratio(month['fresh'], month['trivial']):.1f}x the trivial "
                "page "
                f"(goal ≤ {GOAL_EVERYDAY_FRESH_RATIO:.0f}x)",
            ),
            (
                ratio(page["dog fresh"], page["trivial"]) <= GOAL_EVERYDAY_FRESH_RATIO,
                f"dog page fresh {at}: {ratio(page['dog fresh'], page['trivial']):.1f}x "
                f"(goal ≤ {GOAL_EVERYDAY_FRESH_RATIO:.0f}x)",
            ),
            (
                ratio(year["fresh"], year["trivial"]) <= GOAL_YEAR_FRESH_RATIO,
                f"365-day report page fresh {at}: {ratio(year['fresh'], year['trivial']):.1f}x "
                f"(goal ≤ {GOAL_YEAR_FRESH_RATIO:.0f}x)",
            ),
            (
                ratio(page["home fresh"], page["trivial"]) <= GOAL_EVERYDAY_FRESH_RATIO,
                f"home page with six dogs fresh {at}: {ratio(page['home fresh'], page['trivial']):.1f}x "
                f"(goal ≤ {GOAL_EVERYDAY_FRESH_RATIO:.0f}x)",
            ),
            (
                worst_cached <= GOAL_CACHED_RATIO,
                f"every cached view {at} within {worst_cached:.1f}x the trivial page, the slowest the "
                f"{worst_name} (goal ≤ {GOAL_CACHED_RATIO:.0f}x; 3x for issue 18)",
            ),
        ):
            label = "  info " if met is None else "  met  " if met else "MISSED "
            self.stdout.write(label + text)


# The choices a bench lean is drawn from, listed once: an enum's values are worked out on each read.
SIGNS, TRIGGERS = tuple(Sign.values), tuple(Trigger.values)
LOCATIONS = (Location.HOME,) * 5 + tuple(Location.values)
ACTIVITIES, RESPONSES = ("", *OwnerActivity.values), ("", *OwnerResponse.values)
OUTCOMES = ("", "", Outcome.SETTLED, Outcome.CONTINUED, Outcome.LEFT)


def _random_lean(dog: Dog, when: dt.datetime, chance: random.Random) -> Incident:
    """One plausible lean: mostly at home, a sign or two, sometimes a trigger."""
    signs = chance.sample(SIGNS, k=chance.choice((0, 1, 1, 2, 2, 3)))
    triggers = chance.sample(TRIGGERS, k=chance.choice((0, 0, 0, 1, 1, 2)))
    return Incident(
        dog=dog,
        occurred_at=when,
        intensity=chance.randint(1, 5),
        location=chance.choice(LOCATIONS),
        owner_activity=chance.choice(ACTIVITIES),
        owner_response=chance.choice(RESPONSES),
        outcome=chance.choice(OUTCOMES),
        triggers=triggers,
        signs=signs,
    )


def _same_queries(these: tuple[int, ...], those: tuple[int, ...]) -> bool:
    """Build, cached page and trivial page alike; the fresh page within the flags' one query."""
    return these[0] == those[0] and these[2:] == those[2:] and abs(these[1] - those[1]) <= 1


def _log_a_lean(dog: Dog) -> None:
    """A lean logged a minute ago: the journal stamp moves, so no page has its report cached."""
    Incident.objects.create(dog=dog, occurred_at=timezone.now() - dt.timedelta(minutes=1), intensity=3)


def _forget_everything() -> None:
    """No cached report and no kept month: the page reads every lean of its period."""
    cache.clear()
    ReportPart.objects.all().delete()


def _period_query(period: Period) -> dict[str, object]:
    """The report page's query for a period: a preset, or its dates."""
    if period.days in PRESET_DAYS:
        return {"days": period.days}
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _ok(response: HttpResponse) -> HttpResponse:
    if response.status_code != 200:
        raise CommandError(f"{response.request['PATH_INFO']} answered {response.status_code}.")
    return response


def _text(response: HttpResponse) -> str:
    """The page as the browser reads it, unzipped."""
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content).decode()
    return response.content.decode()


def _check_leans_shown(response: HttpResponse, expected: int, which: str) -> None:
    match = re.search(r'id="summary-leans">(\d+)<', _text(response))
    shown = int(match.group(1)) if match else None
    if shown != expected:
        raise CommandError(f"The {which} page shows {shown} leans where the report counts {expected}.")


@dataclass(frozen=True)
class Measure:
    run: Callable[[], object]
    # Called before each run, outside the timing (emptying the cache for a fresh page).
    prepare: Callable[[], object] | None = None


def _medians(runs: int, *measures: Measure) -> list[float]:
    """Median wall time of each measure in milliseconds, after unmeasured warm-ups.

    The measures take turns within each run, so that a busy moment on the machine slows
    them all alike instead of skewing one of them.
    """
    for _ in range(warm_ups):
        for measure in measures:
            if measure.prepare:
                measure.prepare()
            measure.run()
    times: list[list[float]] = [[] for _ in measures]
    for _ in range(runs):
        for measure, spent in zip(measures, times, strict=True):
            if measure.prepare:
                measure.prepare()
            started = clock()
            measure.run()
            spent.append((clock() - started) * 1000)
    return [statistics.median(spent) for spent in times]


def _queries(measure: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        measure()
    return len(captured)
