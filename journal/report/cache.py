"""The one way every page gets a report: built once per change of the journal, then shared.

The report page, report.json, the API, the vet's link, the home page's cards, the dog page and
the acknowledge page all ask `cached_reports` (or `cached_report` for one dog), so every number
is counted by one function (journal.report.report_of_tally) and is the same on every page.
The key names everything a report depends on: the dog's own row (every field, so a field
added tomorrow is covered), the stamp the database puts on its journal at every write
(JournalStamp, kept by triggers), the viewer's time zone, today and the period. No write
path has to remember anything, so the cache cannot go stale by omission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation

from config.saving.edits import stored_digest
from dogs.models import Dog
from journal.models import JournalStamp
from journal.report import kept_months
from journal.report.numbers import Period, Report, load_reports

# Bump when the cached Report or markup changes shape, should a shared cache outlive a deployment.
# A change to what a tally counts bumps the tally's version, which is in the key as well.
REPORT_CACHE_VERSION = 23
# Every change is in the key, so entries are never stale; they expire to free memory.
REPORT_CACHE_SECONDS = 60 * 60


def report_key(
    dog: Dog, period: Period, today: dt.date, zone: dt.tzinfo, part: str = "report", stamp: int | None = None
) -> str:
    """The cache key of one dog's report (or a rendered `part` of it); `stamp` if already read."""
    return ":".join(
        (
            f"{part}-v{REPORT_CACHE_VERSION}.{kept_months.TALLY_VERSION}",
            # The report's sentences and every page made of it are in the reader's language.
            translation.get_language() or settings.LANGUAGE_CODE,
            str(dog.pk),
            str(JournalStamp.of(dog.pk) if stamp is None else stamp),
            # Every stored field of the dog, as loaded (the digest an edit form keeps).
            stored_digest(dog),
            str(zone),
            today.isoformat(),
            period.start.isoformat(),
            period.end.isoformat(),
        )
    )


def journal_stamp() -> Coalesce:
    """The dog's journal stamp as a subquery of a query about it (get_dog_for's extras): 0 if none."""
    return Coalesce(Subquery(JournalStamp.objects.filter(dog_id=OuterRef("dog_id")).values("stamp")[:1]), 0)


def cached_reports(
    dogs: Iterable[Dog],
    period: Period,
    today: dt.date,
    zone: dt.tzinfo,
    stamps: dict[int, int] | None = None,
) -> dict[int, tuple[str, Report]]:
    """Each dog's report and its key; only the dogs with no copy under their key are built.

    `stamps` are the dogs' journal stamps when the caller has just read them.
    """
    dogs = list(dogs)
    if not dogs:
        return {}
    # The keys are read before the leans: what is stored under a key is never older than the
    # journal that key stands for. One query for every dog's stamp.
    if stamps is None:
        stamps = JournalStamp.of_dogs([dog.pk for dog in dogs])
    keys = {dog.pk: report_key(dog, period, today, zone, stamp=stamps.get(dog.pk, 0)) for dog in dogs}
    found = cache.get_many(list(keys.values()))
    missing = [dog for dog in dogs if keys[dog.pk] not in found]
    built = load_reports(missing, period, today, zone)
    if built:
        cache.set_many({keys[pk]: report for pk, report in built.items()}, REPORT_CACHE_SECONDS)
    return {dog.pk: (keys[dog.pk], built[dog.pk] if dog.pk in built else found[keys[dog.pk]]) for dog in dogs}


def cached_report(dog: Dog, period: Period, today: dt.date, zone: dt.tzinfo) -> tuple[str, Report]:
    """One dog's report and its key (cached_reports)."""
    return cached_reports([dog], period, today, zone)[dog.pk]


Made = TypeVar("Made")


def cached_part(
    dog: Dog,
    period: Period,
    today: dt.date,
    zone: dt.tzinfo,
    part: str,
    make: Callable[[str, Report], Made],
    stamp: int | None = None,
) -> Made:
    """What a page makes of one dog's report (its rendered part), kept under the report's key.

    A later view reads only that, not the report: a five-year report with thousands of leans
    behind its flags costs as little to show again as a week's. On a miss the report comes from
    cached_report, so the part is made from the same numbers as every other page. `stamp` is
    the dog's journal stamp when the caller read it with the dog (journal_stamp).
    """
    if stamp is None:
        stamp = JournalStamp.of(dog.pk)
    key = report_key(dog, period, today, zone, part=part, stamp=stamp)
    made = cache.get(key)
    if made is None:
        report_key_, built = cached_reports([dog], period, today, zone, {dog.pk: stamp})[dog.pk]
        made = make(report_key_, built)
        cache.set(key, made, REPORT_CACHE_SECONDS)
    return made
