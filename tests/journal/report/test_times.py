"""The report's integer times: exact to the microsecond, placed by the zone's clock changes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from journal.models import FlagAcknowledgement, Incident
from journal.report.kept_months import period_rows
from journal.report.numbers import Period
from journal.report.rules import moment_of
from journal.report.tally import utc_offsets
from tests.helpers import load_report, make_incident, utc

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _seconds(when: dt.datetime) -> int:
    return moment_of(when) // 1_000_000


def test_it_finds_londons_spring_change_to_the_second() -> None:
    changes, offsets = utc_offsets(LONDON, _seconds(utc(2025, 3, 1)), _seconds(utc(2025, 4, 1)))
    assert (changes, offsets) == ([_seconds(utc(2025, 3, 30, 1))], [0, 3600])


def test_it_finds_both_of_new_yorks_changes_in_a_year() -> None:
    changes, offsets = utc_offsets(NEW_YORK, _seconds(utc(2025, 1, 1)), _seconds(utc(2026, 1, 1)))
    assert changes == [_seconds(utc(2025, 3, 9, 7)), _seconds(utc(2025, 11, 2, 6))]
    assert offsets == [-5 * 3600, -4 * 3600, -5 * 3600]


def test_it_finds_no_change_in_utc() -> None:
    assert utc_offsets(dt.UTC, 0, 10**9) == ([], [0])


def test_it_reads_a_leans_time_from_the_database_to_the_microsecond(dog) -> None:
    when = utc(2025, 3, 5, 18, 30, 12, 345678)
    make_incident(dog, when)
    whole = make_incident(dog, utc(2025, 3, 6, 9))
    rows = dict(period_rows(Incident.objects.filter(dog=dog)).values_list("id", "moment"))
    assert sorted(rows.values()) == [moment_of(when), moment_of(whole.occurred_at)]


def test_it_reopens_a_flag_for_a_lean_one_microsecond_after_its_acknowledgement(dog) -> None:
    handled = utc(2025, 3, 10, 12, 0, 0, 500)
    FlagAcknowledgement.objects.create(
        dog=dog, code="knock_over", on=dt.date(2025, 3, 10), created_at=handled
    )
    make_incident(dog, handled + dt.timedelta(microseconds=1), outcome="knocked_over")
    built = load_report(dog, Period(dt.date(2025, 3, 1), dt.date(2025, 3, 30)), dt.date(2025, 3, 30), LONDON)
    assert [(flag.code, flag.acknowledged) for flag in built.flags] == [("knock_over", None)]


def test_it_keeps_a_flag_handled_for_a_lean_at_the_same_microsecond(dog) -> None:
    handled = utc(2025, 3, 10, 12, 0, 0, 500)
    FlagAcknowledgement.objects.create(
        dog=dog, code="knock_over", on=dt.date(2025, 3, 10), created_at=handled
    )
    make_incident(dog, handled, outcome="knocked_over")
    built = load_report(dog, Period(dt.date(2025, 3, 1), dt.date(2025, 3, 30)), dt.date(2025, 3, 30), LONDON)
    assert built.flags[0].acknowledged is not None
