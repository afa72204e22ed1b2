"""Daily reminders: at the owner's time in their zone, quiet on a logged day, never twice or at night."""

from __future__ import annotations

import base64
import datetime as dt
import json
import smtplib
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.core.management import CommandError, call_command
from requests.adapters import HTTPAdapter

from dogs.models import Owner, PushSubscription, ReminderSent
from journal.models import CheckIn
from tests.helpers import add_member, make_dog, make_incident, make_owner

pytestmark = pytest.mark.django_db


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def a_key_pair() -> tuple[str, str]:
    """A P-256 key pair as a browser and a server would hold it: (public point, private scalar)."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public), b64url(key.private_numbers().private_value.to_bytes(32, "big"))


@dataclass
class FakePushService:
    """Stands in for every push service at the requests level: answers `status`, notes each URL."""

    status: int = 201
    # Where a redirecting push service (status 3xx) points.
    location: str = ""
    down: bool = False
    received: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [urlsplit(url).path for url in self.received]


@pytest.fixture(autouse=True)
def push_service(monkeypatch) -> FakePushService:
    """No test here reaches the network: every request the sender makes lands in this fake."""
    service = FakePushService()

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        service.received.append(request.url)
        if service.down:
            raise requests.ConnectionError("nothing listens there")
        response = requests.Response()
        response.status_code, response.url, response.request = service.status, request.url, request
        response._content = b""
        if service.location:
            response.headers["Location"] = service.location
        return response

    monkeypatch.setattr(HTTPAdapter, "send", send)
    return service


@pytest.fixture(autouse=True)
def _vapid(settings) -> None:
    public, private = a_key_pair()
    settings.LEANLOG_VAPID_PUBLIC_KEY = public
    settings.LEANLOG_VAPID_PRIVATE_KEY = private
    settings.LEANLOG_VAPID_SUBJECT = "mailto:test@leanlog.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def an_owner(username: str = "alice", zone: str = "Europe/London", at: str = "19:00", **fields) -> Owner:
    owner = make_owner(username, time_zone=zone)
    owner.reminder_time = dt.time.fromisoformat(at)
    owner.email = f"{username}@example.com"
    owner.email_confirmed = True
    for name, value in fields.items():
        setattr(owner, name, value)
    owner.save()
    return owner


def subscribe(
    owner: Owner, path: str = "/push/alice", host: str = "https://fcm.googleapis.com"
) -> PushSubscription:
    browser_public, _ = a_key_pair()
    return PushSubscription.objects.create(
        owner=owner,
        endpoint=f"{host}{path}",
        p256dh=browser_public,
        auth=b64url(b"sixteen byte key"),
    )


def run(now: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--now", now, stdout=out)
    return out.getvalue()


# --- When ---------------------------------------------------------------------------------


def test_it_emails_a_reminder_at_the_owners_time() -> None:
    make_dog(an_owner(), "Biscuit")

    run("2026-03-02T19:05:00+00:00")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert mail.outbox[0].subject == "Did Biscuit lean on you today?"


def test_it_sends_nothing_before_the_owners_time() -> None:
    make_dog(an_owner(), "Biscuit")

    run("2026-03-02T18:55:00+00:00")

    assert mail.outbox == []


def test_it_reads_the_time_in_the_owners_zone() -> None:
    # 19:00 in Tokyo is 10:00 UTC; at 19:05 UTC it is already 04:05 the next morning there.
    make_dog(an_owner(zone="Asia/Tokyo"), "Biscuit")

    run("2026-03-02T10:05:00+00:00")

    assert len(mail.outbox) == 1


def test_it_sends_nothing_at_the_london_time_to_a_tokyo_owner() -> None:
    make_dog(an_owner(zone="Asia/Tokyo"), "Biscuit")

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox == []


def test_it_follows_the_clock_change_in_the_owners_zone() -> None:
    # 29 March 2026: London moves to summer time, so 19:00 there is 18:00 UTC.
    make_dog(an_owner(), "Biscuit")

    run("2026-03-29T18:05:00+00:00")

    assert len(mail.outbox) == 1


def test_it_drops_a_reminder_that_is_hours_late() -> None:
    make_dog(an_owner(at="08:00"), "Biscuit")

    run("2026-03-02T11:30:00+00:00")

    assert mail.outbox == []


def test_it_never_sends_at_night_in_the_owners_zone() -> None:
    # Stored before the form refused night times: the command still keeps quiet after 22:00.
    make_dog(an_owner(at="21:30"), "Biscuit")

    run("2026-03-02T22:10:00+00:00")

    assert mail.outbox == []


def test_it_sends_nothing_to_an_owner_without_a_reminder_time() -> None:
    make_dog(an_owner(reminder_time=None), "Biscuit")

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox == []


# --- Whether ------------------------------------------------------------------------------


def test_it_keeps_quiet_on_a_day_every_dog_has_a_lean() -> None:
    owner = an_owner()
    make_incident(make_dog(owner, "Biscuit"), dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox == []


def test_it_keeps_quiet_on_a_day_with_a_check_in() -> None:
    dog = make_dog(an_owner(), "Biscuit")
    CheckIn.objects.create(dog=dog, date=dt.date(2026, 3, 2))

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox == []


def test_it_reminds_when_the_check_in_was_for_another_day() -> None:
    dog = make_dog(an_owner(), "Biscuit")
    CheckIn.objects.create(dog=dog, date=dt.date(2026, 3, 1))

    run("2026-03-02T19:05:00+00:00")

    assert len(mail.outbox) == 1


def test_it_names_only_the_dog_with_nothing_logged() -> None:
    owner = an_owner()
    make_incident(make_dog(owner, "Biscuit"), dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))
    make_dog(owner, "Pip")

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox[0].subject == "Did Pip lean on you today?"


def test_it_counts_a_lean_by_the_owners_day_not_utcs() -> None:
    # 23:30 UTC on 1 March is already 2 March in Tokyo: that lean belongs to the Tokyo owner's 2 March.
    owner = an_owner(zone="Asia/Tokyo")
    make_incident(make_dog(owner, "Biscuit"), dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))

    run("2026-03-02T10:05:00+00:00")

    assert mail.outbox == []


def test_it_reminds_again_on_the_next_day_after_yesterdays_lean() -> None:
    owner = an_owner()
    make_incident(make_dog(owner, "Biscuit"), dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC))

    run("2026-03-03T19:05:00+00:00")

    assert len(mail.outbox) == 1


def test_it_reminds_a_carer_about_the_dog_they_care_for() -> None:
    dog = make_dog(make_owner("olive"), "Skye")
    add_member(dog, an_owner("carla"), "carer")

    run("2026-03-02T19:05:00+00:00")

    assert [message.to for message in mail.outbox] == [["carla@example.com"]]


def test_it_never_asks_a_viewer_to_log() -> None:
    dog = make_dog(make_owner("olive"), "Skye")
    add_member(dog, an_owner("vera"), "viewer")

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox == []


def test_it_sends_nothing_to_an_owner_without_dogs() -> None:
    an_owner()

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox == []


def test_it_mails_only_a_confirmed_address() -> None:
    make_dog(an_owner(email_confirmed=False), "Biscuit")

    run("2026-03-02T19:05:00+00:00")

    assert mail.outbox == []


# --- Never twice, never lost ----------------------------------------------------------------


def test_it_sends_one_reminder_a_day_however_often_it_runs() -> None:
    make_dog(an_owner(), "Biscuit")

    for minute in ("19:00", "19:05", "19:10", "20:30"):
        run(f"2026-03-02T{minute}:00+00:00")

    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().day == dt.date(2026, 3, 2)


def test_it_retries_the_email_on_the_next_run_when_the_mail_server_fails(monkeypatch, caplog) -> None:
    make_dog(an_owner(), "Biscuit")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("accounts.reminders.send_mail", refuse)
    output = run("2026-03-02T19:00:00+00:00")
    assert "1 failed" in output
    assert "Could not send the reminder email" in caplog.text
    assert not ReminderSent.objects.exists()

    monkeypatch.undo()
    run("2026-03-02T19:05:00+00:00")
    assert len(mail.outbox) == 1


def test_it_goes_on_to_the_next_owner_when_one_mail_fails(monkeypatch) -> None:
    make_dog(an_owner("alice"), "Biscuit")
    make_dog(an_owner("bob"), "Rex")
    real_send_mail = mail.send_mail

    def fail_for_alice(subject, message, sender, recipients, **kwargs):
        if recipients == ["alice@example.com"]:
            raise OSError("Network is unreachable")
        return real_send_mail(subject, message, sender, recipients, **kwargs)

    monkeypatch.setattr("accounts.reminders.send_mail", fail_for_alice)
    run("2026-03-02T19:05:00+00:00")

    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


# --- Web push -------------------------------------------------------------------------------


def test_it_pushes_the_reminder_to_each_of_the_owners_browsers(push_service) -> None:
    owner = an_owner(email="")
    make_dog(owner, "Biscuit")
    subscribe(owner, "/push/phone")
    subscribe(owner, "/push/laptop")

    output = run("2026-03-02T19:05:00+00:00")

    assert sorted(push_service.paths) == ["/push/laptop", "/push/phone"]
    assert "2 push messages" in output


def test_it_pushes_once_a_day(push_service) -> None:
    owner = an_owner()
    make_dog(owner, "Biscuit")
    subscribe(owner)

    run("2026-03-02T19:05:00+00:00")
    run("2026-03-02T19:10:00+00:00")

    assert push_service.paths == ["/push/alice"]


@pytest.mark.parametrize("status", [404, 410])
def test_it_removes_a_subscription_the_push_service_has_forgotten(push_service, status) -> None:
    owner = an_owner()
    make_dog(owner, "Biscuit")
    subscribe(owner)
    push_service.status = status

    run("2026-03-02T19:05:00+00:00")

    assert not PushSubscription.objects.exists()


def test_it_keeps_the_subscription_and_retries_when_the_push_service_fails(push_service) -> None:
    owner = an_owner(email="")
    make_dog(owner, "Biscuit")
    subscribe(owner)
    push_service.status = 503

    run("2026-03-02T19:05:00+00:00")
    push_service.status = 201
    run("2026-03-02T19:10:00+00:00")

    assert PushSubscription.objects.count() == 1
    assert push_service.paths == ["/push/alice", "/push/alice"]
    assert ReminderSent.objects.filter(channel="push").count() == 1


def test_it_survives_a_push_service_that_is_not_there(push_service) -> None:
    owner = an_owner()
    make_dog(owner, "Biscuit")
    subscribe(owner)
    push_service.down = True

    output = run("2026-03-02T19:05:00+00:00")

    assert "1 failed" in output
    assert len(mail.outbox) == 1
    assert PushSubscription.objects.count() == 1


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:6379/",
        "https://169.254.169.254/latest/meta-data/",
        "https://evil.example/push",
        "https://fcm.googleapis.com:5432/push",
    ],
)
def test_it_never_contacts_a_push_host_stored_before_the_rule(push_service, endpoint) -> None:
    owner = an_owner(email="")
    make_dog(owner, "Biscuit")
    subscribe(owner, "", host=endpoint)
    subscribe(owner, "/push/phone")

    output = run("2026-03-02T19:05:00+00:00")

    assert push_service.received == ["https://fcm.googleapis.com/push/phone"]
    assert "1 push message;" in output
    assert "1 failed" in output


def test_it_follows_no_redirect_from_a_push_service(push_service) -> None:
    owner = an_owner(email="")
    make_dog(owner, "Biscuit")
    subscribe(owner)
    push_service.status = 307
    push_service.location = "http://169.254.169.254/latest/meta-data/"

    output = run("2026-03-02T19:05:00+00:00")

    assert push_service.received == ["https://fcm.googleapis.com/push/alice"]
    assert "1 failed" in output
    assert PushSubscription.objects.count() == 1


def test_it_waits_only_a_few_seconds_for_a_push_service(push_service, monkeypatch) -> None:
    waits: list[object] = []
    sender = HTTPAdapter.send
    monkeypatch.setattr(
        HTTPAdapter,
        "send",
        lambda *args, **kwargs: waits.append(kwargs["timeout"]) or sender(*args, **kwargs),
    )
    owner = an_owner(email="")
    make_dog(owner, "Biscuit")
    subscribe(owner)

    run("2026-03-02T19:05:00+00:00")

    assert waits and all(0 < wait <= 5 for wait in waits)


def test_it_sends_the_reminder_as_json_the_worker_can_show() -> None:
    from accounts.reminders import reminder_for

    owner = an_owner()
    dog = make_dog(owner, "Biscuit")

    payload = json.loads(reminder_for([dog]).push_payload())

    assert payload == {
        "title": "Did Biscuit lean on you today?",
        "body": (
            "Nothing is logged for Biscuit today. A lean takes two taps; a quiet day is worth knowing too."
        ),
        "url": f"/dogs/{dog.pk}/",
    }


def test_it_names_every_dog_when_several_have_nothing_logged() -> None:
    owner = an_owner()
    for name in ("Biscuit", "Pip", "Rex"):
        make_dog(owner, name)

    run("2026-03-02T19:05:00+00:00")

    assert "Nothing is logged today for Biscuit, Pip and Rex." in mail.outbox[0].body


def test_it_refuses_a_now_that_is_not_a_time() -> None:
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("send_reminders", "--now", "teatime")
