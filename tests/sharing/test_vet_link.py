"""The vet's link: made by an owner, read without an account, revoked at once."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import token_digest
from sharing.models import ShareLink, VetNote
from tests.helpers import make_incident, make_share, select, text

PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}


def new_link(owner_client, dog, **data) -> str:
    page = owner_client.post(reverse("sharing:share-new", args=[dog.pk]), data, follow=True)
    address = next(
        field.get("value") for field in select(page, "input[value]") if "/share/" in field.get("value")
    )
    return urlsplit(address).path


def test_it_makes_a_link_to_the_last_90_days_for_14_days_by_default(owner_client, dog):
    new_link(owner_client, dog)

    share = ShareLink.objects.get(dog=dog)
    assert (share.end - share.start).days + 1 == 90
    assert share.end == timezone.localdate()
    assert abs(share.expires_at - (timezone.now() + dt.timedelta(days=14))) < dt.timedelta(minutes=1)


def test_it_offers_the_period_of_the_report_it_was_opened_from_and_keeps_it(owner_client, dog):
    report = owner_client.get(reverse("journal:report", args=[dog.pk]) + "?days=30")
    (share_button,) = select(report, "[data-share-with-vet]")
    assert share_button.get("href") == reverse("sharing:share-list", args=[dog.pk]) + "?days=30"

    offered = owner_client.get(share_button.get("href"))
    (chosen,) = select(offered, 'select[name="days"] option[selected]')
    assert chosen.get("value") == "30"

    made = owner_client.post(reverse("sharing:share-new", args=[dog.pk]), {"days": "30"})
    assert made.url.endswith("?days=30")
    assert (ShareLink.objects.get().end - ShareLink.objects.get().start).days == 29


def test_it_offers_the_usual_period_for_a_custom_report_or_a_made_up_one(owner_client, dog):
    custom = owner_client.get(reverse("journal:report", args=[dog.pk]) + "?start=2026-01-01&end=2026-01-20")
    (share_button,) = select(custom, "[data-share-with-vet]")
    assert share_button.get("href") == reverse("sharing:share-list", args=[dog.pk])
    offered = owner_client.get(reverse("sharing:share-list", args=[dog.pk]) + "?days=12")
    (chosen,) = select(offered, 'select[name="days"] option[selected]')
    assert chosen.get("value") == "90"


def test_it_stores_only_the_hash_of_the_token(owner_client, dog):
    path = new_link(owner_client, dog, days="30", expires_in_days="7")
    token = path.strip("/").rsplit("/", 1)[1]

    assert len(token) >= 32
    assert ShareLink.objects.get(dog=dog).token_hash == token_digest(token)


def test_it_refuses_an_expiry_past_90_days(owner_client, dog):
    response = owner_client.post(reverse("sharing:share-new", args=[dog.pk]), {"expires_in_days": "91"})

    assert response.status_code == 400
    assert "Choose between 1 and 90 days." in text(response)
    assert not ShareLink.objects.exists()


def test_it_opens_the_report_without_an_account(dog):
    make_incident(dog, timezone.now() - dt.timedelta(days=1))
    _, token = make_share(dog)

    response = Client().get(f"/share/{token}/")

    assert response.status_code == 200
    assert "Biscuit’s leaning report" in text(response)


def test_it_sends_the_private_headers_on_the_page_and_the_json(dog):
    _, token = make_share(dog)

    for path in (f"/share/{token}/", f"/share/{token}/report.json"):
        response = Client().get(path)
        for header, value in PRIVATE.items():
            assert response.headers[header] == value, (path, header)


def test_it_shows_no_navigation_and_no_links_into_the_journal(dog):
    for _ in range(6):
        make_incident(dog, timezone.now() - dt.timedelta(days=2), signs=["trembling", "panting"], intensity=5)
    _, token = make_share(dog)

    page = Client().get(f"/share/{token}/").content.decode()

    assert "data-flag" in page  # the flags are there, without their journal links
    assert f"/dogs/{dog.pk}/" not in page
    assert "navbar" not in page
    assert "/accounts/" not in page


def test_it_serves_the_same_numbers_as_the_owners_report_json(owner_client, dog):
    make_incident(dog, timezone.now() - dt.timedelta(days=3))
    share, token = make_share(dog, days=30)
    mine = owner_client.get(
        reverse("journal:report-json", args=[dog.pk]),
        {"start": share.start.isoformat(), "end": share.end.isoformat()},
    ).json()

    shared = Client().get(f"/share/{token}/report.json").json()

    assert shared["incidents"] == mine["incidents"] == 1
    assert shared["flags"] == mine["flags"]


def test_it_counts_views(dog):
    share, token = make_share(dog)

    Client().get(f"/share/{token}/")
    Client().get(f"/share/{token}/")

    share.refresh_from_db()
    assert share.views == 2
    assert share.last_viewed_at is not None


def test_it_answers_404_once_revoked(owner_client, dog):
    share, token = make_share(dog)

    owner_client.post(reverse("sharing:share-revoke", args=[dog.pk, share.pk]))

    assert Client().get(f"/share/{token}/").status_code == 404
    assert Client().get(f"/share/{token}/report.json").status_code == 404


def test_it_answers_404_once_expired(dog):
    _, token = make_share(dog, expires_in_days=-1)

    assert Client().get(f"/share/{token}/").status_code == 404


def test_it_answers_404_for_an_unknown_token(dog):
    make_share(dog)

    for method in ("get", "post"):
        assert getattr(Client(), method)("/share/made-up-token-made-up-token-made-up/").status_code == 404
    assert (
        Client()
        .post("/share/made-up-token-made-up-token-made-up/notes/", {"author": "x", "text": "y"})
        .status_code
        == 404
    )


def test_it_lists_links_with_their_views(owner_client, dog):
    share, _ = make_share(dog)
    ShareLink.objects.filter(pk=share.pk).update(views=3)

    assert "opened 3 times" in text(owner_client.get(reverse("sharing:share-list", args=[dog.pk])))


def test_it_says_a_link_nobody_opened_is_not_opened_yet(owner_client, dog):
    make_share(dog)

    page = text(owner_client.get(reverse("sharing:share-list", args=[dog.pk])))

    assert "not opened yet" in page
    assert "opened 0 times" not in page


def test_it_offers_the_share_button_only_to_owners(owner_client, dog):
    assert "Share with the vet" in text(owner_client.get(reverse("journal:report", args=[dog.pk])))


def test_it_keeps_a_vets_note_and_shows_it_to_members(owner_client, dog):
    _, token = make_share(dog)

    Client().post(f"/share/{token}/notes/", {"author": "Dr Patel", "text": "<b>Bring her in</b> next week."})

    page = owner_client.get(reverse("dogs:dog-detail", args=[dog.pk])).content.decode()
    # Unread, it opens the page as news.
    assert "New from the vet" in page
    assert "Dr Patel" in page
    assert "&lt;b&gt;Bring her in&lt;/b&gt;" in page


def test_it_refuses_a_note_too_long_with_a_message(dog):
    _, token = make_share(dog)

    response = Client().post(f"/share/{token}/notes/", {"author": "x" * 81, "text": "ok"})

    assert response.status_code == 400
    assert "at most 80 characters" in text(response)
    assert not VetNote.objects.exists()


def test_it_takes_at_most_ten_notes_per_link_per_day(dog):
    _, token = make_share(dog)
    for n in range(10):
        Client().post(f"/share/{token}/notes/", {"author": "Dr Patel", "text": f"Note {n}"})

    response = Client().post(f"/share/{token}/notes/", {"author": "Dr Patel", "text": "One more"})

    assert response.status_code == 429
    assert "10 notes for today" in text(response)
    assert VetNote.objects.count() == 10


def test_it_deletes_links_and_notes_with_the_dog(owner_client, dog):
    _, token = make_share(dog)
    Client().post(f"/share/{token}/notes/", {"author": "Dr Patel", "text": "Fine."})

    owner_client.post(reverse("dogs:dog-delete", args=[dog.pk]))

    assert not ShareLink.objects.exists()
    assert not VetNote.objects.exists()


def test_it_opens_with_the_same_verdict_as_the_owners_report(owner_client, dog):
    # One lean with an itch sign: a note below the flags, never a clear bill.
    make_incident(dog, timezone.now() - dt.timedelta(days=2), signs=["scooting"])
    _, token = make_share(dog)

    shared = Client().get(f"/share/{token}/")
    owners = owner_client.get(reverse("journal:report", args=[dog.pk]))

    def verdicts(response) -> list[str]:
        return [element.get("data-verdict") for element in select(response, "[data-verdict]")]

    assert verdicts(shared) == verdicts(owners) == ["note"]


def test_it_takes_a_vets_note_as_a_browser_posts_it_under_no_referrer(dog):
    # Under "Referrer-Policy: no-referrer" a browser posts the form with "Origin: null" and,
    # for a vet who never signed in, without a CSRF cookie.
    _, token = make_share(dog)
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        f"/share/{token}/notes/", {"author": "Dr Patel", "text": "Seen today."}, HTTP_ORIGIN="null"
    )

    assert response.status_code == 302
    assert VetNote.objects.get().text == "Seen today."


def test_it_speaks_of_the_owner_not_you_to_the_vet(owner_client, dog):
    make_incident(dog, timezone.now() - dt.timedelta(days=1), owner_activity="busy", owner_response="petted")
    _, token = make_share(dog)

    shared = text(Client().get(f"/share/{token}/"))
    own = text(owner_client.get(reverse("journal:report", args=[dog.pk]), {"days": 90}))

    assert "What the family was doing" in shared and "How the family answered" in shared
    assert "How you answered" not in shared and "What you were doing" not in shared
    assert "How you answered" in own
