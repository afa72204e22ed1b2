"""A dog's weighings: the latest and how it changed over the 90 days before it, pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# The window a change of weight is read over (the dog page and the weight_loss rule).
WEIGHT_WINDOW_DAYS = 90


def kg_text(kg: Decimal) -> str:
    """Kilograms without trailing zeros: 36.50 is "36.5", 40.00 is "40"."""
    return f"{kg.normalize():f}"


@dataclass(frozen=True)
class WeightChange:
    """The latest weighing and the earliest one of the 90 days before it (None when there is none)."""

    latest_on: dt.date
    latest_kg: Decimal
    since_on: dt.date | None
    since_kg: Decimal | None

    @property
    def latest_words(self) -> str:
        return f"{kg_text(self.latest_kg)} kg"

    @property
    def change_kg(self) -> Decimal | None:
        return None if self.since_kg is None else self.latest_kg - self.since_kg

    @property
    def change_words(self) -> str:
        """The change in words: "down 2 kg since 3 January", or that there is nothing to compare."""
        if self.since_kg is None or self.since_on is None:
            return f"no earlier weighing in the {WEIGHT_WINDOW_DAYS} days before to compare"
        change = self.change_kg
        when = f"since {self.since_on:%-d %B %Y}"
        if change == 0:
            return f"the same as {when.removeprefix('since ')}"
        word = "up" if change > 0 else "down"
        return f"{word} {kg_text(abs(change))} kg {when}"


def weight_change(weighings: list[tuple[dt.date, Decimal]]) -> WeightChange | None:
    """The latest weighing against the earliest within the 90 days before it; None without any."""
    if not weighings:
        return None
    ordered = sorted(weighings)
    latest_on, latest_kg = ordered[-1]
    window_start = latest_on - dt.timedelta(days=WEIGHT_WINDOW_DAYS)
    earlier = [(day, kg) for day, kg in ordered if window_start <= day < latest_on]
    since_on, since_kg = earlier[0] if earlier else (None, None)
    return WeightChange(latest_on, latest_kg, since_on, since_kg)
