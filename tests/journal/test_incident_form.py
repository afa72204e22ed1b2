"""The lean form, field by field: bad input saves nothing, says why beside the field, keeps the rest."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import Incident
from tests.helpers import a_lean, checked, field_error, make_dog, make_incident, parse, select, utc, value_of

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


def error_of(response, name: str) -> str:
    """The text of the error shown beside a field (crispy's and ours share this id)."""
    html = response.content.decode()
    start = html.index(f'id="id_{name}_error"')
    return html[start : html.index("</div>", start)]


def new_url(dog) -> str:
    return reverse("journal:incident-create", args=[dog.pk])


# --- A new lean: defaults ---------------------------------------------------------------


def test_it_defaults_a_new_lean_to_now_in_the_owners_zone(owner_client, dog):
    before = timezone.now().astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.get(new_url(dog))
    after = timezone.now().astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
    assert value_of(response, "occurred_at") in {before, after}


def test_it_offers_a_datetime_local_input(owner_client, dog):
    response = owner_client.get(new_url(dog))
    field = next(i for i in parse(response).inputs if i.get("name") == "occurred_at")
    assert field["type"] == "datetime-local"


@pytest.mark.parametrize("name", ["intensity", "duration", "posture", "location"])
def test_it_preselects_not_noted_for_every_choice(owner_client, dog, name):
    response = owner_client.get(new_url(dog))
    assert checked(response, name) == [""]


def test_it_preselects_no_optional_answer(owner_client, dog):
    response = owner_client.get(new_url(dog))
    assert checked(response, "owner_activity") == [""]
    assert checked(response, "signs") == []


def test_it_groups_the_signs_in_one_fieldset_per_group(owner_client, dog):
    response = owner_client.get(new_url(dog))
    html = response.content.decode()
    for legend in ("Anxious", "Physical", "Asking for attention", "Itchy", "Relaxed"):
        assert f"</span>{legend}</legend>" in html


def test_it_saves_a_lean_with_its_time_alone_as_not_noted(owner_client, dog):
    owner_client.post(new_url(dog), a_lean())
    incident = Incident.objects.get()
    assert (incident.dog, incident.intensity, incident.duration, incident.posture, incident.location) == (
        dog,
        None,
        "",
        "",
        "",
    )
    assert (incident.owner_activity, incident.signs, incident.triggers, incident.notes) == ("", [], [], "")


def test_it_stores_fields_left_out_as_not_noted(owner_client, dog):
    owner_client.post(new_url(dog), {"occurred_at": "2026-03-01T08:15"})
    incident = Incident.objects.get()
    assert (incident.intensity, incident.duration, incident.posture, incident.location) == (None, "", "", "")


def test_it_refuses_a_lean_without_a_time(owner_client, dog):
    response = owner_client.post(new_url(dog), a_lean(occurred_at=""))
    assert field_error(response, "occurred_at") == "Enter when the dog leaned on you."
    assert not Incident.objects.exists()


def test_it_clears_a_noted_choice_back_to_not_noted(owner_client, dog):
    incident = make_incident(dog, intensity=4, location="walk")
    owner_client.post(reverse("journal:incident-edit", args=[dog.pk, incident.pk]), a_lean())
    incident.refresh_from_db()
    assert (incident.intensity, incident.location) == (None, "")


def test_it_offers_same_as_last_time_once_there_is_a_lean(owner_client, dog):
    make_incident(dog, location="walk")
    response = owner_client.get(new_url(dog))
    assert f'href="{new_url(dog)}?same=1"' in response.content.decode()


def test_it_copies_the_last_leans_context_but_not_what_was_seen_its_time_or_notes(owner_client, dog):
    make_incident(dog, utc(2026, 2, 1, 9), intensity=2, location="walk", signs=["relaxed"], notes="Old.")
    make_incident(
        dog,
        utc(2026, 2, 2, 9),
        intensity=4,
        duration="long",
        location="dog_park",
        owner_activity="busy",
        triggers=["other_dogs"],
        signs=["shaky_legs"],
        owner_response="petted",
        outcome="knocked_over",
        notes="Last.",
    )
    response = owner_client.get(f"{new_url(dog)}?same=1")
    copied = {name: checked(response, name) for name in ("location", "owner_activity", "triggers")}
    assert copied == {"location": ["dog_park"], "owner_activity": ["busy"], "triggers": ["other_dogs"]}
    # What was seen of that lean and how it went are this lean's to note: left "not noted".
    for name in ("intensity", "duration", "owner_response", "outcome"):
        assert checked(response, name) in ([], [""]), name
    assert checked(response, "signs") == []
    assert value_of(response, "occurred_at") != "2026-02-02T09:00"
    assert "Last." not in response.content.decode()


def test_it_reads_the_time_in_the_owners_zone(owner_client, dog):
    owner_client.post(new_url(dog), a_lean(occurred_at="2026-07-01T08:15"))
    assert Incident.objects.get().occurred_at == dt.datetime(2026, 7, 1, 7, 15, tzinfo=UTC)


def test_it_saves_every_field_posted_as_codes(owner_client, dog):
    owner_client.post(
        new_url(dog),
        a_lean(
            intensity="5",
            duration="long",
            posture="side",
            location="dog_park",
            owner_activity="busy",
            triggers=["other_dogs", "children"],
            signs=["trembling", "panting"],
            owner_response="petted",
            outcome="knocked_over",
            notes="Went for the biscuit tin.",
        ),
    )
    incident = Incident.objects.get()
    assert (
        incident.intensity,
        incident.duration,
        incident.posture,
        incident.location,
        incident.owner_activity,
        incident.triggers,
        incident.signs,
        incident.owner_response,
        incident.outcome,
        incident.notes,
    ) == (
        5,
        "long",
        "side",
        "dog_park",
        "busy",
        ["children", "other_dogs"],
        ["panting", "trembling"],
        "petted",
        "knocked_over",
        "Went for the biscuit tin.",
    )


# --- Bad input: nothing saved, a message beside the field -------------------------------


def test_it_refuses_a_time_more_than_five_minutes_ahead(owner_client, dog):
    ahead = (timezone.now() + dt.timedelta(minutes=7)).astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(new_url(dog), a_lean(occurred_at=ahead))
    assert response.status_code == 200
    assert not Incident.objects.exists()
    assert "in the future" in error_of(response, "occurred_at")


def test_it_accepts_a_time_a_few_minutes_ahead_of_a_slow_clock(owner_client, dog):
    ahead = (timezone.now() + dt.timedelta(minutes=3)).astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
    owner_client.post(new_url(dog), a_lean(occurred_at=ahead))
    assert Incident.objects.count() == 1


def test_it_requires_a_time(owner_client, dog):
    response = owner_client.post(new_url(dog), a_lean(occurred_at=""))
    assert not Incident.objects.exists()
    assert "Enter when the dog leaned on you." in error_of(response, "occurred_at")


def test_it_refuses_a_time_it_cannot_read(owner_client, dog):
    response = owner_client.post(new_url(dog), a_lean(occurred_at="yesterday-ish"))
    assert not Incident.objects.exists()
    assert "Enter a date and time like 2026-03-01T08:15." in error_of(response, "occurred_at")


def test_it_refuses_a_date_before_1990(owner_client, dog):
    response = owner_client.post(new_url(dog), a_lean(occurred_at="0001-01-01T00:00"))
    assert not Incident.objects.exists()
    assert "That is before 1990; enter the date of the lean." in error_of(response, "occurred_at")


def test_it_refuses_the_last_minute_of_the_calendar_without_crashing(stranger, stranger_client):
    # New York is behind UTC, so this minute has no UTC equivalent that Python can hold.
    dog = make_dog(stranger, "Rex")
    response = stranger_client.post(new_url(dog), a_lean(occurred_at="9999-12-31T23:59"))
    assert not Incident.objects.exists()
    assert "in the future" in error_of(response, "occurred_at")


def test_it_explains_a_time_the_clocks_skipped(owner_client, dog):
    # 29 March 2026: London's clocks jump from 01:00 to 02:00.
    response = owner_client.post(new_url(dog), a_lean(occurred_at="2026-03-29T01:30"))
    assert not Incident.objects.exists()
    message = error_of(response, "occurred_at")
    assert "29 March 2026, 01:30 did not happen in Europe/London" in message
    assert "clocks jumped forward" in message


def test_it_reads_a_time_the_clocks_repeat_as_its_first_pass(owner_client, dog):
    # 25 October 2026: London lives 01:00-02:00 twice; the first pass is still summer time.
    owner_client.post(new_url(dog), a_lean(occurred_at="2026-10-25T01:30"))
    assert Incident.objects.get().occurred_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("value", ["0", "6", "abc"])
def test_it_refuses_an_intensity_outside_1_to_5(owner_client, dog, value):
    response = owner_client.post(new_url(dog), a_lean(intensity=value))
    assert not Incident.objects.exists()
    assert f"“{value}” is not on the scale. Choose an intensity from 1 to 5." in error_of(
        response, "intensity"
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("duration", "forever", "“forever” is not a duration Leanlog knows."),
        ("posture", "upside_down", "“upside_down” is not a posture Leanlog knows."),
        ("location", "moon", "“moon” is not a place Leanlog knows."),
        ("owner_activity", "juggling", "“juggling” is not an activity Leanlog knows."),
        ("owner_response", "shouted", "“shouted” is not a response Leanlog knows."),
        ("outcome", "vanished", "“vanished” is not an outcome Leanlog knows."),
        ("signs", ["trembling", "glowing"], "“glowing” is not a sign Leanlog knows."),
        ("triggers", ["meteor"], "“meteor” is not a trigger Leanlog knows."),
    ],
)
def test_it_refuses_an_unknown_code_and_names_it(owner_client, dog, name, value, message):
    response = owner_client.post(new_url(dog), a_lean(**{name: value}))
    assert not Incident.objects.exists()
    assert message in error_of(response, name)


def test_it_refuses_notes_over_2000_characters(owner_client, dog):
    response = owner_client.post(new_url(dog), a_lean(notes="a" * 2001))
    assert not Incident.objects.exists()
    assert "Notes can hold up to 2,000 characters; these have 2001." in error_of(response, "notes")


def test_it_accepts_notes_of_exactly_2000_characters(owner_client, dog):
    owner_client.post(new_url(dog), a_lean(notes="a" * 2000))
    assert len(Incident.objects.get().notes) == 2000


def test_it_says_at_the_top_that_nothing_was_saved(owner_client, dog):
    response = owner_client.post(new_url(dog), a_lean(intensity="9"))
    assert "Nothing was saved yet." in response.content.decode()


def test_it_keeps_everything_typed_when_a_field_is_wrong(owner_client, dog):
    response = owner_client.post(
        new_url(dog),
        a_lean(
            occurred_at="2026-02-03T19:45",
            intensity="9",
            duration="long",
            location="walk",
            owner_activity="preparing_to_leave",
            signs=["trembling", "pacing"],
            triggers=["loud_noise"],
            outcome="settled",
            notes="Bin lorry outside.",
        ),
    )
    page = parse(response)
    assert value_of(response, "occurred_at") == "2026-02-03T19:45"
    assert checked(response, "duration") == ["long"]
    assert checked(response, "location") == ["walk"]
    assert checked(response, "owner_activity") == ["preparing_to_leave"]
    assert checked(response, "signs") == ["trembling", "pacing"]
    assert checked(response, "triggers") == ["loud_noise"]
    assert checked(response, "outcome") == ["settled"]
    assert page.textareas["notes"].strip() == "Bin lorry outside."


# --- "More details" ----------------------------------------------------------------------


def test_it_folds_more_details_away_for_a_plain_lean(owner_client, dog):
    response = owner_client.get(new_url(dog))
    assert 'class="collapse" id="more-details"' in response.content.decode()


def test_it_opens_more_details_when_one_of_them_has_an_error(owner_client, dog):
    response = owner_client.post(new_url(dog), a_lean(notes="a" * 2001))
    assert 'class="collapse show" id="more-details"' in response.content.decode()


def test_it_opens_more_details_when_editing_a_lean_that_uses_them(owner_client, dog):
    incident = make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC), notes="Rain.")
    response = owner_client.get(reverse("journal:incident-edit", args=[dog.pk, incident.pk]))
    assert 'class="collapse show" id="more-details"' in response.content.decode()


# --- Editing -----------------------------------------------------------------------------


def test_it_shows_the_stored_time_in_the_owners_zone_when_editing(owner_client, dog):
    incident = make_incident(dog, dt.datetime(2026, 7, 1, 7, 15, tzinfo=UTC))
    response = owner_client.get(reverse("journal:incident-edit", args=[dog.pk, incident.pk]))
    assert value_of(response, "occurred_at") == "2026-07-01T08:15"


def test_it_keeps_the_seconds_when_an_edit_leaves_the_time_alone(owner_client, dog):
    stored = dt.datetime(2026, 7, 1, 7, 15, 42, 123456, tzinfo=UTC)
    incident = make_incident(dog, stored)
    owner_client.post(
        reverse("journal:incident-edit", args=[dog.pk, incident.pk]),
        a_lean(occurred_at="2026-07-01T08:15", intensity="4"),
    )
    incident.refresh_from_db()
    assert (incident.occurred_at, incident.intensity) == (stored, 4)


def test_it_keeps_the_second_pass_of_a_repeated_hour_when_an_edit_leaves_the_time_alone(owner_client, dog):
    # London's clocks went back on 26 October 2025: 01:30 came twice; this is the second (GMT).
    stored = dt.datetime(2025, 10, 26, 1, 30, tzinfo=UTC)
    incident = make_incident(dog, stored)
    owner_client.post(
        reverse("journal:incident-edit", args=[dog.pk, incident.pk]),
        a_lean(occurred_at="2025-10-26T01:30", intensity="4"),
    )
    incident.refresh_from_db()
    assert (incident.occurred_at, incident.intensity) == (stored, 4)


def test_it_saves_a_changed_time_when_editing(owner_client, dog):
    incident = make_incident(dog, dt.datetime(2026, 7, 1, 7, 15, 42, tzinfo=UTC))
    owner_client.post(
        reverse("journal:incident-edit", args=[dog.pk, incident.pk]), a_lean(occurred_at="2026-07-01T09:00")
    )
    incident.refresh_from_db()
    assert incident.occurred_at == dt.datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def test_it_changes_nothing_when_an_edit_is_invalid(owner_client, dog):
    incident = make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC), intensity=2, notes="Before.")
    response = owner_client.post(
        reverse("journal:incident-edit", args=[dog.pk, incident.pk]), a_lean(intensity="8", notes="After.")
    )
    incident.refresh_from_db()
    assert response.status_code == 200
    assert (incident.intensity, incident.notes) == (2, "Before.")


def test_it_marks_every_question_but_when_as_optional(owner_client, dog):
    """Only the time is needed: each other question of the form says it may be left out."""
    response = owner_client.get(f"/dogs/{dog.pk}/incidents/new/")
    legends = {
        " ".join(legend.text.split()): bool(legend.select(".ll-optional"))
        for legend in select(response, "legend.ll-legend")
    }
    assert legends and all(legends.values()), [text for text, optional in legends.items() if not optional]
