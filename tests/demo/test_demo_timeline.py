"""The demo's timeline: Ruby's pain medication after a vet visit, Skye's training plan, their weighings.

Every answer comes from the report as the pages build it (load_reports), never from the rule again.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command

from demo.story import JOURNAL_DAYS, RUBY_MEDICATION_DAYS_AGO, RUBY_VET_VISIT_DAYS_AGO
from dogs.models import Dog
from journal.models import Event, Weight
from journal.report.before_after import EventReport
from journal.report.numbers import DEFAULT_DAYS, Period, Report, load_reports

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def demo(db) -> None:
    call_command("load_demo", stdout=StringIO())


def thirty_day_report(name: str) -> Report:
    """The dog's report as its page opens: the last 30 days up to the day the demo was loaded."""
    dog = Dog.objects.get(name=name)
    today = dog.created_at.astimezone(LONDON).date() + dt.timedelta(days=JOURNAL_DAYS)
    return load_reports([dog], Period.last(DEFAULT_DAYS, today), today, LONDON)[dog.pk]


def event_titled(built: Report, start: str) -> EventReport:
    return next(item for item in built.events if item.event.title.startswith(start))


def test_it_gives_ruby_a_vet_visit_two_days_before_her_pain_medication(demo) -> None:
    events = Event.objects.filter(dog__name="Ruby").order_by("started_on")
    assert [event.kind for event in events] == ["vet_visit", "medication"]
    assert (
        events[1].started_on - events[0].started_on
    ).days == RUBY_VET_VISIT_DAYS_AGO - RUBY_MEDICATION_DAYS_AGO
    assert events[1].ended_on is None


def test_it_shows_fewer_leans_and_fewer_shaky_ones_since_rubys_medication(demo) -> None:
    comparison = event_titled(thirty_day_report("Ruby"), "Meloxicam").comparison
    assert comparison is not None
    assert (comparison.window_days, comparison.change, comparison.by_group["physical"]) == (
        28,
        "fewer",
        "fewer",
    )
    assert comparison.after.physical < comparison.before.physical
    # The vet visit began in the window before: the sentence names it.
    assert "Check-up" in comparison.text
    # Watched every day on both sides: the fall is in the leans, not in the days noted.
    assert comparison.before.observed_days == comparison.after.observed_days == 28
    assert "days nobody noted" not in comparison.text


def test_it_shows_about_the_same_since_skyes_training_plan(demo) -> None:
    built = thirty_day_report("Skye")
    item = event_titled(built, "Departure training")
    assert item.event.kind == "training"
    assert item.comparison is not None and item.comparison.change == "same"
    assert "no clear change in leans" in item.comparison.text


def test_it_notes_rubys_slow_loss_of_weight_and_keeps_her_vet_flag_first(demo) -> None:
    built = thirty_day_report("Ruby")
    assert [flag.code for flag in built.flags] == ["vet_check"]
    assert [note.code for note in built.notes] == ["weight_loss"]
    assert Weight.objects.filter(dog__name="Ruby").count() == 4
