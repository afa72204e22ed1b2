"""weight_loss: a twentieth of body weight lost within 90 days is a note, a tenth a flag for the vet."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from fractions import Fraction

import pytest
from django.test import Client
from django.utils import timezone

from dogs.models import Dog
from journal.models import FlagAcknowledgement
from journal.report.numbers import Period, verdict_of
from journal.report.rules import (
    WEIGHT_LOSS_NOTE_PCT,
    WEIGHT_LOSS_VET_PCT,
    Facts,
    Level,
    evaluate,
    notes_below,
)
from journal.report.weights import pct_text, period_weight_change, weight_change
from tests.helpers import (
    load_report,
    make_dog,
    make_incident,
    make_owner,
    make_share,
    make_weight,
    select,
    select_one,
    text,
    utc,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = dt.date(2025, 3, 31)
PERIOD = Period(dt.date(2025, 3, 2), TODAY)


def kg(value: str) -> Decimal:
    return Decimal(value)


def change_of(*weighings: tuple[int, str]):
    """The change of weighings given as (days before TODAY, kilograms)."""
    return weight_change([(TODAY - dt.timedelta(days=days), kg(value)) for days, value in weighings])


def codes(facts: Facts) -> tuple[list[tuple[str, str]], list[str]]:
    """The flags (code, level) and the notes the rules give these facts."""
    flags = evaluate(facts)
    return [(flag.code, flag.level) for flag in flags], [note.code for note in notes_below(facts, flags)]


def facts_with(change) -> Facts:
    return Facts(leans=(), days=30, rate_per_week=0, weight=change)


# The arithmetic, exact.


def test_it_counts_40_to_36_kg_as_exactly_a_tenth() -> None:
    assert change_of((30, "40.0"), (0, "36.0")).loss == Fraction(1, 10)


def test_it_compares_the_latest_with_the_highest_of_the_90_days_not_the_first() -> None:
    change = change_of((80, "38"), (40, "40"), (10, "39"), (0, "37"))
    assert (change.peak_kg, change.peak_on, change.loss) == (
        kg("40"),
        TODAY - dt.timedelta(days=40),
        Fraction(3, 40),
    )


def test_it_sees_no_loss_when_the_latest_is_the_highest() -> None:
    assert change_of((30, "30"), (0, "31")).loss == 0


def test_it_keeps_the_percentage_below_a_threshold_when_cut_to_one_decimal() -> None:
    assert (pct_text(Fraction(499, 10000)), pct_text(Fraction(1, 20)), pct_text(Fraction(1, 10))) == (
        "4.9%",
        "5%",
        "10%",
    )


# The rule at and around its thresholds: 100 kg is the highest, so kilograms lost are percentages.


@pytest.mark.parametrize(
    ("latest", "flags", "notes"),
    [
        ("95.01", [], []),  # 4.99%
        ("95.00", [], ["weight_loss"]),  # 5.00%
        ("90.01", [], ["weight_loss"]),  # 9.99%
        ("90.00", [("weight_loss", Level.VET)], []),  # 10.00%: the flag, and no note beside it
    ],
)
def test_it_gives_a_note_from_5_and_a_vet_flag_from_10_percent(latest: str, flags, notes) -> None:
    assert (WEIGHT_LOSS_NOTE_PCT, WEIGHT_LOSS_VET_PCT) == (5, 10)
    assert codes(facts_with(change_of((20, "100.00"), (0, latest)))) == (flags, notes)


def test_it_counts_a_weighing_90_days_before_the_latest() -> None:
    assert codes(facts_with(change_of((90, "40"), (0, "36")))) == ([("weight_loss", Level.VET)], [])


def test_it_leaves_out_a_weighing_91_days_before_the_latest() -> None:
    assert codes(facts_with(change_of((91, "40"), (0, "36")))) == ([], [])


def test_it_gives_nothing_without_weighings() -> None:
    assert codes(facts_with(None)) == ([], [])


def test_it_reads_only_a_weighing_of_the_period() -> None:
    before_the_period = [(dt.date(2025, 1, 10), kg("40")), (dt.date(2025, 2, 10), kg("36"))]
    assert period_weight_change(before_the_period, PERIOD.start, PERIOD.end) is None


def test_it_says_the_loss_in_evidence_for_owner_and_vet_alike() -> None:
    flags = evaluate(facts_with(change_of((30, "40.0"), (0, "36.0"))))
    assert flags[0].evidence == (
        "Weighed 36 kg on 31 March 2025: 4 kg (10% of body weight) less than 40 kg on 1 March 2025, "
        "the highest of the 90 days before."
    )
    assert "you" not in flags[0].advice_for_vet.lower()


# The report, from the database.


def test_it_flags_the_loss_in_the_report_and_its_verdict(dog: Dog) -> None:
    make_weight(dog, dt.date(2025, 1, 15), "40")
    make_weight(dog, dt.date(2025, 3, 20), "36")
    built = load_report(dog, PERIOD, TODAY, LONDON)
    data = built.as_json()
    assert [flag["code"] for flag in data["flags"]] == ["weight_loss"]
    assert data["verdict"]["level"] == "vet"
    assert data["weights"] == [{"measured_on": "2025-03-20", "weight_kg": 36.0}]


def test_it_notes_a_smaller_loss_in_the_report_and_its_verdict(dog: Dog) -> None:
    make_weight(dog, dt.date(2025, 2, 1), "20")
    make_weight(dog, dt.date(2025, 3, 25), "18.8")  # 6%
    data = load_report(dog, PERIOD, TODAY, LONDON).as_json()
    assert (data["flags"], [note["code"] for note in data["notes"]]) == ([], ["weight_loss"])
    assert data["verdict"]["text"].startswith("Weight down 6% in 90 days: weigh again in two weeks")


def test_it_speaks_of_the_family_on_the_vets_copy(dog: Dog) -> None:
    make_weight(dog, dt.date(2025, 2, 1), "20")
    make_weight(dog, dt.date(2025, 3, 25), "18.8")
    built = load_report(dog, PERIOD, TODAY, LONDON)
    shared = built.as_json(shared=True)
    assert "your vet" not in shared["notes"][0]["advice"]
    assert "your vet" not in verdict_of(built, shared=True).text
    assert "your vet" in built.as_json()["notes"][0]["advice"]


def test_it_brings_a_handled_loss_back_with_a_later_weighing(dog: Dog) -> None:
    make_weight(dog, dt.date(2025, 1, 15), "40")
    make_weight(dog, dt.date(2025, 3, 10), "36")
    FlagAcknowledgement.objects.create(
        dog=dog, code="weight_loss", on=dt.date(2025, 3, 11), created_at=utc(2025, 3, 11, 9)
    )
    assert load_report(dog, PERIOD, TODAY, LONDON).flags[0].acknowledged is not None
    make_weight(dog, dt.date(2025, 3, 25), "35.5")
    assert load_report(dog, PERIOD, TODAY, LONDON).flags[0].acknowledged is None


# The pages, in zones east and west of UTC: the period's days are the owner's.


def at(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def client_of(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def test_it_counts_a_weighing_of_today_east_of_utc(db, monkeypatch) -> None:
    # 13:00 UTC on 14 June is 01:00 on 15 June in Auckland: the 15th is today there.
    at(monkeypatch, utc(2026, 6, 14, 13))
    owner = make_owner("kiri", time_zone="Pacific/Auckland")
    dog = make_dog(owner, "Kauri", created_at=utc(2026, 1, 1))
    make_weight(dog, dt.date(2026, 3, 17), "40")  # 90 days before 15 June
    make_weight(dog, dt.date(2026, 6, 15), "36")
    data = client_of(owner).get(f"/dogs/{dog.pk}/report.json").json()
    assert [flag["code"] for flag in data["flags"]] == ["weight_loss"]


def test_it_counts_a_weighing_of_the_periods_first_day_west_of_utc(db, monkeypatch) -> None:
    # 05:00 UTC on 15 June is 22:00 on 14 June in Los Angeles: the 30 days began on 16 May there.
    at(monkeypatch, utc(2026, 6, 15, 5))
    owner = make_owner("lee", time_zone="America/Los_Angeles")
    dog = make_dog(owner, "Sierra", created_at=utc(2026, 1, 1))
    make_weight(dog, dt.date(2026, 2, 15), "40")  # 90 days before 16 May
    make_weight(dog, dt.date(2026, 5, 16), "36")
    data = client_of(owner).get(f"/dogs/{dog.pk}/report.json").json()
    assert data["period"]["start"] == "2026-05-16"
    assert [flag["code"] for flag in data["flags"]] == ["weight_loss"]


def test_it_shows_the_flag_on_the_dog_page_and_the_home_card(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=60), "40")
    make_weight(dog, today, "36")
    for url in (dog.get_absolute_url(), "/"):
        response = owner_client.get(url)
        assert [element.get("data-flag") for element in select(response, "[data-flag]")] == ["weight_loss"]


def test_it_says_the_weight_loss_card_rests_on_a_weighing_of_the_period(
    owner_client: Client, dog: Dog
) -> None:
    """Its evidence reaches back 90 days: the card says the weighing, not the loss, is of the 30 days."""
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=80), "40")
    make_weight(dog, today, "35")
    card = select_one(owner_client.get(dog.get_absolute_url()), '[data-flag="weight_loss"]')
    assert "weighed in the last 30 days" in card.text and "from the last 30 days" not in card.text


def test_it_names_a_weight_loss_behind_a_more_serious_flag(owner_client: Client, dog: Dog) -> None:
    """A loss of a tenth comes second to itchy leans (both see the vet), yet both pages name it."""
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=60), "40")
    make_weight(dog, today, "32")
    for days in (1, 3):
        make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=days), signs=["scooting"])
    page = owner_client.get(dog.get_absolute_url())
    assert [card.get("data-flag") for card in select(page, "[data-flag]")] == ["itch_check", "weight_loss"]
    home = owner_client.get("/")
    assert [box.get("data-flag") for box in select(home, "[data-flag]")] == ["itch_check"]
    assert [box.get("data-also-flag") for box in select(home, "[data-also-flag]")] == ["weight_loss"]


def test_it_shows_on_the_dog_page_the_change_the_rule_reads(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=80), "38")
    make_weight(dog, today - dt.timedelta(days=40), "40")
    make_weight(dog, today, "36")
    response = owner_client.get(dog.get_absolute_url())
    since = (today - dt.timedelta(days=40)).strftime("%-d %B %Y")
    assert select_one(response, "#weight-change").text == (
        f"Down 4 kg (10%) from 40 kg on {since}, the highest of the 90 days before."
    )


def test_it_shows_the_note_on_the_report_page_and_the_vets_copy(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=60), "20")
    make_weight(dog, today, "18.8")
    _, token = make_share(dog)
    mine = owner_client.get(f"/dogs/{dog.pk}/report/")
    theirs = Client().get(f"/share/{token}/")
    for response, words in ((mine, "tell your vet"), (theirs, "calls for a check")):
        note = select_one(response, '[data-note="weight_loss"]')
        assert note is not None and words in note.text


def test_it_links_the_flag_to_the_weighings_not_to_an_empty_list_of_leans(
    owner_client: Client, dog: Dog
) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=60), "40")
    make_weight(dog, today, "36")
    response = owner_client.get(f"/dogs/{dog.pk}/report/")
    links = select(response, '[data-flag="weight_loss"] a')
    assert [(link.get("href"), link.text.strip()) for link in links] == [
        (f"/dogs/{dog.pk}/weights/", "See the weighings")
    ]


def test_it_says_a_new_weighing_brings_a_handled_loss_back(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=60), "40")
    make_weight(dog, today, "36")
    response = owner_client.post(
        f"/dogs/{dog.pk}/flags/weight_loss/ack/", {"note": "vet booked"}, follow=True
    )
    assert "Leanlog will bring it up again if a new weighing shows it." in text(response)


# The weight a page gives for the dog: the latest weighing, else the one typed on the dog's form.


def weight_given(response) -> str:
    """The text under "Weight" in the page's facts about the dog."""
    terms = [term for term in select(response, "dt") if term.text.strip() == "Weight"]
    assert len(terms) == 1
    siblings = [child for child in terms[0].parent.children if not isinstance(child, str)]
    return siblings[siblings.index(terms[0]) + 1].text.strip()


def test_every_page_gives_the_latest_weighing_rather_than_the_typed_weight(
    owner_client: Client, dog: Dog
) -> None:
    Dog.objects.filter(pk=dog.pk).update(weight_kg=Decimal("29.5"))
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=20), "29")
    make_weight(dog, today - dt.timedelta(days=2), "24.3")
    _, token = make_share(dog)
    shown = {
        url: weight_given(owner_client.get(url))
        for url in (dog.get_absolute_url(), f"/dogs/{dog.pk}/report/", f"/share/{token}/")
    }
    day = today - dt.timedelta(days=2)
    assert set(shown.values()) == {f"24.3 kg, weighed {day.day} {day:%b %Y}"}


def test_a_page_gives_the_typed_weight_until_the_first_weighing(owner_client: Client, dog: Dog) -> None:
    Dog.objects.filter(pk=dog.pk).update(weight_kg=Decimal("29.50"))
    before = {
        url: weight_given(owner_client.get(url))
        for url in (dog.get_absolute_url(), f"/dogs/{dog.pk}/report/")
    }
    make_weight(dog, timezone.localdate(), "28")
    after = {url: weight_given(owner_client.get(url)) for url in before}
    assert (set(before.values()), set(after.values())) == (
        {"29.5 kg"},
        {f"28 kg, weighed {timezone.localdate().day} {timezone.localdate():%b %Y}"},
    )


def test_every_page_gives_a_weighing_older_than_the_reports_window(owner_client: Client, dog: Dog) -> None:
    """Weighed five months ago and not since: still the weighing, not the weight typed at the start."""
    Dog.objects.filter(pk=dog.pk).update(weight_kg=Decimal("29.5"))
    day = timezone.localdate() - dt.timedelta(days=150)
    make_weight(dog, day - dt.timedelta(days=30), "26")
    make_weight(dog, day, "24.3")
    _, token = make_share(dog)
    shown = {
        url: weight_given(owner_client.get(url))
        for url in (dog.get_absolute_url(), f"/dogs/{dog.pk}/report/", f"/share/{token}/")
    }
    assert set(shown.values()) == {f"24.3 kg, weighed {day.day} {day:%b %Y}"}
