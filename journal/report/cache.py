"""The report, built once per change of the journal and shared by the page and report.json.

The key names everything a report depends on: the dog's own row (every field, so a field
added tomorrow is covered), the stamp the database puts on its journal at every write
(JournalStamp, kept by triggers), the viewer's time zone, today and the period. No write
path has to remember anything, so the cache cannot go stale by omission.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache

from dogs.models import Dog
from journal.models import JournalStamp
from journal.report.numbers import Period, Report, load_report

# Bump when the cached Report or markup changes shape, should a shared cache outlive a deployment.
REPORT_CACHE_VERSION = 4
# Every change is in the key, so entries are never stale; they expire to free memory.
REPORT_CACHE_SECONDS = 60 * 60


def dog_fingerprint(dog: Dog) -> str:
    """A short digest of every stored field of the dog, as loaded."""
    values = "\x1f".join(repr(field.value_from_object(dog)) for field in dog._meta.concrete_fields)
    return hashlib.blake2s(values.encode(), digest_size=8).hexdigest()


def report_key(dog: Dog, period: Period, today: dt.date, zone: dt.tzinfo, part: str = "report") -> str:
    """The cache key of one dog's report (or a rendered `part` of it)."""
    return ":".join(
        (
            f"{part}-v{REPORT_CACHE_VERSION}",
            str(dog.pk),
            str(JournalStamp.of(dog.pk)),
            dog_fingerprint(dog),
            str(zone),
            today.isoformat(),
            period.start.isoformat(),
            period.end.isoformat(),
        )
    )


def cached_report(dog: Dog, period: Period, today: dt.date, zone: dt.tzinfo) -> tuple[str, Report]:
    """The report and its key; built only when no copy is stored under that key."""
    # The key is read before the leans: what is stored under a key is never older than the
    # journal that key stands for.
    key = report_key(dog, period, today, zone)
    report = cache.get(key)
    if report is None:
        report = load_report(dog, period, today, zone)
        cache.set(key, report, REPORT_CACHE_SECONDS)
    return key, report
