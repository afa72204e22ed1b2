"""The report's sentences in each language at their plural boundaries: one and two.

Each case builds the sentence the way the report does (the rule, the verdict, the comparison)
with the language switched on; the expected words were read and checked by a speaker of each
language. English is here too, so that the cases are known to reach the sentence they name.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from journal.report.before_after import MIN_OBSERVED_DAYS, Comparison, EventFacts, LeanDay, compare
from journal.report.numbers import TOO_EARLY_DAYS, TOO_EARLY_LEANS, DogFacts, verdict_of
from journal.report.period import Period
from journal.report.rules import Facts, Lean, knock_over_flag
from journal.vocabulary import Outcome
from tests.helpers import report_of_rows, row, utc

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = dt.date(2025, 3, 31)
PERIOD = Period.last(30, TODAY)


def falls(count: int) -> str:
    leans = [Lean.of(i, utc(2025, 3, 10 + i, 9), outcome=Outcome.KNOCKED_OVER) for i in range(1, count + 1)]
    return knock_over_flag(Facts(leans=leans, days=30, rate_per_week=1.0)).evidence


def _verdict(rows: list, created_on: dt.date) -> str:
    dog = DogFacts(2, "Pip", "small", dt.date(2024, 6, 1), created_on=created_on)
    return verdict_of(report_of_rows(dog, PERIOD, rows, 0, created_on, TODAY, LONDON)).text


def _plain(count: int, first: dt.date) -> list:
    return [row(i, utc(first.year, first.month, first.day, 9, i), 3, "home") for i in range(count)]


def so_far(count: int) -> str:
    """A journal of a day or two with `count` plain leans: too early, and how many so far."""
    return _verdict(_plain(count, TODAY), TODAY - dt.timedelta(days=1))


def more_leans(needed: int) -> str:
    """An old journal `needed` leans short of the period's first patterns."""
    return _verdict(_plain(TOO_EARLY_LEANS - needed, dt.date(2025, 3, 20)), dt.date(2024, 1, 1))


def more_days(needed: int) -> str:
    """Enough leans, in a journal `needed` days short of the first patterns."""
    began = TODAY - dt.timedelta(days=TOO_EARLY_DAYS - needed - 1)
    return _verdict(_plain(TOO_EARLY_LEANS, began), began)


def _check_in_more(needed: int) -> Comparison:
    """An event with its 28 days before noted, and `needed` observed days short after it."""
    started = dt.date(2025, 3, 1)
    before = [LeanDay(started - dt.timedelta(days=d), 3, ()) for d in range(1, 29)]
    after = [LeanDay(started + dt.timedelta(days=d), 3, ()) for d in range(MIN_OBSERVED_DAYS - needed)]
    event = EventFacts(1, "medication", "Carprofen", started, None)
    today = started + dt.timedelta(days=40)
    return compare(event, [], TODAY, dt.date(2024, 1, 1), before + after, [], today)


def check_in_more(needed: int) -> str:
    return _check_in_more(needed).text


def check_in_more_for_the_vet(needed: int) -> str:
    return _check_in_more(needed).shared_text


def journal_began(days: int) -> str:
    """An event `days` days after the journal began: too few days before it to compare."""
    started = dt.date(2025, 3, 1)
    event = EventFacts(1, "diet", "New food", started, None)
    return compare(event, [], TODAY, started - dt.timedelta(days=days), [], [], TODAY).text


CASES = {
    "falls": falls,
    "journal_began": journal_began,
    "so_far": so_far,
    "more_leans": more_leans,
    "more_days": more_days,
    "check_in_more": check_in_more,
    "check_in_more_for_the_vet": check_in_more_for_the_vet,
}

EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "journal_began": (
            (
                "Since “New food” began on 1 March: the journal began only 1 day before it; "
                "a comparison needs at least 7 days of journal on each side."
            ),
            (
                "Since “New food” began on 1 March: the journal began only 2 days before it; "
                "a comparison needs at least 7 days of journal on each side."
            ),
        ),
        "falls": (
            "Someone lost their balance or fell once in this period.",
            "Someone lost their balance or fell 2 times in this period.",
        ),
        "so_far": (
            (
                "Too early to see patterns: 1 lean so far. With 3 more leans and 5 more days of journal, "
                "Leanlog can start to tell what the leaning is about."
            ),
            (
                "Too early to see patterns: 2 leans so far. With 2 more leans and 5 more days of journal, "
                "Leanlog can start to tell what the leaning is about."
            ),
        ),
        "more_leans": (
            (
                "Too early to see patterns: 3 leans so far. With 1 more lean, Leanlog can start to tell "
                "what the leaning is about."
            ),
            (
                "Too early to see patterns: 2 leans so far. With 2 more leans, Leanlog can start to tell "
                "what the leaning is about."
            ),
        ),
        "more_days": (
            (
                "Too early to see patterns: 4 leans so far. With 1 more day of journal, Leanlog can start "
                "to tell what the leaning is about."
            ),
            (
                "Too early to see patterns: 4 leans so far. With 2 more days of journal, Leanlog can start "
                "to tell what the leaning is about."
            ),
        ),
        "check_in_more": (
            "Since “Carprofen” began on 1 March: check in on 1 more day by 28 March to compare.",
            "Since “Carprofen” began on 1 March: check in on 2 more days by 28 March to compare.",
        ),
        "check_in_more_for_the_vet": (
            (
                "Since “Carprofen” began on 1 March: the family needs to check in on 1 more day by 28 March "
                "to compare."
            ),
            (
                "Since “Carprofen” began on 1 March: the family needs to check in on 2 more days by 28 "
                "March to compare."
            ),
        ),
    },
    "de": {
        "journal_began": (
            (
                "Seit Beginn von „New food“ am 1. März: Das Tagebuch begann erst einen Tag davor; "
                "ein Vergleich braucht mindestens 7 Tage Tagebuch auf jeder Seite."
            ),
            (
                "Seit Beginn von „New food“ am 1. März: Das Tagebuch begann erst 2 Tage davor; "
                "ein Vergleich braucht mindestens 7 Tage Tagebuch auf jeder Seite."
            ),
        ),
        "falls": (
            "Jemand hat in diesem Zeitraum einmal das Gleichgewicht verloren oder ist gestürzt.",
            "Jemand hat in diesem Zeitraum 2-mal das Gleichgewicht verloren oder ist gestürzt.",
        ),
        "so_far": (
            (
                "Noch zu früh für Muster: bisher 1 Eintrag. Mit 3 weiteren Einträgen und 5 weiteren Tagen "
                "Tagebuch kann Leanlog anfangen zu erkennen, worum es beim Anlehnen geht."
            ),
            (
                "Noch zu früh für Muster: bisher 2 Einträge. Mit 2 weiteren Einträgen und 5 weiteren Tagen "
                "Tagebuch kann Leanlog anfangen zu erkennen, worum es beim Anlehnen geht."
            ),
        ),
        "more_leans": (
            (
                "Noch zu früh für Muster: bisher 3 Einträge. Mit einem weiteren Eintrag kann Leanlog "
                "anfangen zu erkennen, worum es beim Anlehnen geht."
            ),
            (
                "Noch zu früh für Muster: bisher 2 Einträge. Mit 2 weiteren Einträgen kann Leanlog anfangen "
                "zu erkennen, worum es beim Anlehnen geht."
            ),
        ),
        "more_days": (
            (
                "Noch zu früh für Muster: bisher 4 Einträge. Mit einem weiteren Tag Tagebuch kann Leanlog "
                "anfangen zu erkennen, worum es beim Anlehnen geht."
            ),
            (
                "Noch zu früh für Muster: bisher 4 Einträge. Mit 2 weiteren Tagen Tagebuch kann Leanlog "
                "anfangen zu erkennen, worum es beim Anlehnen geht."
            ),
        ),
        "check_in_more": (
            (
                "Seit Beginn von „Carprofen“ am 1. März: Trag bis zum 28. März an einem weiteren Tag eine "
                "Tagesnotiz ein, dann lässt sich vergleichen."
            ),
            (
                "Seit Beginn von „Carprofen“ am 1. März: Trag bis zum 28. März an 2 weiteren Tagen eine "
                "Tagesnotiz ein, dann lässt sich vergleichen."
            ),
        ),
        "check_in_more_for_the_vet": (
            (
                "Seit Beginn von „Carprofen“ am 1. März: Für einen Vergleich fehlt bis zum 28. März noch "
                "eine Tagesnotiz an einem weiteren Tag."
            ),
            (
                "Seit Beginn von „Carprofen“ am 1. März: Für einen Vergleich fehlen bis zum 28. März noch "
                "Tagesnotizen an 2 weiteren Tagen."
            ),
        ),
    },
    "es": {
        "journal_began": (
            (
                "Desde que empezó «New food» el 1 de marzo: el diario empezó solo un día antes; "
                "para comparar hacen falta al menos 7 días de diario a cada lado."
            ),
            (
                "Desde que empezó «New food» el 1 de marzo: el diario empezó solo 2 días antes; "
                "para comparar hacen falta al menos 7 días de diario a cada lado."
            ),
        ),
        "falls": (
            "Alguien perdió el equilibrio o se cayó una vez en este periodo.",
            "Alguien perdió el equilibrio o se cayó 2 veces en este periodo.",
        ),
        "so_far": (
            (
                "Aún es pronto para ver patrones: 1 apoyo hasta ahora. Con 3 apoyos más y 5 días más de "
                "diario, Leanlog podrá empezar a ver a qué se deben los apoyos."
            ),
            (
                "Aún es pronto para ver patrones: 2 apoyos hasta ahora. Con 2 apoyos más y 5 días más de "
                "diario, Leanlog podrá empezar a ver a qué se deben los apoyos."
            ),
        ),
        "more_leans": (
            (
                "Aún es pronto para ver patrones: 3 apoyos hasta ahora. Con un apoyo más, Leanlog podrá "
                "empezar a ver a qué se deben los apoyos."
            ),
            (
                "Aún es pronto para ver patrones: 2 apoyos hasta ahora. Con 2 apoyos más, Leanlog podrá "
                "empezar a ver a qué se deben los apoyos."
            ),
        ),
        "more_days": (
            (
                "Aún es pronto para ver patrones: 4 apoyos hasta ahora. Con un día más de diario, Leanlog "
                "podrá empezar a ver a qué se deben los apoyos."
            ),
            (
                "Aún es pronto para ver patrones: 4 apoyos hasta ahora. Con 2 días más de diario, Leanlog "
                "podrá empezar a ver a qué se deben los apoyos."
            ),
        ),
        "check_in_more": (
            (
                "Desde que empezó «Carprofen» el 1 de marzo: haz el registro del día en un día más antes "
                "del 28 de marzo para poder comparar."
            ),
            (
                "Desde que empezó «Carprofen» el 1 de marzo: haz el registro del día en 2 días más antes "
                "del 28 de marzo para poder comparar."
            ),
        ),
        "check_in_more_for_the_vet": (
            (
                "Desde que empezó «Carprofen» el 1 de marzo: para comparar, la familia tiene que hacer el "
                "registro del día en un día más antes del 28 de marzo."
            ),
            (
                "Desde que empezó «Carprofen» el 1 de marzo: para comparar, la familia tiene que hacer el "
                "registro del día en 2 días más antes del 28 de marzo."
            ),
        ),
    },
}


def said(language: str, case: str, count: int) -> str:
    with translation.override(language):
        return CASES[case](count)


@pytest.mark.parametrize("language", sorted(EXPECTED))
@pytest.mark.parametrize("case", sorted(CASES))
def test_it_says_one_and_two_as_each_language_does(language, case) -> None:
    assert (said(language, case, 1), said(language, case, 2)) == EXPECTED[language][case]


@pytest.mark.parametrize("language", ["de", "es"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_sentence_is_left_in_english(language, case) -> None:
    for count in (1, 2):
        assert said(language, case, count) != said("en", case, count)
