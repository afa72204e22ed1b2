"""Noting and deleting a weighing: the one write rule of the dog page, the weighings page and the API.

The dog's own weight (Dog.weight_kg, the one its form shows) follows its latest weighing, so every
page and rule that reads the dog's weight (the size check, the senior's age by weight) reads the
weight now. Weighings written another way (the admin, SQL) leave it until the next one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from config.once import save_once
from dogs.models import Dog
from journal.models import Weight

if TYPE_CHECKING:
    from journal.forms import WeightForm

# The dog's form holds one decimal; a weighing may have two (30.45 kg is 30.5 there).
ONE_DECIMAL = Decimal("0.1")


def note_weighing(form: WeightForm, client_id: object) -> tuple[Weight | None, bool]:
    """Store the form's weighing once per client_id (config.once) and bring the dog's weight along."""

    def save() -> Weight:
        weight = form.save()
        follow_latest_weighing(weight.dog)
        return weight

    return save_once(form, form.instance.dog.weights.all(), client_id, save)


def delete_weighing(weight: Weight) -> None:
    """Delete it; the dog's weight goes back to the latest weighing left, if any."""
    with transaction.atomic():
        weight.delete()
        follow_latest_weighing(weight.dog)


def follow_latest_weighing(dog: Dog) -> None:
    """The dog's weight becomes its latest weighing's (the dog keeps its own without any)."""
    latest = dog.weights.order_by("-measured_on", "-id").values_list("weight_kg", flat=True).first()
    if latest is not None:
        dog.weight_kg = latest.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        Dog.objects.filter(pk=dog.pk).update(weight_kg=dog.weight_kg)
