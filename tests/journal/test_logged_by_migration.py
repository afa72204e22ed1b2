"""The data migration that names the adder as the logger of leans from before households."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("journal", "0007_kept_months")]
AFTER = [("journal", "0008_leans_before_households_logged_by_the_adder")]
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_it_names_the_adder_only_for_leans_from_before_households() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Owner, Dog = old.get_model("dogs", "Owner"), old.get_model("dogs", "Dog")
    Membership, Incident = old.get_model("dogs", "Membership"), old.get_model("journal", "Incident")
    olive, erin = Owner.objects.create(username="olive"), Owner.objects.create(username="erin")
    pepper = Dog.objects.create(owner=olive, name="Pepper", size="small", birth_date="2019-01-01")
    Membership.objects.create(dog=pepper, person=olive, role="owner", created=LONG_AGO)
    # Rex was handed to Erin when its adder deleted the account: Erin logged none of its old leans.
    rex = Dog.objects.create(owner=erin, name="Rex", size="small", birth_date="2019-01-01")
    Membership.objects.create(dog=rex, person=erin, role="owner")
    old_lean = Incident.objects.create(dog=pepper, occurred_at=LONG_AGO)
    rexs_old_lean = Incident.objects.create(dog=rex, occurred_at=LONG_AGO)
    Incident.objects.filter(pk__in=[old_lean.pk, rexs_old_lean.pk]).update(created_at=LONG_AGO)
    # Logged since households by an account that is gone.
    gone = Incident.objects.create(dog=pepper, occurred_at=LONG_AGO)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    loggers = dict(new.get_model("journal", "Incident").objects.values_list("pk", "logged_by_id"))

    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert loggers == {old_lean.pk: olive.pk, rexs_old_lean.pk: None, gone.pk: None}
