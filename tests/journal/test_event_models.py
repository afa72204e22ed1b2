"""Events and weights as stored: what any door (a form, the admin, the API) is held to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dogs.models import Dog
from journal.models import Event, JournalStamp, Weight
from tests.helpers import make_event, make_weight


def event(dog: Dog, **fields) -> Event:
    values = {"kind": "medication", "title": "Carprofen 50 mg", "started_on": dt.date(2026, 3, 3)}
    values.update(fields)
    return Event(dog=dog, **values)


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def test_it_accepts_a_whole_event(dog: Dog) -> None:
    event(dog, ended_on=dt.date(2026, 3, 3), notes="Twice a day\nwith food").full_clean()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "x" * 81),
        ("title", "Carprofen\n50 mg"),
        ("kind", "homeopathy"),
        ("notes", "x" * 2001),
        ("notes", "a\x00b"),
    ],
)
def test_it_refuses_a_bad_field(dog: Dog, field: str, value: str) -> None:
    assert field in errors_of(event(dog, **{field: value}))


def test_it_takes_a_title_of_80_characters(dog: Dog) -> None:
    event(dog, title="x" * 80).full_clean()


def test_it_refuses_a_start_in_the_future(dog: Dog) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    assert "started_on" in errors_of(event(dog, started_on=tomorrow))


def test_it_takes_a_start_today(dog: Dog) -> None:
    event(dog, started_on=timezone.localdate()).full_clean()


def test_it_refuses_a_start_before_the_dog_was_born(dog: Dog) -> None:
    errors = errors_of(event(dog, started_on=dog.birth_date - dt.timedelta(days=1)))

    assert errors["started_on"] == ["Biscuit was born on 14 March 2021. Pick that day or a later one."]


def test_it_takes_a_start_on_the_birth_date(dog: Dog) -> None:
    event(dog, started_on=dog.birth_date).full_clean()


def test_it_refuses_an_end_before_the_start(dog: Dog) -> None:
    errors = errors_of(event(dog, ended_on=dt.date(2026, 3, 2)))

    assert errors["ended_on"] == ["The end cannot be before the start (3 March 2026)."]


def test_it_keeps_an_end_before_the_start_out_of_the_database(dog: Dog) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(dog, dt.date(2026, 3, 3), ended_on=dt.date(2026, 3, 2))


def test_it_keeps_an_unknown_kind_out_of_the_database(dog: Dog) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(dog, dt.date(2026, 3, 3), kind="homeopathy")


def test_it_keeps_an_empty_title_out_of_the_database(dog: Dog) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(dog, dt.date(2026, 3, 3), title="")


@pytest.mark.parametrize("kg", ["0.5", "120", "32.25"])
def test_it_takes_a_weight_in_range(dog: Dog, kg: str) -> None:
    Weight(dog=dog, measured_on=dt.date(2026, 3, 3), weight_kg=Decimal(kg)).full_clean()


@pytest.mark.parametrize("kg", ["0.49", "150.01", "-3"])
def test_it_refuses_a_weight_out_of_range(dog: Dog, kg: str) -> None:
    assert "weight_kg" in errors_of(Weight(dog=dog, measured_on=dt.date(2026, 3, 3), weight_kg=Decimal(kg)))


@pytest.mark.parametrize("kg", ["0.49", "150.01"])
def test_it_keeps_a_weight_out_of_range_out_of_the_database(dog: Dog, kg: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_weight(dog, dt.date(2026, 3, 3), kg)


def test_it_refuses_a_weighing_in_the_future(dog: Dog) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    assert "measured_on" in errors_of(Weight(dog=dog, measured_on=tomorrow, weight_kg=Decimal("30")))


def test_it_knows_an_ongoing_event(dog: Dog) -> None:
    today = dt.date(2026, 3, 10)

    assert event(dog).is_ongoing(today)
    assert event(dog, ended_on=today).is_ongoing(today)
    assert not event(dog, ended_on=today - dt.timedelta(days=1)).is_ongoing(today)


# The report cache's key: every write of an event or a weight moves the journal's stamp.


def test_it_stamps_the_journal_for_every_event_write(dog: Dog) -> None:
    stamps = [JournalStamp.of(dog.pk)]
    added = make_event(dog, dt.date(2026, 3, 3))
    stamps.append(JournalStamp.of(dog.pk))
    Event.objects.filter(pk=added.pk).update(title="Carprofen 75 mg")
    stamps.append(JournalStamp.of(dog.pk))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE journal_event SET notes = 'raw' WHERE id = %s", [added.pk])
    stamps.append(JournalStamp.of(dog.pk))
    added.delete()
    stamps.append(JournalStamp.of(dog.pk))

    assert len(set(stamps)) == len(stamps)


def test_it_stamps_the_journal_for_every_weight_write(dog: Dog) -> None:
    stamps = [JournalStamp.of(dog.pk)]
    added = make_weight(dog, dt.date(2026, 3, 3), "31.5")
    stamps.append(JournalStamp.of(dog.pk))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE journal_weight SET weight_kg = 30 WHERE id = %s", [added.pk])
    stamps.append(JournalStamp.of(dog.pk))
    Weight.objects.filter(pk=added.pk).delete()
    stamps.append(JournalStamp.of(dog.pk))

    assert len(set(stamps)) == len(stamps)
