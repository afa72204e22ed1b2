"""The timeline's pages: adding, editing and deleting events, a quick weight, the dog page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog, Owner
from journal.models import Event, Weight
from tests.helpers import field_error, field_value, make_event, make_weight, select, select_one, text


def new_url(dog: Dog) -> str:
    return reverse("journal:event-create", args=[dog.pk])


def an_event(**overrides: str) -> dict[str, str]:
    data = {"kind": "medication", "title": "Carprofen 50 mg", "started_on": "2026-03-03", "notes": ""}
    data.update(overrides)
    return data


def test_it_shows_the_event_form_on_get(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(new_url(dog))

    assert response.status_code == 200
    assert "Started something new?" in text(response)


def test_it_adds_an_event_by_the_person_signed_in(owner_client: Client, owner: Owner, dog: Dog) -> None:
    response = owner_client.post(new_url(dog), an_event(dog=999, created_by=999))

    assert response.status_code == 302
    assert response["Location"] == reverse("journal:event-list", args=[dog.pk])
    event = Event.objects.get()
    assert (event.dog, event.created_by, event.title, event.started_on) == (
        dog,
        owner,
        "Carprofen 50 mg",
        dt.date(2026, 3, 3),
    )


def test_it_says_what_is_wrong_and_saves_nothing(owner_client: Client, dog: Dog) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    response = owner_client.post(new_url(dog), an_event(title="", started_on=tomorrow))

    assert response.status_code == 200
    assert "short name" in field_error(response, "title")
    assert "hasn’t come yet" in field_error(response, "started_on")
    assert not Event.objects.exists()


def test_it_refuses_an_end_before_the_start_next_to_the_field(owner_client: Client, dog: Dog) -> None:
    response = owner_client.post(new_url(dog), an_event(ended_on="2026-03-01"))

    assert "cannot be before the start" in field_error(response, "ended_on")
    assert not Event.objects.exists()


def test_it_edits_an_event(owner_client: Client, dog: Dog) -> None:
    event = make_event(dog, dt.date(2026, 3, 3))

    owner_client.post(reverse("journal:event-edit", args=[dog.pk, event.pk]), an_event(ended_on="2026-03-20"))

    event.refresh_from_db()
    assert event.ended_on == dt.date(2026, 3, 20)


def test_it_asks_before_it_deletes_an_event_and_deletes_it_by_post(owner_client: Client, dog: Dog) -> None:
    event = make_event(dog, dt.date(2026, 3, 3), title="Carprofen 50 mg")
    url = reverse("journal:event-delete", args=[dog.pk, event.pk])

    asked = owner_client.get(url)
    assert asked.status_code == 200
    assert "Carprofen 50 mg, from 3 March 2026" in select_one(asked, "#event-to-delete").text
    assert Event.objects.exists()
    assert owner_client.post(url).status_code == 302
    assert not Event.objects.exists()


def test_the_edit_page_links_to_the_question_rather_than_deleting(owner_client: Client, dog: Dog) -> None:
    event = make_event(dog, dt.date(2026, 3, 3))
    edit = owner_client.get(reverse("journal:event-edit", args=[dog.pk, event.pk]))
    url = reverse("journal:event-delete", args=[dog.pk, event.pk])

    assert select_one(edit, f'a[href="{url}"]') is not None
    assert select_one(edit, f'form[action="{url}"]') is None


def test_it_hides_a_strangers_events(stranger_client: Client, dog: Dog) -> None:
    event = make_event(dog, dt.date(2026, 3, 3))

    assert stranger_client.get(reverse("journal:event-list", args=[dog.pk])).status_code == 404
    assert stranger_client.post(reverse("journal:event-delete", args=[dog.pk, event.pk])).status_code == 404
    assert Event.objects.exists()


def test_it_lists_the_events_newest_first(owner_client: Client, dog: Dog) -> None:
    make_event(dog, dt.date(2026, 1, 5), title="Joint supplement", kind="supplement")
    make_event(dog, dt.date(2026, 3, 3), title="Carprofen 50 mg")

    response = owner_client.get(reverse("journal:event-list", args=[dog.pk]))

    titles = [element.text.split(" (edit)")[0] for element in select(response, "[data-event] a")]
    assert titles == ["Carprofen 50 mg", "Joint supplement"]


def test_it_says_a_one_day_event_happened_on_its_day(owner_client: Client, dog: Dog) -> None:
    make_event(dog, dt.date(2026, 3, 3), title="Vet visit", kind="vet_visit", ended_on=dt.date(2026, 3, 3))
    make_event(dog, dt.date(2026, 1, 5), title="Hydrotherapy", ended_on=dt.date(2026, 2, 5))
    response = owner_client.get(reverse("journal:event-list", args=[dog.pk]))
    when = [" ".join(element.text.split()) for element in select(response, "[data-event] .small")]
    assert when == ["On 3 March 2026", "From 5 January 2026 to 5 February 2026"]


def test_it_adds_a_weight_for_today_by_default(owner_client: Client, owner: Owner, dog: Dog) -> None:
    response = owner_client.post(reverse("journal:weight-create", args=[dog.pk]), {"weight_kg": "31.5"})

    assert response.status_code == 302
    weight = Weight.objects.get()
    assert (weight.measured_on, weight.weight_kg, weight.created_by) == (
        timezone.localdate(),
        Decimal("31.5"),
        owner,
    )


def test_it_refuses_a_weight_out_of_range_with_a_message(owner_client: Client, dog: Dog) -> None:
    response = owner_client.post(reverse("journal:weight-create", args=[dog.pk]), {"weight_kg": "150.01"})

    assert response.status_code == 400
    assert field_error(response, "weight_kg") == "A weight is at most 150 kg."
    assert not Weight.objects.exists()


def test_it_fills_in_today_as_a_new_events_start(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(reverse("journal:event-create", args=[dog.pk]))

    assert field_value(response, "started_on") == timezone.localdate().isoformat()
    assert field_value(response, "ended_on") in (None, "")


def test_it_asks_for_the_kind_in_words_not_dashes(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(reverse("journal:event-create", args=[dog.pk]))

    first = select(response, 'select[name="kind"] option')[0]
    assert (first.get("value"), first.text) == ("", "Choose one")


def test_it_answers_get_on_the_weight_entry_with_405(owner_client: Client, dog: Dog) -> None:
    assert owner_client.get(reverse("journal:weight-create", args=[dog.pk])).status_code == 405


def test_it_shows_ongoing_events_on_the_dog_page(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_event(dog, today - dt.timedelta(days=10), title="Carprofen 50 mg")
    make_event(dog, today - dt.timedelta(days=10), title="Ends today", ended_on=today)
    make_event(dog, today - dt.timedelta(days=10), title="Over", ended_on=today - dt.timedelta(days=1))

    response = owner_client.get(dog.get_absolute_url())

    shown = text_of_list(response)
    assert "Carprofen 50 mg" in shown and "Ends today" in shown
    assert "Over" not in shown
    assert select_one(response, "#event-new") is not None


def test_it_says_a_one_day_event_of_today_is_on_today(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_event(dog, today, title="Vet visit", kind="vet_visit", ended_on=today)
    shown = " ".join(text_of_list(owner_client.get(dog.get_absolute_url())).split())
    assert shown == f"Vet visit · Vet visit on {today.day} {today:%b %Y}"


def text_of_list(response) -> str:
    return " ".join(element.text for element in select(response, "#ongoing-events li"))


def test_it_shows_the_latest_weight_and_its_90_day_change(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=91), "40")
    make_weight(dog, today - dt.timedelta(days=90), "38")
    make_weight(dog, today, "36.5")

    response = owner_client.get(dog.get_absolute_url())

    assert select_one(response, "#weight-latest").text == "36.5 kg"
    since = (today - dt.timedelta(days=90)).strftime("%-d %B %Y")
    assert select_one(response, "#weight-change").text == (
        f"Down 1.5 kg (3.9%) from 38 kg on {since}, the highest of the 90 days before."
    )


# Every weighing: the list, and deleting one typed wrong.


def test_it_lists_every_weighing_the_latest_first_with_its_change(owner_client: Client, dog: Dog) -> None:
    make_weight(dog, dt.date(2026, 1, 10), "30")
    make_weight(dog, dt.date(2026, 2, 10), "30.4")
    make_weight(dog, dt.date(2026, 3, 10), "29.5")
    response = owner_client.get(reverse("journal:weight-list", args=[dog.pk]))
    rows = [
        [cell.text.strip() for cell in row.children if not isinstance(cell, str)][:3]
        for row in select(response, "#weights tbody tr")
    ]
    assert rows == [
        ["10 Mar 2026", "29.5 kg", "−0.9 kg"],
        ["10 Feb 2026", "30.4 kg", "+0.4 kg"],
        ["10 Jan 2026", "30 kg", "– no earlier weighing"],
    ]


def test_it_links_the_dog_page_and_the_weight_flag_to_every_weighing(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=30), "40")
    make_weight(dog, today, "35")
    weighings = reverse("journal:weight-list", args=[dog.pk])
    assert select_one(owner_client.get(dog.get_absolute_url()), "#weight-all").get("href") == weighings
    report = owner_client.get(reverse("journal:report", args=[dog.pk]))
    assert [link.get("href") for link in select(report, '[data-flag="weight_loss"] a')] == [weighings]


def test_it_deletes_a_weighing_after_asking_and_the_flag_goes_with_it(owner_client: Client, dog: Dog) -> None:
    today = timezone.localdate()
    make_weight(dog, today - dt.timedelta(days=30), "40")
    typo = make_weight(dog, today, "3.5")  # 35 kg, one key short
    report = reverse("journal:report-json", args=[dog.pk])
    assert [flag["code"] for flag in owner_client.get(report).json()["flags"]] == ["weight_loss"]
    url = reverse("journal:weight-delete", args=[dog.pk, typo.pk])

    asked = owner_client.get(url)
    assert select_one(asked, "#weight-to-delete").text.strip() == f"3.5 kg on {today.day} {today:%B %Y}"
    assert Weight.objects.filter(pk=typo.pk).exists()

    response = owner_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "journal:weight-list", args=[dog.pk]
    )
    assert list(dog.weights.values_list("weight_kg", flat=True)) == [Decimal("40")]
    assert owner_client.get(report).json()["flags"] == []


def test_it_hides_a_strangers_weighings(stranger_client: Client, dog: Dog) -> None:
    weight = make_weight(dog, dt.date(2026, 1, 10), "30")
    assert stranger_client.get(reverse("journal:weight-list", args=[dog.pk])).status_code == 404
    assert stranger_client.post(reverse("journal:weight-delete", args=[dog.pk, weight.pk])).status_code == 404
    assert Weight.objects.filter(pk=weight.pk).exists()


def test_it_adds_a_weighing_from_the_weighings_page_and_returns_there(owner_client: Client, dog: Dog) -> None:
    weighings = reverse("journal:weight-list", args=[dog.pk])
    page = owner_client.get(weighings)
    form = select_one(page, "#weight-new form")
    assert form is not None and form.get("action") == reverse("journal:weight-create", args=[dog.pk])
    assert select_one(page, '#weight-new input[name="back"]').get("value") == "list"

    refused = owner_client.post(form.get("action"), {"weight_kg": "900", "back": "list"})
    # Corrected on the page that comes back, it still returns to the weighings.
    assert select_one(refused, 'input[name="back"]').get("value") == "list"
    done = owner_client.post(form.get("action"), {"weight_kg": "24.5", "back": "list"})

    assert done.url == weighings
    assert dog.weights.get().weight_kg == Decimal("24.5")


def test_it_keeps_a_second_weighing_of_the_day_and_says_which_counts(owner_client: Client, dog: Dog) -> None:
    url = reverse("journal:weight-create", args=[dog.pk])
    first = owner_client.post(url, {"weight_kg": "29.0", "measured_on": "2026-11-28"}, follow=True)
    assert "weighings on" not in first.content.decode()

    second = owner_client.post(url, {"weight_kg": "29.1", "measured_on": "2026-11-28"}, follow=True)

    assert dog.weights.count() == 2
    said = " ".join(second.content.decode().split())
    assert "Biscuit has 2 weighings on 28 November 2026. Each is kept and the one noted last counts" in said


def test_it_says_an_events_end_is_optional(owner_client: Client, dog: Dog) -> None:
    label = select_one(owner_client.get(new_url(dog)), 'label[for="id_ended_on"]')
    assert "Ended on (optional)" in " ".join(label.text.split())


def test_the_empty_weighings_page_names_the_weight_given_when_the_dog_was_added(owner_client, dog) -> None:
    Dog.objects.filter(pk=dog.pk).update(weight_kg=Decimal("31.5"))
    page = owner_client.get(reverse("journal:weight-list", args=[dog.pk]))
    said = select_one(page, "#weight-given").text
    assert said == f"The 31.5 kg under “About {dog.name}” is the weight given when {dog.name} was added."


def test_the_empty_weighings_page_of_a_dog_added_without_a_weight_says_no_more(owner_client, dog) -> None:
    page = owner_client.get(reverse("journal:weight-list", args=[dog.pk]))
    assert select_one(page, "#weight-given") is None
