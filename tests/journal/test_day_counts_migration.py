"""The migration that has the day stamps count their leans counts the leans already logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("journal", "0013_full_weight_lean_named_once")]
AFTER = [("journal", "0014_daystamp_leans")]


@pytest.mark.django_db(transaction=True)
def test_it_counts_the_leans_already_logged_and_keeps_the_stamps() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Owner, Dog = old.get_model("dogs", "Owner"), old.get_model("dogs", "Dog")
    Incident, DayStamp = old.get_model("journal", "Incident"), old.get_model("journal", "DayStamp")
    # A late request to the shared live server of an earlier browser test on this worker may
    # have stamped a day after that test's flush: this test counts from an empty table.
    DayStamp.objects.all().delete()
    olive = Owner.objects.create(username="olive")
    pepper = Dog.objects.create(owner=olive, name="Pepper", size="small", birth_date="2019-01-01")
    for hour in (1, 2, 23):
        Incident.objects.create(dog=pepper, occurred_at=dt.datetime(2026, 3, 1, hour, tzinfo=dt.UTC))
    Incident.objects.create(dog=pepper, occurred_at=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC))
    stamps = dict(DayStamp.objects.filter(dog_id=pepper.pk).values_list("day", "stamp"))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    NewIncident, NewDayStamp = new.get_model("journal", "Incident"), new.get_model("journal", "DayStamp")
    peppers_days = NewDayStamp.objects.filter(dog_id=pepper.pk)
    counted = dict(peppers_days.values_list("day", "leans"))
    kept = dict(peppers_days.values_list("day", "stamp"))
    # And the triggers count from then on.
    NewIncident.objects.create(dog_id=pepper.pk, occurred_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    after_a_lean = dict(peppers_days.values_list("day", "leans"))

    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert counted == {"2026-03-01": 3, "2026-03-02": 1}
    assert kept == stamps
    assert after_a_lean == {"2026-03-01": 3, "2026-03-02": 2}
