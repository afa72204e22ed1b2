"""Accounts: sign-up (and switching it off), the owner's time zone, sign-in pages and password mail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from dogs.models import Owner
from tests.helpers import PASSWORD, field_error, make_dog, make_incident, select, select_one, selected_option

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-pass-77"
SIGNUP = {"username": "bea", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "time_zone": "Asia/Tokyo"}


@pytest.fixture
def signup_closed(settings) -> None:
    settings.LEANLOG_ALLOW_SIGNUP = False


# Sign-up.


def test_it_shows_the_signup_form(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    for name in ("username", "password1", "password2", "time_zone"):
        assert f'name="{name}"' in page


def test_its_password_hints_ask_of_an_email_address_only_once_one_is_given(client: Client) -> None:
    # Sign-up asks for no email address: the hint must not suppose one.
    hints = select_one(client.get("/accounts/signup/"), "#id_password1_helptext").text
    assert "Not too close to your username or, once you have given one, your email address." in hints


def test_it_lets_the_browser_replace_the_default_time_zone_on_a_fresh_form(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert 'data-browser-time-zone="replace"' in page


def test_it_creates_the_owner_with_the_time_zone_given(client: Client) -> None:
    client.post("/accounts/signup/", SIGNUP)
    assert Owner.objects.get(username="bea").time_zone == "Asia/Tokyo"


def test_it_signs_the_new_owner_in_and_goes_home(client: Client) -> None:
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(Owner.objects.get(username="bea").pk)


def test_it_welcomes_the_new_owner(client: Client) -> None:
    response = client.post("/accounts/signup/", SIGNUP, follow=True)
    assert "Welcome to Leanlog, bea!" in response.content.decode()
    assert "Add your first dog" in response.content.decode()


def test_it_uses_the_servers_time_zone_when_none_is_posted(client: Client) -> None:
    client.post("/accounts/signup/", {key: value for key, value in SIGNUP.items() if key != "time_zone"})
    assert Owner.objects.get(username="bea").time_zone == settings.TIME_ZONE


def test_it_refuses_an_unknown_time_zone_at_signup(client: Client) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "time_zone": "Mars/Olympus_Mons"})
    assert field_error(response, "time_zone") == "Choose a time zone from the list, such as Europe/London."
    assert not Owner.objects.filter(username="bea").exists()


def test_it_keeps_the_chosen_zone_after_an_error(client: Client) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "password2": "something-else-entirely"})
    assert selected_option(response, "time_zone") == "Asia/Tokyo"
    # The browser must not overwrite a zone the owner already chose.
    assert 'data-browser-time-zone="replace"' not in response.content.decode()


def test_it_refuses_passwords_that_do_not_match(client: Client) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "password2": "something-else-entirely"})
    assert (
        field_error(response, "password2") == "The two passwords are not the same. Type the same one twice."
    )
    assert not Owner.objects.filter(username="bea").exists()


def test_it_refuses_a_taken_username_in_any_case(client: Client, owner) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "username": "ALICE"})
    assert field_error(response, "username") == "That username is taken. Try another one."
    assert Owner.objects.count() == 1


def test_it_refuses_a_short_password(client: Client) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "short1", "password2": "short1"})
    assert "Make the password at least 10 characters long" in field_error(response, "password1")
    assert not Owner.objects.filter(username="bea").exists()


def test_it_marks_a_weak_password_on_the_field_where_it_was_chosen(client: Client) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "password", "password2": "password"})
    assert "most common ones" in field_error(response, "password1")
    assert field_error(response, "password2") == ""
    assert select(response, 'input[name="password1"][aria-invalid="true"]')


def test_it_says_only_the_mismatch_when_the_passwords_differ(client: Client) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "short1", "password2": "short2"})
    assert field_error(response, "password1") == ""
    assert (
        field_error(response, "password2") == "The two passwords are not the same. Type the same one twice."
    )


def test_it_puts_the_cursor_in_the_first_field_to_fix(client: Client) -> None:
    response = client.post("/accounts/signup/", {**SIGNUP, "password1": "short1", "password2": "short1"})
    assert select(response, "input[name=password1][autofocus]")
    assert not select(response, "input[name=username][autofocus]")


def test_it_puts_the_cursor_in_the_username_on_a_fresh_form(client: Client) -> None:
    assert select(client.get("/accounts/signup/"), "input[name=username][autofocus]")


def test_it_sends_a_signed_in_owner_home_from_signup(owner_client) -> None:
    response = owner_client.get("/accounts/signup/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_hides_the_signup_page_when_signup_is_closed(client: Client, signup_closed) -> None:
    assert client.get("/accounts/signup/").status_code == 404


def test_it_refuses_a_signup_post_when_signup_is_closed(client: Client, signup_closed) -> None:
    assert client.post("/accounts/signup/", SIGNUP).status_code == 404
    assert not Owner.objects.filter(username="bea").exists()


def test_it_links_the_login_page_to_signup_when_open(client: Client) -> None:
    assert 'href="/accounts/signup/"' in client.get("/accounts/login/").content.decode()


def test_it_hides_the_signup_link_when_signup_is_closed(client: Client, signup_closed) -> None:
    assert 'href="/accounts/signup/"' not in client.get("/accounts/login/").content.decode()


def test_it_answers_405_to_other_methods_on_signup(client: Client) -> None:
    assert client.put("/accounts/signup/").status_code == 405


# The time zone, end to end.


def test_it_shows_times_in_the_zone_chosen_at_signup(client: Client) -> None:
    client.post("/accounts/signup/", SIGNUP)
    dog = make_dog(Owner.objects.get(username="bea"))
    make_incident(dog, occurred_at=dt.datetime(2025, 7, 1, 22, 15, tzinfo=dt.UTC))
    page = client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "Wed 2 Jul 2025, 07:15" in page  # 22:15 UTC on 1 July is 07:15 the next day in Tokyo


# Settings.


def test_it_sends_an_anonymous_visitor_from_settings_to_sign_in(client: Client) -> None:
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/settings/"


def test_it_shows_the_owners_zone_in_settings(owner_client) -> None:
    response = owner_client.get("/accounts/settings/")
    assert selected_option(response, "time_zone") == "Europe/London"


def test_it_offers_every_time_zone_sorted(owner_client) -> None:
    values = [option.get("value") for option in select(owner_client.get("/accounts/settings/"), "option")]
    assert "Pacific/Auckland" in values
    assert "America/Argentina/Buenos_Aires" in values
    regional = [value for value in values if "/" in value]
    assert regional == sorted(regional)


def test_it_groups_the_time_zones_by_region_and_names_the_place(owner_client) -> None:
    page = owner_client.get("/accounts/settings/")
    berlin = select_one(page, 'select[name="time_zone"] option[value="Europe/Berlin"]')
    buenos_aires = select_one(page, 'option[value="America/Argentina/Buenos_Aires"]')

    assert (berlin.parent.get("label"), berlin.text) == ("Europe", "Berlin")
    assert (buenos_aires.parent.get("label"), buenos_aires.text) == ("America", "Buenos Aires, Argentina")
    labels = [group.get("label") for group in select(page, 'select[name="time_zone"] optgroup')]
    assert {"Europe", "America", "Asia"} <= set(labels)


def test_it_saves_a_new_time_zone(owner_client, owner) -> None:
    response = owner_client.post("/accounts/settings/", {"time_zone": "Australia/Sydney", "email": ""})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"
    owner.refresh_from_db()
    assert owner.time_zone == "Australia/Sydney"


def test_it_confirms_the_new_time_zone(owner_client) -> None:
    response = owner_client.post("/accounts/settings/", {"time_zone": "Australia/Sydney"}, follow=True)
    assert "Saved. Times are now shown in Australia/Sydney." in response.content.decode()


def test_it_confirms_a_new_language_without_claiming_the_time_zone_changed(owner_client, owner) -> None:
    response = owner_client.post(
        "/accounts/settings/", {"time_zone": owner.time_zone, "language": "de"}, follow=True
    )

    assert "Deine Einstellungen sind gespeichert." in response.content.decode()
    assert "Zeiten werden jetzt" not in response.content.decode()


def test_it_saves_an_email_for_password_resets(owner_client, owner) -> None:
    owner_client.post(
        "/accounts/settings/",
        {"time_zone": "Europe/London", "email": "alice@example.com", "current_password": PASSWORD},
    )
    owner.refresh_from_db()
    assert owner.email == "alice@example.com"


def test_it_refuses_an_unknown_zone_in_settings(owner_client, owner) -> None:
    response = owner_client.post("/accounts/settings/", {"time_zone": "Europe/Atlantis"})
    assert field_error(response, "time_zone") == "Choose a time zone from the list, such as Europe/London."
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/London"


def test_it_answers_405_to_other_methods_on_settings(owner_client) -> None:
    assert owner_client.delete("/accounts/settings/").status_code == 405


# Sign-in, sign-out and passwords (Django's views, Leanlog's pages).


def test_it_shows_the_login_form(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'href="/accounts/password_reset/"' in page


def test_it_signs_out_on_post(owner_client) -> None:
    response = owner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in owner_client.session


def test_it_says_on_the_sign_in_page_that_the_person_signed_out(owner_client) -> None:
    response = owner_client.post("/accounts/logout/", follow=True)

    assert "You have signed out." in select_one(response, ".ll-messages").text
    # Once: the page after it says nothing more.
    assert select_one(owner_client.get("/accounts/login/"), ".ll-messages") is None


def test_it_answers_405_to_a_get_on_logout(owner_client) -> None:
    assert owner_client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in owner_client.session


def test_it_shows_the_password_change_form(owner_client) -> None:
    page = owner_client.get("/accounts/password_change/").content.decode()
    assert "Change your password" in page
    assert 'name="old_password"' in page


def test_it_changes_the_password(owner_client, owner) -> None:
    response = owner_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)


def test_it_mails_a_reset_link_in_leanlogs_words(client: Client, owner, mailoutbox) -> None:
    owner.email = "alice@example.com"
    owner.email_confirmed = True
    owner.save()
    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Your Leanlog password reset link"
    assert mail.to == ["alice@example.com"]
    assert re.search(r"http://testserver/accounts/reset/[\w-]+/[\w-]+/", mail.body)
    assert "Your username, in case you forgot it too: alice" in mail.body


def test_it_sets_a_new_password_through_the_mailed_link(client: Client, owner, mailoutbox) -> None:
    owner.email = "alice@example.com"
    owner.email_confirmed = True
    owner.save()
    client.post("/accounts/password_reset/", {"email": "alice@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is saved" in done.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)


def test_it_explains_an_expired_reset_link(client: Client) -> None:
    page = client.get("/accounts/reset/MQ/not-a-token/").content.decode()
    assert "This link no longer works" in page


def test_it_explains_a_failed_sign_in_above_the_form(client: Client, owner) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": "not-the-password"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="alert alert-danger d-flex gap-2" role="alert"' in page
    assert "Please enter a correct username and password." in page


def test_it_labels_the_second_password_in_its_own_words(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert "Password again" in page
    assert "Password confirmation" not in page


def test_it_lists_places_not_aliases_in_the_time_zone_list(client: Client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert 'value="Europe/London"' in page and 'value="UTC"' in page
    for alias in ("Factory", "localtime", "GB-Eire", "US/Eastern", "Etc/GMT+5"):
        assert f'value="{alias}"' not in page


def test_it_keeps_an_owners_unlisted_zone_when_settings_are_saved(owner_client, owner) -> None:
    owner.time_zone = "GB-Eire"
    owner.save()
    page = owner_client.get("/accounts/settings/")
    assert selected_option(page, "time_zone") == "GB-Eire"
    response = owner_client.post(
        "/accounts/settings/", {"time_zone": "GB-Eire", "email": "", "reminder_time": "", "theme": "system"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.time_zone == "GB-Eire"
