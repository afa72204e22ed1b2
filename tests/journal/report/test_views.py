"""The report page and report.json: access, the period picker, the numbers and the query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog
from journal.report import charts
from tests.helpers import (
    earlier_today,
    journal_in_db,
    make_dog,
    make_incident,
    page,
    select,
    select_one,
    text,
    utc,
)

# The hand-counted journal of test_report.py lies in this fixed period.
MARCH = {"start": "2025-03-02", "end": "2025-03-31"}


def page_url(dog: Dog) -> str:
    return reverse("journal:report", args=[dog.pk])


def json_url(dog: Dog) -> str:
    return reverse("journal:report-json", args=[dog.pk])


def period_errors(response) -> str:
    errors = select_one(response, "div.alert#period-errors")
    return errors.text if errors else ""


@pytest.fixture
def march_dog(owner) -> Dog:
    dog = make_dog(owner, "Biscuit", created_at=utc(2025, 1, 1, 12))
    journal_in_db(dog)
    return dog


# Access


def test_it_shows_the_owner_the_report(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(page_url(dog))
    assert response.status_code == 200 and "Biscuit’s leaning report" in text(response)


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, dog: Dog) -> None:
    response = client.get(page_url(dog))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page_url(dog)}"


def test_it_hides_the_report_from_a_stranger(stranger_client: Client, dog: Dog) -> None:
    assert stranger_client.get(page_url(dog)).status_code == 404


def test_it_answers_404_for_a_dog_that_does_not_exist(owner_client: Client, db) -> None:
    assert owner_client.get(reverse("journal:report", args=[999999])).status_code == 404


def test_it_refuses_to_post_to_the_report(owner_client: Client, dog: Dog) -> None:
    assert owner_client.post(page_url(dog)).status_code == 405


def test_it_gives_the_owner_the_json(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(json_url(dog))
    assert response.status_code == 200 and response.json()["dog"]["name"] == "Biscuit"


def test_it_sends_anonymous_json_requests_to_sign_in(client: Client, dog: Dog) -> None:
    response = client.get(json_url(dog))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_hides_the_json_from_a_stranger(stranger_client: Client, dog: Dog) -> None:
    assert stranger_client.get(json_url(dog)).status_code == 404


def test_it_refuses_to_post_to_the_json(owner_client: Client, dog: Dog) -> None:
    assert owner_client.post(json_url(dog)).status_code == 405


# report.json


def test_it_covers_the_last_30_days_by_default(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate(timezone=dog.owner.zone())
    period = owner_client.get(json_url(dog)).json()["period"]
    assert period == {
        "start": (today - dt.timedelta(days=29)).isoformat(),
        "end": today.isoformat(),
        "days": 30,
    }


def test_it_covers_a_chosen_number_of_days(owner_client: Client, dog: Dog) -> None:
    assert owner_client.get(json_url(dog), {"days": "7"}).json()["period"]["days"] == 7


def test_it_writes_the_hand_counted_numbers_into_the_json(owner_client: Client, march_dog: Dog) -> None:
    data = owner_client.get(json_url(march_dog), MARCH).json()
    assert (data["incidents"], data["rate_per_week"], data["previous_incidents"], data["by_weekday"]) == (
        6,
        1.4,
        2,
        [1, 0, 3, 1, 0, 0, 1],
    )


def test_it_writes_every_contract_key_into_the_json(owner_client: Client, march_dog: Dog) -> None:
    data = owner_client.get(json_url(march_dog), MARCH).json()
    assert set(data) == {
        "dog",
        "period",
        "incidents",
        "rate_per_week",
        "previous_incidents",
        "signs",
        "locations",
        "triggers",
        "owner_activities",
        "owner_responses",
        "by_hour",
        "by_weekday",
        "weekly",
        "flags",
        "too_early",
        "observed_days",
        "not_noted",
        "notes",
        "verdict",
        "events",
        "weights",
    }


def test_it_writes_flags_with_their_leans_into_the_json(owner_client: Client, march_dog: Dog) -> None:
    (flag,) = owner_client.get(json_url(march_dog), MARCH).json()["flags"]
    in_march = march_dog.incidents.filter(
        occurred_at__gte=utc(2025, 3, 2), occurred_at__lt=utc(2025, 3, 31, 23)
    )
    assert (flag["code"], sorted(flag["incident_ids"])) == (
        "frequency_rise",
        sorted(in_march.values_list("pk", flat=True)),
    )


def test_it_answers_400_with_the_reason_for_a_bad_period(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(json_url(dog), {"start": "2025-03-10", "end": "2025-03-01"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"start": ["The start date is after the end date."]}}


# The page: same numbers as the JSON


def test_it_shows_the_same_numbers_as_the_json(owner_client: Client, march_dog: Dog) -> None:
    page = text(owner_client.get(page_url(march_dog), MARCH))
    assert "Leans 6 in 30 days" in page and "Per week 1.4 on average" in page and "3.0 of 5" in page


def test_it_shows_the_change_against_the_previous_period(owner_client: Client, march_dog: Dog) -> None:
    page = text(owner_client.get(page_url(march_dog), MARCH))
    assert "Up +4 2 → 6 leans (+200%)" in page


def test_it_calls_a_one_lean_change_about_the_same(owner_client: Client, dog: Dog) -> None:
    old = make_dog(dog.owner, name="Old", created_at=timezone.now() - dt.timedelta(days=90))
    now = timezone.now()

    def leans(*days_ago: int) -> None:
        for days in days_ago:
            make_incident(old, now - dt.timedelta(days=days, hours=1))

    leans(2, 5, 9, 33, 36)
    # One lean more is no news, whatever the share.
    assert "2 → 3 leans (+50%): about the same" in text(owner_client.get(page_url(old)))
    leans(*range(41, 51))
    response = owner_client.get(page_url(old))
    assert "12 → 3 leans (−75%)" in text(response)
    assert "about the same" not in text(response)
    assert 'class="ll-stat-number ll-change-down"' in response.content.decode()
    leans(*range(12, 22))
    response = owner_client.get(page_url(old))
    assert "12 → 13 leans (+8%): about the same" in text(response)
    assert 'class="ll-stat-number ll-change-same"' in response.content.decode()


def test_it_shows_the_flag_with_its_evidence(owner_client: Client, march_dog: Dog) -> None:
    page = text(owner_client.get(page_url(march_dog), MARCH))
    assert "6 leans in these 30 days against 2 in the 30 days before (3.0 times as many)." in page


def test_it_links_a_flag_to_exactly_its_leans(owner_client: Client, march_dog: Dog) -> None:
    response = owner_client.get(page_url(march_dog), MARCH)
    ids = response.context["report"].flags[0].incident_ids
    link = f"{reverse('journal:incident-list', args=[march_dog.pk])}?ids={'%2C'.join(map(str, ids))}"
    assert f'href="{link}"' in response.content.decode()


def test_it_links_many_leans_through_the_journal_filters(owner_client: Client, dog: Dog) -> None:
    now = timezone.now()
    for hours in range(101):
        make_incident(dog, now - dt.timedelta(hours=hours + 1), signs=["scooting"])
    response = owner_client.get(page_url(dog))
    period = response.context["report"].period
    link = (
        f"{reverse('journal:incident-list', args=[dog.pk])}"
        f"?start={period.start.isoformat()}&amp;end={period.end.isoformat()}&amp;group=itch"
    )
    assert f'href="{link}"' in response.content.decode()


def test_it_shares_out_what_the_leaning_seems_to_be_about(owner_client: Client, march_dog: Dog) -> None:
    page = text(owner_client.get(page_url(march_dog), MARCH))
    assert "Anxiety 50% (3 of 6)" in page and "Looking for safety 33% (2 of 6)" in page


def test_it_says_one_lean_is_too_little_to_rule_anything_out(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=2), signs=["relaxed"])
    page = text(owner_client.get(page_url(dog)))
    assert "None of the patterns Leanlog looks for showed up in this one lean." in page
    assert "too little to rule anything out" in page


def test_it_invites_logging_when_the_period_is_empty(owner_client: Client, dog: Dog) -> None:
    assert "No leans in this period" in text(owner_client.get(page_url(dog)))


def test_it_marks_the_chosen_preset(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(page_url(dog), {"days": "90"})
    assert [link.get("href") for link in select(response, "a[aria-current=true]")] == ["?days=90"]


def test_it_marks_the_dates_button_when_the_page_shows_dates_of_its_own(
    owner_client: Client, dog: Dog
) -> None:
    custom = owner_client.get(page_url(dog), {"start": "2026-01-01", "end": "2026-01-20"})
    assert [element.tag for element in select(custom, "[aria-current=true]") if element.tag != "li"] == [
        "summary"
    ]
    assert select(owner_client.get(page_url(dog), {"days": "30"}), "summary[aria-current=true]") == []


def test_it_draws_a_column_for_each_week_on_the_server(owner_client: Client, march_dog: Dog) -> None:
    response = owner_client.get(page_url(march_dog), MARCH)
    heights = [float(rect.get("height")) for rect in select(response, "svg.ll-weekly-plot rect.ll-column")]
    # Six weeks of 1, 2, 1, 1, 0, 1 leans on an axis that tops out at 2.
    assert heights == [50, 100, 50, 50, 0, 50]


def test_it_has_no_inline_scripts_or_styles(owner_client: Client, march_dog: Dog) -> None:
    elements = page(owner_client.get(page_url(march_dog), MARCH)).elements()
    inline_scripts = [
        element
        for element in elements
        if element.tag == "script"
        and "src" not in element.attrs
        and element.get("type") != "application/json"
    ]
    styles = [element for element in elements if "style" in element.attrs]
    handlers = [(element, name) for element in elements for name in element.attrs if name.startswith("on")]
    assert (inline_scripts, styles, handlers) == ([], [], [])


# The period picker: bad values get a message next to it and the default period


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"days": "12"}, "Choose 7, 30, 90 or 365 days."),
        ({"days": "lots"}, "Choose 7, 30, 90 or 365 days."),
        ({"start": "2025-03-10", "end": "2025-03-01"}, "The start date is after the end date."),
        ({"start": "2025-03-10"}, "Pick an end date too."),
        ({"end": "2025-03-10"}, "Pick a start date too."),
        ({"start": "10/03/2025", "end": "2025-03-20"}, "Enter a real date as YYYY-MM-DD."),
        ({"start": "2025-02-30", "end": "2025-03-20"}, "Enter a real date as YYYY-MM-DD."),
        ({"start": "2015-01-01", "end": "2025-01-01"}, "Pick a period of at most five years."),
        ({"start": "1970-01-01", "end": "1970-01-05"}, "Pick a start date in 1990 or later."),
        (
            {"start": "2025-01-01", "end": "2999-01-01"},
            "The end date is in the future. Pick today or earlier.",
        ),
    ],
)
def test_it_explains_a_bad_period_next_to_the_picker(owner_client: Client, dog: Dog, query, message) -> None:
    response = owner_client.get(page_url(dog), query)
    assert response.status_code == 200 and message in period_errors(response)


def test_it_falls_back_to_the_last_30_days_on_a_bad_period(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(page_url(dog), {"start": "2025-03-10", "end": "2025-03-01"})
    assert response.context["report"].period.days == 30


def test_it_shows_a_custom_period(owner_client: Client, march_dog: Dog) -> None:
    assert "2 Mar 2025 to 31 Mar 2025 · 30 days" in text(owner_client.get(page_url(march_dog), MARCH))


def test_it_accepts_a_period_of_exactly_five_years(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(page_url(dog), {"start": "2020-01-01", "end": "2025-01-01"})
    assert (period_errors(response), response.context["report"].period.days) == ("", 1828)


# Query counts: constant, whatever the size of the journal


def _fill(dog: Dog, count: int) -> None:
    now = timezone.now()
    for i in range(count):
        make_incident(dog, now - dt.timedelta(hours=3 * i + 1), signs=["trembling"] if i % 2 else ["relaxed"])


@pytest.mark.parametrize("leans", [3, 60])
def test_it_builds_the_page_in_a_constant_number_of_queries(
    owner_client: Client, dog: Dog, django_assert_max_num_queries, leans: int
) -> None:
    _fill(dog, leans)
    # 1. session, 2. owner, 3. the dog (scoped to the owner), 4. its journal's stamp (the
    # cache key), 5. the month stamps, 6. the kept months, 7. the leans around them,
    # 8. the previous period's count, 9. the first lean, 10. the check-in days, 11. the flags'
    # acknowledgements, 12. the weighings, 13. the events, 14. the leans behind the flags
    # (listed on paper); and the first time only, 15-17. keeping the months counted anew
    # (a savepoint, one insert, its release).
    with django_assert_max_num_queries(17):
        owner_client.get(page_url(dog), {"days": "365"})


@pytest.mark.parametrize("leans", [3, 60])
def test_it_builds_the_json_in_a_constant_number_of_queries(
    owner_client: Client, dog: Dog, django_assert_max_num_queries, leans: int
) -> None:
    _fill(dog, leans)
    # 1. session, 2. owner, 3. the dog, 4. its journal's stamp, 5. the month stamps, 6. the
    # kept months, 7. the leans around them, 8. previous count, 9. first lean, 10. check-in
    # days, 11. acknowledgements, 12. the weighings, 13. the events; the first time only,
    # 14-16. keeping the months anew.
    with django_assert_max_num_queries(16):
        owner_client.get(json_url(dog), {"days": "365"})


def test_it_lists_the_leans_behind_the_flags_for_paper(owner_client: Client, dog: Dog) -> None:
    _fill(dog, 12)
    response = owner_client.get(page_url(dog), {"days": "365"})
    listing = select_one(response, "section.ll-print-only.ll-flagged-leans")
    assert len(listing.select("tr")) > 1
    assert "Trembling" in listing.text


def test_the_paper_list_writes_each_leans_cells_escaped_with_its_notes_after_its_signs(
    owner_client: Client, dog: Dog
) -> None:
    _fill(dog, 12)
    now = timezone.now()
    make_incident(dog, now - dt.timedelta(minutes=5), signs=["trembling"], notes="<b>Shook</b> at the bang")
    make_incident(dog, now - dt.timedelta(minutes=3), signs=[], notes="Fireworks & thunder")
    response = owner_client.get(page_url(dog), {"days": "365"})
    listing = select_one(response, "section.ll-print-only.ll-flagged-leans")
    html = response.content.decode()
    assert "<b>Shook</b>" not in html
    assert "Trembling. <em>&lt;b&gt;Shook&lt;/b&gt; at the bang</em>" in html
    rows = listing.select("tbody tr")
    assert len(rows) == 7  # the six trembling leans of the fill and the shaking one
    assert all(len(row.select("td")) == 5 for row in rows)
    assert "Fireworks" not in listing.text  # no sign of anxiety: behind no flag


def test_a_new_dogs_summary_says_what_its_numbers_rest_on(owner_client: Client, dog: Dog) -> None:
    # Added today, two leans today: counts only (no rate under a week), and one day was observed.
    make_incident(dog, earlier_today(minutes=30))
    make_incident(dog, earlier_today(minutes=10))
    response = owner_client.get(page_url(dog))
    page = text(response)
    assert "in 30 days, 1 observed day" in page
    assert "2 leans in 1 day: a rate per week needs at least 7 days" in page
    assert select_one(response, "#summary-rate").text.strip() == "–"


def test_a_short_period_of_an_old_journal_is_not_called_a_young_journal(
    owner_client: Client, dog: Dog
) -> None:
    old = make_dog(dog.owner, name="Old", created_at=timezone.now() - dt.timedelta(days=90))
    make_incident(old, timezone.now() - dt.timedelta(days=1))
    today = timezone.localdate()
    query = {"start": (today - dt.timedelta(days=2)).isoformat(), "end": today.isoformat()}
    page = text(owner_client.get(page_url(old), query))
    assert "1 lean in 3 days: a rate per week needs at least 7 days" in page
    assert "the journal spans" not in page


def test_it_calls_the_365_day_period_a_year_on_the_page(owner_client: Client, march_dog: Dog) -> None:
    page = text(owner_client.get(page_url(march_dog), {"days": "365"}))
    assert "Against the year before" in page
    assert "365 days" not in page


def test_it_names_each_week_of_a_month_under_the_weekly_chart(owner_client: Client, dog: Dog) -> None:
    for days in (2, 9, 16):
        make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=days))
    weekly = owner_client.get(f"/dogs/{dog.pk}/report.json").json()["weekly"]

    named = select(owner_client.get(page_url(dog)), ".ll-weekly-dates text")

    assert len(named) == len(weekly) <= charts.MOST_WEEK_TICKS
    assert [text.text for text in named] == [
        f"{day.day} {day:%b}" for day in (dt.date.fromisoformat(week["week_start"]) for week in weekly)
    ]
