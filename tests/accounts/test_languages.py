"""Words sent where no page says which language: in the recipient's own (Owner.language)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.forms import PasswordResetForm
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from accounts import reminders
from api.models import ApiToken
from dogs.models import Owner
from tests.helpers import make_dog, make_owner

pytestmark = pytest.mark.django_db


def reminded_owner(username: str, language: str, browser_language: str = "") -> Owner:
    owner = make_owner(username)
    owner.browser_language = browser_language
    owner.reminder_time = dt.time(19, 0)
    owner.email = f"{username}@example.com"
    owner.email_confirmed = True
    owner.language = language
    owner.save()
    make_dog(owner, "Biscuit")
    return owner


def test_it_writes_each_reminder_in_its_owners_language(monkeypatch, mailoutbox) -> None:
    reminded_owner("alice", "de", browser_language="es")
    reminded_owner("bruno", "")
    reminded_owner("carla", "", browser_language="es")
    written, mailed = {}, {}
    reminder_for, send_mail = reminders.reminder_for, reminders.send_mail

    def spy_reminder_for(dogs):
        written[dogs[0].owner.username] = translation.get_language()
        return reminder_for(dogs)

    def spy_send_mail(subject, message, from_email, recipients, **kwargs):
        mailed[recipients[0]] = translation.get_language()
        return send_mail(subject, message, from_email, recipients, **kwargs)

    monkeypatch.setattr(reminders, "reminder_for", spy_reminder_for)
    monkeypatch.setattr(reminders, "send_mail", spy_send_mail)

    with translation.override("es"):
        call_command("send_reminders", "--now", "2026-03-02T19:05:00+00:00", stdout=None)

    # Whatever language was active: German for the owner who chose it, the browser's at the last
    # sign-in for one who did not, the site's when neither is known.
    assert written == {"alice": "de", "bruno": "en", "carla": "es"}
    assert mailed == {"alice@example.com": "de", "bruno@example.com": "en", "carla@example.com": "es"}
    assert len(mailoutbox) == 3


def test_it_remembers_the_browsers_language_at_each_sign_in(owner) -> None:
    from tests.helpers import PASSWORD

    client = Client()
    client.post(
        "/accounts/login/", {"username": owner.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="es"
    )
    owner.refresh_from_db()
    assert (owner.language, owner.browser_language) == ("", "es")
    client.post("/accounts/logout/")
    client.post(
        "/accounts/login/", {"username": owner.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="de-DE"
    )
    owner.refresh_from_db()
    assert owner.browser_language == "de"


def test_it_mails_the_reset_link_in_the_accounts_language(client: Client, owner, monkeypatch) -> None:
    owner.email = "alice@example.com"
    owner.email_confirmed = True
    owner.language = "es"
    owner.save()
    seen = []
    monkeypatch.setattr(
        PasswordResetForm, "send_mail", lambda *args, **kwargs: seen.append(translation.get_language())
    )

    client.post(
        "/accounts/password_reset/", {"email": "alice@example.com"}, headers={"Accept-Language": "de"}
    )

    assert seen == ["es"]


def test_it_answers_the_api_in_the_token_owners_language(owner) -> None:
    owner.language = "de"
    owner.save()
    _, token = ApiToken.issue(owner, "script")

    response = Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "es"}).get("/api/dogs")

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
