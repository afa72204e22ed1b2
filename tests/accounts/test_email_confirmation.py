"""A new email address: the current password to change it, a signed link to confirm it, no other mail."""

from __future__ import annotations

import re
import time

import pytest
from axes.models import AccessAttempt
from django.core import signing
from django.test import Client

from accounts.confirm_email import SALT, make_token
from dogs.models import Owner
from tests.helpers import PASSWORD, field_error, make_owner

pytestmark = pytest.mark.django_db

NEW = "alice@example.org"


def change_email(client: Client, email: str = NEW, password: str = PASSWORD):
    data = {"time_zone": "Europe/London", "email": email, "current_password": password}
    return client.post("/accounts/settings/", data)


def link_in(mail) -> str:
    return re.search(r"http://testserver(/accounts/settings/email/\S+/)", mail.body).group(1)


def confirmed(owner: Owner) -> Owner:
    owner.email = NEW
    owner.email_confirmed = True
    owner.save()
    return owner


def test_it_asks_for_the_current_password_to_change_the_email(owner_client, owner, mailoutbox) -> None:
    response = change_email(owner_client, password="")

    message = field_error(response, "current_password")
    assert message == "Type your current password to change your email address."
    owner.refresh_from_db()
    assert owner.email == ""
    assert mailoutbox == []


def test_it_refuses_a_wrong_current_password(owner_client, owner, mailoutbox) -> None:
    response = change_email(owner_client, password="a-wrong-guess-1")

    assert field_error(response, "current_password") == "That is not your current password. Type it again."
    owner.refresh_from_db()
    assert owner.email == ""
    assert mailoutbox == []


def test_it_counts_a_wrong_current_password_as_a_failed_sign_in(owner_client, owner) -> None:
    change_email(owner_client, password="a-wrong-guess-1")

    assert AccessAttempt.objects.get().failures_since_start == 1


def test_it_locks_the_email_change_after_five_wrong_passwords(owner_client, owner) -> None:
    for _ in range(4):
        change_email(owner_client, password="a-wrong-guess-1")

    response = change_email(owner_client, password="a-wrong-guess-1")

    assert response.status_code == 429
    assert change_email(owner_client).status_code == 429
    owner.refresh_from_db()
    assert owner.email == ""


def test_it_changes_the_time_zone_without_the_password(owner_client, owner) -> None:
    response = owner_client.post("/accounts/settings/", {"time_zone": "Asia/Tokyo", "email": ""})

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.time_zone == "Asia/Tokyo"


def test_it_saves_a_new_email_unconfirmed(owner_client, owner) -> None:
    response = change_email(owner_client)

    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.email, owner.email_confirmed) == (NEW, False)


def test_it_mails_the_confirmation_link_to_the_new_address_only(owner_client, mailoutbox) -> None:
    change_email(owner_client)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [NEW]
    assert mailoutbox[0].subject == "Confirm your email address for Leanlog"
    assert link_in(mailoutbox[0]).startswith("/accounts/settings/email/")


def test_it_says_where_the_link_went(owner_client) -> None:
    change_email(owner_client)

    page = owner_client.get("/accounts/settings/").content.decode()
    assert f"We sent a link to {NEW}: open it to confirm the address." in page
    assert f"{NEW} isn’t confirmed yet" in page


def test_it_unconfirms_a_confirmed_address_when_it_changes(owner_client, owner) -> None:
    confirmed(owner)

    change_email(owner_client, email="alice@elsewhere.example")

    owner.refresh_from_db()
    assert (owner.email, owner.email_confirmed) == ("alice@elsewhere.example", False)


def test_it_asks_for_a_tap_before_confirming(client: Client, owner_client, owner, mailoutbox) -> None:
    change_email(owner_client)

    response = client.get(link_in(mailoutbox[0]))

    assert response.status_code == 200
    assert "Confirm this address" in response.content.decode()
    owner.refresh_from_db()
    assert owner.email_confirmed is False


def test_it_confirms_the_address_through_the_link(client: Client, owner_client, owner, mailoutbox) -> None:
    change_email(owner_client)

    response = client.post(link_in(mailoutbox[0]))

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.email_confirmed is True


def test_it_refuses_a_link_for_an_address_changed_since(owner_client, owner, mailoutbox) -> None:
    change_email(owner_client)
    change_email(owner_client, email="alice@elsewhere.example")

    response = owner_client.post(link_in(mailoutbox[0]))

    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()
    owner.refresh_from_db()
    assert owner.email_confirmed is False


def test_it_refuses_a_tampered_link(client: Client, owner) -> None:
    owner.email = NEW
    owner.save()
    token = make_token(owner)

    response = client.post(f"/accounts/settings/email/{token[:-2]}xx/")

    assert response.status_code == 404
    owner.refresh_from_db()
    assert owner.email_confirmed is False


def test_it_refuses_a_link_older_than_three_days(client: Client, owner) -> None:
    owner.email = NEW
    owner.save()

    class FourDaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 4 * 24 * 3600)

    token = FourDaysAgo(salt=SALT).sign_object({"owner": owner.pk, "email": NEW}, compress=True)

    response = client.post(f"/accounts/settings/email/{token}/")

    assert response.status_code == 404
    owner.refresh_from_db()
    assert owner.email_confirmed is False


def test_it_stops_sending_links_after_five_an_hour(owner_client, mailoutbox) -> None:
    for number in range(6):
        change_email(owner_client, email=f"alice{number}@example.org")

    assert len(mailoutbox) == 5


def test_it_sends_no_reset_link_to_an_unconfirmed_address(client: Client, owner, mailoutbox) -> None:
    owner.email = NEW
    owner.save()

    response = client.post("/accounts/password_reset/", {"email": NEW})

    assert response.status_code == 302
    assert mailoutbox == []


def test_it_sends_a_reset_link_to_a_confirmed_address(client: Client, owner, mailoutbox) -> None:
    confirmed(owner)

    client.post("/accounts/password_reset/", {"email": NEW})

    assert [mail.to for mail in mailoutbox] == [[NEW]]


def test_it_sends_a_reset_link_only_to_the_confirmed_owner_of_a_shared_address(
    client: Client, owner, mailoutbox
) -> None:
    confirmed(owner)
    claimant = make_owner("mallory")
    claimant.email = NEW
    claimant.save()

    client.post("/accounts/password_reset/", {"email": NEW})

    assert len(mailoutbox) == 1
    assert "alice" in mailoutbox[0].body
    assert "mallory" not in mailoutbox[0].body


def test_it_speaks_of_the_saved_address_after_a_refused_change(owner_client, owner) -> None:
    confirmed(owner)

    page = change_email(owner_client, email="typo@example.org", password="").content.decode()

    assert f"{NEW} is confirmed." in page
    assert "typo@example.org isn’t confirmed" not in page


def test_it_says_a_confirmed_address_is_confirmed(owner_client, owner) -> None:
    confirmed(owner)

    page = owner_client.get("/accounts/settings/").content.decode()

    assert f"{NEW} is confirmed." in page


def test_it_answers_405_to_other_methods_on_a_good_link(client: Client, owner) -> None:
    owner.email = NEW
    owner.save()

    response = client.put(f"/accounts/settings/email/{make_token(owner)}/")

    assert response.status_code == 405
    owner.refresh_from_db()
    assert owner.email_confirmed is False
