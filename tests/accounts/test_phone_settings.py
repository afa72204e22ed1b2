"""Settings for the phone (reminder time, theme), push subscriptions, the worker and the manifest."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from dogs.models import PushSubscription
from tests.helpers import add_member, make_dog, select_one

pytestmark = pytest.mark.django_db

SETTINGS = "/accounts/settings/"
SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
    "keys": {"p256dh": "BP-browser-public-key", "auth": "c2l4dGVlbiBieXRl"},
}


def settings_post(**fields: str) -> dict[str, str]:
    return {"time_zone": "Europe/London", "email": "", "reminder_time": "", "theme": "system", **fields}


def post_json(client: Client, name: str, body: object):
    return client.post(reverse(name), json.dumps(body), content_type="application/json")


# --- Settings -------------------------------------------------------------------------------


def test_it_saves_a_reminder_time(owner_client, owner) -> None:
    response = owner_client.post(SETTINGS, settings_post(reminder_time="19:30"))

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.reminder_time == dt.time(19, 30)


def test_it_clears_the_reminder_time_when_left_empty(owner_client, owner) -> None:
    owner.reminder_time = dt.time(8, 0)
    owner.save()

    owner_client.post(SETTINGS, settings_post(reminder_time=""))

    owner.refresh_from_db()
    assert owner.reminder_time is None


def test_it_explains_a_reminder_time_that_does_not_parse(owner_client, owner) -> None:
    response = owner_client.post(SETTINGS, settings_post(reminder_time="half seven"))

    assert response.status_code == 200
    assert "Enter a time like 19:30" in response.content.decode()
    owner.refresh_from_db()
    assert owner.reminder_time is None


def test_it_refuses_a_reminder_time_at_night(owner_client, owner) -> None:
    response = owner_client.post(SETTINGS, settings_post(reminder_time="23:15"))

    assert "Leanlog sends nothing at night: pick a time from 07:00 to 21:59." in response.content.decode()
    owner.refresh_from_db()
    assert owner.reminder_time is None


def test_it_saves_the_theme(owner_client, owner) -> None:
    owner_client.post(SETTINGS, settings_post(theme="dark"))

    owner.refresh_from_db()
    assert owner.theme == "dark"


def test_it_refuses_a_theme_it_does_not_know(owner_client, owner) -> None:
    response = owner_client.post(SETTINGS, settings_post(theme="neon"))

    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.theme == "system"


def test_it_draws_the_page_in_the_owners_theme(owner_client, owner) -> None:
    owner.theme = "dark"
    owner.save()

    html = owner_client.get("/").content.decode()

    assert '<html lang="en" data-bs-theme="dark" data-theme-choice="dark">' in html


def test_it_lets_an_anonymous_visitor_follow_the_device(client) -> None:
    html = client.get("/accounts/login/").content.decode()

    assert 'data-theme-choice="system"' in html


def test_it_offers_push_only_when_the_server_has_keys(owner_client, settings) -> None:
    settings.LEANLOG_VAPID_PUBLIC_KEY = ""
    assert "Reminders on this device" not in owner_client.get(SETTINGS).content.decode()

    settings.LEANLOG_VAPID_PUBLIC_KEY = "BPublicKey"
    html = owner_client.get(SETTINGS).content.decode()
    assert "Reminders on this device" in html
    assert '<script id="vapid-public-key" type="application/json">"BPublicKey"</script>' in html


UNDELIVERABLE = "No reminder can reach you yet"


def test_it_warns_by_the_field_when_no_channel_can_deliver_a_reminder(owner_client, owner, settings) -> None:
    settings.LEANLOG_VAPID_PUBLIC_KEY = "BPublicKey"
    owner.reminder_time = dt.time(19, 30)
    owner.email, owner.email_confirmed = "alice@example.com", False
    owner.save()

    warning = select_one(owner_client.get(SETTINGS), "#id_reminder_time_warning")

    assert warning is not None
    assert UNDELIVERABLE in warning.text
    assert "Confirm your email address or allow notifications on this phone to get it" in warning.text


@pytest.mark.parametrize("channel", ["confirmed email", "push"])
def test_it_does_not_warn_when_a_channel_can_deliver_the_reminder(owner_client, owner, channel) -> None:
    owner.reminder_time = dt.time(19, 30)
    if channel == "push":
        PushSubscription.objects.create(owner=owner, endpoint=SUBSCRIPTION["endpoint"], p256dh="k", auth="a")
    else:
        owner.email, owner.email_confirmed = "alice@example.com", True
    owner.save()

    assert UNDELIVERABLE not in owner_client.get(SETTINGS).content.decode()


def test_it_does_not_warn_without_a_reminder_time(owner_client) -> None:
    assert UNDELIVERABLE not in owner_client.get(SETTINGS).content.decode()


# --- Push subscriptions ---------------------------------------------------------------------


def test_it_stores_the_browsers_subscription_for_the_owner(owner_client, owner) -> None:
    response = post_json(owner_client, "dogs:push-subscribe", SUBSCRIPTION)

    assert response.status_code == 201
    stored = PushSubscription.objects.get()
    assert stored.owner == owner
    assert stored.endpoint == SUBSCRIPTION["endpoint"]


def test_it_stores_a_browser_once_when_it_subscribes_again(owner_client) -> None:
    post_json(owner_client, "dogs:push-subscribe", SUBSCRIPTION)
    response = post_json(owner_client, "dogs:push-subscribe", SUBSCRIPTION)

    assert response.status_code == 200
    assert PushSubscription.objects.count() == 1


def test_it_refuses_a_browser_that_another_account_subscribed(
    owner_client, stranger_client, stranger
) -> None:
    post_json(stranger_client, "dogs:push-subscribe", SUBSCRIPTION)

    response = post_json(owner_client, "dogs:push-subscribe", SUBSCRIPTION)

    assert response.status_code == 409
    assert "another account" in response.json()["error"]
    assert PushSubscription.objects.get().owner == stranger


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"endpoint": "https://push.example.com/x"},
        {"endpoint": "file:///etc/passwd", "keys": SUBSCRIPTION["keys"]},
        {"endpoint": "https://push.example.com/x", "keys": "nope"},
        ["not", "an", "object"],
    ],
)
def test_it_refuses_a_subscription_that_is_not_one(owner_client, body) -> None:
    response = post_json(owner_client, "dogs:push-subscribe", body)

    assert response.status_code == 400
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_it_refuses_a_body_that_is_not_json(owner_client) -> None:
    response = owner_client.post(reverse("dogs:push-subscribe"), "endpoint=x", content_type="text/plain")

    assert response.status_code == 400


def test_it_stops_pushes_to_the_owners_browser(owner_client) -> None:
    post_json(owner_client, "dogs:push-subscribe", SUBSCRIPTION)

    response = post_json(owner_client, "dogs:push-unsubscribe", {"endpoint": SUBSCRIPTION["endpoint"]})

    assert response.status_code == 200
    assert not PushSubscription.objects.exists()


def test_it_never_stops_another_accounts_pushes(owner_client, stranger_client) -> None:
    post_json(stranger_client, "dogs:push-subscribe", SUBSCRIPTION)

    response = post_json(owner_client, "dogs:push-unsubscribe", {"endpoint": SUBSCRIPTION["endpoint"]})

    assert response.status_code == 404
    assert PushSubscription.objects.count() == 1


@pytest.mark.parametrize("name", ["dogs:push-subscribe", "dogs:push-unsubscribe"])
def test_it_answers_405_to_a_get_on_a_push_endpoint(owner_client, name) -> None:
    assert owner_client.get(reverse(name)).status_code == 405


# --- The service worker and the manifest ----------------------------------------------------


def test_it_serves_the_service_worker_from_the_root(client) -> None:
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response


def test_it_lists_the_offline_page_and_the_outbox_in_the_workers_cache(client) -> None:
    body = client.get("/sw.js").content.decode()

    assert '"/offline/"' in body
    assert "/static/js/outbox.js" in body
    assert "/static/vendor/idb-keyval/idb-keyval.umd.js" in body


def test_it_serves_the_same_offline_page_to_everyone(client, owner_client) -> None:
    anonymous = client.get("/offline/").content.decode()
    signed_in = owner_client.get("/offline/").content.decode()

    assert "No connection" in anonymous
    assert "alice" not in signed_in
    assert "csrfmiddlewaretoken" not in signed_in


def test_it_gives_a_visitor_the_manifest_without_shortcuts(client) -> None:
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    assert "shortcuts" not in response.json()
    assert response.json()["icons"][1]["src"] == "/static/img/icon-192.png"


def test_it_gives_the_owner_a_shortcut_per_dog(owner_client, owner) -> None:
    biscuit = make_dog(owner, "Biscuit")
    pip = make_dog(owner, "Pip")

    shortcuts = owner_client.get("/manifest.webmanifest").json()["shortcuts"]

    assert [(s["name"], s["url"]) for s in shortcuts] == [
        ("Log a lean for Biscuit", f"/dogs/{biscuit.pk}/incidents/new/"),
        ("Log a lean for Pip", f"/dogs/{pip.pk}/incidents/new/"),
    ]


def test_it_never_names_another_owners_dog_in_the_manifest(owner_client, stranger) -> None:
    make_dog(stranger, "Rex")

    assert owner_client.get("/manifest.webmanifest").json()["shortcuts"] == []


def test_it_keeps_the_manifest_out_of_shared_caches(owner_client) -> None:
    # The site's middleware makes it "private, no-store" for a signed-in person, stricter still.
    assert owner_client.get("/manifest.webmanifest")["Cache-Control"].startswith("private, no-")


def test_it_lets_a_visitor_cache_the_manifest_privately(client) -> None:
    assert client.get("/manifest.webmanifest")["Cache-Control"] == "private, no-cache"


def test_it_gives_no_shortcut_to_a_dog_the_person_only_views(owner_client, owner, stranger) -> None:
    add_member(make_dog(stranger, "Rex"), owner, "viewer")
    cared_for = make_dog(stranger, "Skye")
    add_member(cared_for, owner, "carer")

    shortcuts = owner_client.get("/manifest.webmanifest").json()["shortcuts"]

    assert [s["url"] for s in shortcuts] == [f"/dogs/{cared_for.pk}/incidents/new/"]
