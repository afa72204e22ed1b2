"""The data migration that started households: every dog's owner becomes its owner member."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("dogs", "0005_households")]
AFTER = [("dogs", "0006_owners_become_members")]


@pytest.mark.django_db(transaction=True)
def test_it_makes_every_existing_dogs_owner_an_owner_member() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    person = old.get_model("dogs", "Owner").objects.create(username="olive")
    dog = old.get_model("dogs", "Dog").objects.create(
        owner=person, name="Pepper", size="small", birth_date="2020-01-01"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    memberships = list(new.get_model("dogs", "Membership").objects.values_list("dog_id", "person_id", "role"))

    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert memberships == [(dog.pk, person.pk, "owner")]
