"""A dog's weighings: the latest against the highest of the 90 days before it, pure.

The dog page's change and the weight_loss rule (journal.report.rules) both read `weight_change`,
so the page and the report never disagree. The loss is a Fraction of exact Decimals: 40.0 → 36.0 kg
is exactly 10%, never 9.999999999999998.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from journal.report.period import date_in_sentence, decimal_text

# The window a change of weight is read over (the dog page and the weight_loss rule).
WEIGHT_WINDOW_DAYS = 90
ONE_TENTH = Decimal("0.1")


def kg_text(kg: Decimal) -> str:
    """Kilograms without trailing zeros: 36.50 is "36.5", 40.00 is "40" (a decimal comma in German)."""
    return decimal_text(f"{kg.normalize():f}")


def weighing_noted(name: str, measured_on: dt.date, kg: Decimal) -> str:
    """What the pages say after a weighing is noted (the dog page's, the weighings page's, the dog's form)."""
    # Translators: %(name)s is the dog's name, %(kg)s a weight such as 31.5, %(day)s a date.
    return _("Noted: %(name)s weighed %(kg)s kg on %(day)s.") % {
        "name": name,
        "kg": kg_text(kg),
        "day": date_in_sentence(measured_on),
    }


def pct_number(share: Fraction) -> str:
    """A percentage's number cut (never rounded up) to one decimal: 4.99% is "4.9", never a "5"."""
    value = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(ONE_TENTH, ROUND_DOWN)
    return decimal_text(f"{value.normalize():f}")


def pct_text(share: Fraction) -> str:
    """The percentage with its sign, as the reader's language writes it: "4.9%", "4,9 %"."""
    # Translators: a percentage; %(number)s is a number such as "4.9".
    return _("%(number)s%%") % {"number": pct_number(share)}


@dataclass(frozen=True)
class WeightChange:
    """The latest weighing and the highest of the 90 days before it (None when there is none)."""

    latest_on: dt.date
    latest_kg: Decimal
    peak_on: dt.date | None
    peak_kg: Decimal | None

    @property
    def latest_words(self) -> str:
        # Translators: a weight in kilograms; %(kg)s is a number such as "36.5".
        return _("%(kg)s kg") % {"kg": kg_text(self.latest_kg)}

    @property
    def change_kg(self) -> Decimal | None:
        return None if self.peak_kg is None else self.latest_kg - self.peak_kg

    @property
    def loss(self) -> Fraction:
        """The share of the highest weight lost by the latest weighing, exactly; 0 without a loss."""
        if self.peak_kg is None or self.latest_kg >= self.peak_kg:
            return Fraction(0)
        return Fraction(self.peak_kg - self.latest_kg) / Fraction(self.peak_kg)

    def lost_at_least(self, pct: int) -> bool:
        """A loss of at least pct % of the highest weight, compared exactly."""
        return self.loss * 100 >= pct

    @property
    def peak_words(self) -> str:
        """ "40 kg on 3 January 2025"."""
        assert self.peak_kg is not None and self.peak_on is not None
        # Translators: a weighing; %(kg)s is a number such as "40", %(date)s a date ("3 January 2025").
        return _("%(kg)s kg on %(date)s") % {
            "kg": kg_text(self.peak_kg),
            "date": date_in_sentence(self.peak_on),
        }

    @property
    def change_words(self) -> str:
        """The change in words, against the highest weighing of the 90 days before the latest."""
        if self.peak_kg is None:
            # Translators: shown under the latest weight on the dog's page (its first letter
            # capitalised); %(days)s is 90.
            return _("no earlier weighing in the %(days)s days before to compare") % {
                "days": WEIGHT_WINDOW_DAYS
            }
        change = self.change_kg
        assert change is not None and self.peak_on is not None
        values = {
            "peak_kg": kg_text(self.peak_kg),
            "peak_date": date_in_sentence(self.peak_on),
            "days": WEIGHT_WINDOW_DAYS,
        }
        if change == 0:
            # Translators: shown under the latest weight on the dog's page (its first letter
            # capitalised): the highest weighing (%(peak_kg)s kg on the date %(peak_date)s) of the
            # %(days)s (90) days before it.
            return (
                _("the same as %(peak_kg)s kg on %(peak_date)s, the highest of the %(days)s days before")
                % values
            )
        if change > 0:
            return _(
                # Translators: as "the same as …"; %(kg)s is the gain in kilograms ("1.5").
                "up %(kg)s kg from %(peak_kg)s kg on %(peak_date)s, the highest of the %(days)s days before"
            ) % {
                **values,
                "kg": kg_text(change),
            }
        return _(
            # Translators: as "the same as …"; %(kg)s is the loss in kilograms, %(pct)s its share ("4.9%").
            "down %(kg)s kg (%(pct)s) from %(peak_kg)s kg on %(peak_date)s, "
            "the highest of the %(days)s days before"
        ) % {**values, "kg": kg_text(-change), "pct": pct_text(self.loss)}


def weight_change(weighings: Iterable[tuple[dt.date, Decimal]]) -> WeightChange | None:
    """The latest weighing against the highest of the 90 days before its day; None without any.

    Weighings come oldest first (by day, then as entered): the last of the latest day counts.
    A weighing 90 days before the latest is inside the window, one 91 days before is not.
    """
    ordered = sorted(weighings, key=lambda weighing: weighing[0])
    if not ordered:
        return None
    latest_on, latest_kg = ordered[-1]
    window_start = latest_on - dt.timedelta(days=WEIGHT_WINDOW_DAYS)
    earlier = [(kg, day) for day, kg in ordered if window_start <= day < latest_on]
    if not earlier:
        return WeightChange(latest_on, latest_kg, None, None)
    # The highest; of equal highs, the most recent.
    peak_kg, peak_on = max(earlier)
    return WeightChange(latest_on, latest_kg, peak_on, peak_kg)


def period_weight_change(
    weighings: Iterable[tuple[dt.date, Decimal]], start: dt.date, end: dt.date
) -> WeightChange | None:
    """The change the report reads: its period's latest weighing against the 90 days before it.

    None when nobody weighed the dog in the period: an old weighing is no news of this period.
    """
    known = [(day, kg) for day, kg in weighings if day <= end]
    if not any(day >= start for day, _ in known):
        return None
    return weight_change(known)
