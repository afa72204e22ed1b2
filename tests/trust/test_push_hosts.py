"""Web push goes only to https endpoints on known push-service hosts: never to an inside address."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from dogs.models import PushSubscription

pytestmark = pytest.mark.django_db

KEYS = {"p256dh": "BP-browser-public-key", "auth": "c2l4dGVlbiBieXRl"}


def subscribe(client: Client, endpoint: str):
    body = json.dumps({"endpoint": endpoint, "keys": KEYS})
    return client.post(reverse("dogs:push-subscribe"), body, content_type="application/json")


@pytest.mark.parametrize(
    "endpoint",
    [
        pytest.param("https://fcm.googleapis.com/fcm/send/abc123", id="chrome"),
        pytest.param("https://updates.push.services.mozilla.com/wpush/v2/abc123", id="firefox"),
        pytest.param("https://web.push.apple.com/QGuQyavXutnMc", id="safari"),
        pytest.param("https://wns2-par02p.notify.windows.com/w/?token=abc123", id="edge"),
        pytest.param("https://FCM.googleapis.com:443/fcm/send/abc123", id="case-and-port-443"),
    ],
)
def test_it_accepts_the_push_services_of_the_browsers(owner_client, endpoint) -> None:
    response = subscribe(owner_client, endpoint)

    assert response.status_code == 201
    assert PushSubscription.objects.get().endpoint == endpoint


@pytest.mark.parametrize(
    "endpoint",
    [
        pytest.param("http://127.0.0.1:6379/", id="redis"),
        pytest.param("http://127.0.0.1:5432/", id="postgresql"),
        pytest.param("https://169.254.169.254/latest/meta-data/", id="metadata"),
        pytest.param("https://evil.example/push", id="unknown-host"),
        pytest.param("http://fcm.googleapis.com/fcm/send/abc123", id="plain-http"),
        pytest.param("https://fcm.googleapis.com:8443/fcm/send/abc123", id="other-port"),
        pytest.param("https://me:secret@fcm.googleapis.com/fcm/send/abc123", id="userinfo"),
        pytest.param("https://fcm.googleapis.com.evil.example/fcm/send/abc123", id="lookalike-suffix"),
        pytest.param("https://evilfcm.googleapis.com/fcm/send/abc123", id="lookalike-prefix"),
        pytest.param("https://notify.windows.com/w/abc123", id="bare-wildcard-domain"),
        pytest.param("https://a.fcm.googleapis.com/fcm/send/abc123", id="subdomain-of-exact-host"),
    ],
)
def test_it_refuses_an_endpoint_that_is_not_a_known_push_service(owner_client, endpoint) -> None:
    response = subscribe(owner_client, endpoint)

    assert response.status_code == 400
    assert "push service" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_it_takes_the_push_hosts_from_the_setting(owner_client, settings) -> None:
    settings.LEANLOG_PUSH_HOSTS = ["push.example.net", "*.push.example.org"]

    assert subscribe(owner_client, "https://push.example.net/a").status_code == 201
    assert subscribe(owner_client, "https://eu.push.example.org/b").status_code == 201
    assert subscribe(owner_client, "https://fcm.googleapis.com/fcm/send/c").status_code == 400
