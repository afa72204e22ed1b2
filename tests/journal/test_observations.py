"""Check-ins (a day with the dog) and acknowledging a flag, through the pages."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from journal.models import CheckIn, FlagAcknowledgement
from tests.helpers import (
    add_member,
    earlier_today,
    field_error,
    make_dog,
    make_incident,
    make_owner,
    select_one,
    text,
)


def checkin_url(dog) -> str:
    return reverse("journal:checkin-create", args=[dog.pk])


def ack_url(dog, code: str = "knock_over") -> str:
    return reverse("journal:flag-acknowledge", args=[dog.pk, code])


def dog_page(client, dog) -> str:
    return client.get(reverse("dogs:dog-detail", args=[dog.pk])).content.decode()


# Check-ins


def test_it_checks_in_for_today_by_default(owner_client, dog) -> None:
    response = owner_client.post(checkin_url(dog))
    assert response.status_code == 302
    assert list(CheckIn.objects.values_list("dog", "date")) == [(dog.pk, timezone.localdate())]


def test_it_keeps_one_check_in_per_day(owner_client, dog) -> None:
    owner_client.post(checkin_url(dog))
    owner_client.post(checkin_url(dog))
    assert CheckIn.objects.count() == 1


def test_it_checks_in_for_a_past_day(owner_client, owner) -> None:
    dog = make_dog(owner, created_at=timezone.now() - dt.timedelta(days=20))
    day = timezone.localdate() - dt.timedelta(days=3)
    owner_client.post(checkin_url(dog), {"date": day.isoformat()})
    assert CheckIn.objects.get().date == day


def test_it_refuses_a_check_in_in_the_future(owner_client, dog) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = owner_client.post(checkin_url(dog), {"date": tomorrow.isoformat()})
    assert field_error(response, "date") == "That day hasn’t come yet. Pick today or an earlier day."
    assert not CheckIn.objects.exists()


def test_it_refuses_a_check_in_before_the_journal_began(owner_client, owner) -> None:
    dog = make_dog(owner, created_at=timezone.now() - dt.timedelta(days=2))
    day = timezone.localdate() - dt.timedelta(days=10)
    response = owner_client.post(checkin_url(dog), {"date": day.isoformat()})
    assert "journal starts on" in field_error(response, "date")
    assert not CheckIn.objects.exists()


def test_it_takes_a_check_in_on_the_day_of_a_backfilled_first_lean(owner_client, owner) -> None:
    dog = make_dog(owner, created_at=timezone.now() - dt.timedelta(days=2))
    make_incident(dog, timezone.now() - dt.timedelta(days=10))
    day = timezone.localdate() - dt.timedelta(days=10)
    owner_client.post(checkin_url(dog), {"date": day.isoformat()})
    assert CheckIn.objects.get().date == day


def test_it_offers_a_one_tap_check_in_on_the_dog_page(owner_client, dog) -> None:
    page = dog_page(owner_client, dog)
    assert f'action="{checkin_url(dog)}"' in page
    assert "I was with Biscuit today, nothing to log" in page


def test_it_says_so_once_checked_in_today(owner_client, dog) -> None:
    owner_client.post(checkin_url(dog))
    assert "You checked in today" in dog_page(owner_client, dog)


def test_it_offers_exactly_the_days_from_the_journals_start_to_today(owner_client, owner) -> None:
    dog = make_dog(owner, created_at=timezone.now() - dt.timedelta(days=2))
    make_incident(dog, timezone.now() - dt.timedelta(days=5))
    picker = select_one(owner_client.get(reverse("dogs:dog-detail", args=[dog.pk])), "#checkin-date")
    today = timezone.localdate()
    assert (picker.attrs["min"], picker.attrs["max"]) == (
        (today - dt.timedelta(days=5)).isoformat(),
        today.isoformat(),
    )


def test_it_offers_only_today_for_a_dog_added_today(owner_client, dog) -> None:
    response = owner_client.get(checkin_url(dog))
    picker = select_one(response, "input[name=date]")
    assert picker.attrs["min"] == picker.attrs["max"] == timezone.localdate().isoformat()


def test_it_does_not_offer_nothing_to_log_after_a_lean_today(owner_client, dog) -> None:
    make_incident(dog, earlier_today(minutes=5))
    page = dog_page(owner_client, dog)
    assert "nothing to log" not in page
    assert "A lean is logged today" in page


def test_it_names_the_member_who_checked_in(client, owner, dog) -> None:
    sam = make_owner("sam")
    add_member(dog, sam, "carer")
    client.force_login(sam)
    client.post(checkin_url(dog))
    page = dog_page(owner_client_for(client, owner), dog)
    assert "sam checked in today" in page
    assert "You checked in today" not in page


def owner_client_for(client, person):
    client.force_login(person)
    return client


def test_it_counts_a_check_in_as_an_observed_day_in_the_report(owner_client, dog) -> None:
    owner_client.post(checkin_url(dog))
    data = owner_client.get(reverse("journal:report-json", args=[dog.pk])).json()
    assert data["observed_days"] == 1


# Acknowledging a flag


def test_it_acknowledges_a_current_flag_with_a_note(owner_client, dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=3), outcome="knocked_over")
    response = owner_client.post(ack_url(dog), {"note": "Vet saw her on 3 March"})
    assert response.status_code == 302
    ack = FlagAcknowledgement.objects.get()
    assert (ack.dog, ack.code, ack.note, ack.on) == (
        dog,
        "knock_over",
        "Vet saw her on 3 March",
        timezone.localdate(),
    )


def test_it_refuses_to_acknowledge_a_flag_that_is_not_current(owner_client, dog) -> None:
    response = owner_client.post(ack_url(dog, "itch_check"), {"note": ""})
    assert "has no such flag in the last 30 days" in text(response)
    assert not FlagAcknowledgement.objects.exists()


def test_it_refuses_a_note_that_is_too_long(owner_client, dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=3), outcome="knocked_over")
    response = owner_client.post(ack_url(dog), {"note": "x" * 301})
    assert field_error(response, "note") == "Keep the note to 300 characters or fewer (this one has 301)."
    assert not FlagAcknowledgement.objects.exists()


def test_it_quiets_an_acknowledged_flag_on_the_dog_page_and_home_card(owner_client, dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=3), outcome="knocked_over")
    owner_client.post(ack_url(dog))
    assert 'data-flag="knock_over"' not in dog_page(owner_client, dog)
    assert 'data-flag="knock_over"' not in owner_client.get("/").content.decode()


def test_it_keeps_an_acknowledged_flag_in_the_report(owner_client, dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=3), outcome="knocked_over")
    owner_client.post(ack_url(dog), {"note": "Mat training"})
    response = owner_client.get(reverse("journal:report", args=[dog.pk]))
    assert 'data-flag="knock_over"' in response.content.decode()
    assert "Marked as handled on" in text(response) and "“Mat training”" in text(response)


def test_it_brings_the_flag_back_with_a_new_lean_behind_it(owner_client, dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=3), outcome="knocked_over")
    owner_client.post(ack_url(dog))
    make_incident(dog, timezone.now(), outcome="knocked_over")
    assert 'data-flag="knock_over"' in dog_page(owner_client, dog)


def test_it_stays_quiet_after_a_new_lean_that_is_not_behind_the_flag(owner_client, dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=3), outcome="knocked_over")
    owner_client.post(ack_url(dog))
    make_incident(dog, timezone.now(), outcome="settled")
    assert 'data-flag="knock_over"' not in dog_page(owner_client, dog)
