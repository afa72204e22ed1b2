"""A dog's household: invitations, roles, removing and leaving."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Invitation, Membership, token_digest
from journal.models import Incident
from tests.helpers import add_member, make_incident, make_invitation, make_owner, select, text


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def invite_link(client: Client, dog, role: str = "carer") -> str:
    page = client.post(reverse("dogs:people-invite", args=[dog.pk]), {"role": role}, follow=True)
    return next(
        field.get("value") for field in select(page, "input[value]") if "/invites/" in field.get("value")
    )


def test_it_shows_a_new_invitation_link_once(owner_client, dog):
    link = invite_link(owner_client, dog)

    assert "/invites/" in link
    assert "/invites/" not in text(owner_client.get(reverse("dogs:people", args=[dog.pk])))


def test_it_stores_only_the_hash_of_the_token(owner_client, dog):
    token = invite_link(owner_client, dog).rstrip("/").rsplit("/", 1)[1]

    invitation = Invitation.objects.get(dog=dog)
    assert len(token) >= 32
    assert invitation.token_hash == token_digest(token)
    assert token not in str(list(Invitation.objects.values()))


def test_it_says_who_invites_to_which_dog_as_what(client, dog):
    _, token = make_invitation(dog, "viewer")

    page = text(client.get(f"/invites/{token}/"))

    assert "alice invites you to Biscuit’s journal as a viewer" in page


def test_it_sends_an_anonymous_visitor_to_sign_in_and_back(client, dog):
    _, token = make_invitation(dog)

    page = client.get(f"/invites/{token}/").content.decode()

    assert f"/accounts/login/?next=/invites/{token}/" in page


def test_it_brings_a_new_account_back_to_the_invitation(client, dog):
    _, token = make_invitation(dog)

    response = client.post(
        f"/accounts/signup/?next=/invites/{token}/",
        {
            "username": "bob",
            "password1": "leaning-on-bob-99",
            "password2": "leaning-on-bob-99",
            "time_zone": "UTC",
        },
    )

    assert response.status_code == 302
    assert response.url == f"/invites/{token}/"


def test_it_makes_the_accepting_person_a_member_with_the_role(dog):
    _, token = make_invitation(dog, "carer")
    bob = make_owner("bob")

    response = signed_in(bob).post(f"/invites/{token}/")

    assert response.url == reverse("dogs:dog-detail", args=[dog.pk])
    assert Membership.objects.get(dog=dog, person=bob).role == "carer"


def test_it_accepts_an_invitation_only_once(dog):
    _, token = make_invitation(dog)
    signed_in(make_owner("bob")).post(f"/invites/{token}/")

    response = signed_in(make_owner("carol")).post(f"/invites/{token}/")

    assert response.status_code == 404
    assert not Membership.objects.filter(person__username="carol").exists()


def test_it_answers_404_for_an_expired_invitation(client, dog):
    _, token = make_invitation(dog, days=-1)

    assert client.get(f"/invites/{token}/").status_code == 404


def test_it_answers_404_for_an_unknown_token(client, dog):
    make_invitation(dog)

    assert client.get("/invites/not-a-real-token-not-a-real-token-xyz/").status_code == 404


def test_it_cancels_an_invitation(owner_client, dog):
    invitation, token = make_invitation(dog)

    owner_client.post(reverse("dogs:invitation-cancel", args=[dog.pk, invitation.pk]))

    assert Client().get(f"/invites/{token}/").status_code == 404


def test_it_refuses_an_invitation_without_a_known_role(owner_client, dog):
    page = owner_client.post(reverse("dogs:people-invite", args=[dog.pk]), {"role": "admin"}, follow=True)

    assert "Choose what the person may do" in text(page)
    assert not Invitation.objects.exists()


def test_it_keeps_the_last_owner(owner_client, owner, dog):
    mine = Membership.objects.get(dog=dog, person=owner)

    page = owner_client.post(reverse("dogs:people-remove", args=[dog.pk, mine.pk]), follow=True)

    assert "needs at least one owner" in text(page)
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_it_does_not_demote_the_last_owner(owner_client, owner, dog):
    mine = Membership.objects.get(dog=dog, person=owner)

    owner_client.post(reverse("dogs:people-role", args=[dog.pk, mine.pk]), {"role": "viewer"})

    assert Membership.objects.get(pk=mine.pk).role == "owner"


def test_it_lets_a_carer_leave(dog):
    bob = make_owner("bob")
    membership = add_member(dog, bob, "carer")

    response = signed_in(bob).post(reverse("dogs:people-remove", args=[dog.pk, membership.pk]))

    assert response.url == reverse("dogs:home")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_it_ends_a_removed_members_access_on_their_next_request(owner_client, dog):
    bob = make_owner("bob")
    membership = add_member(dog, bob, "carer")
    bobs = signed_in(bob)
    assert bobs.get(reverse("dogs:dog-detail", args=[dog.pk])).status_code == 200

    owner_client.post(reverse("dogs:people-remove", args=[dog.pk, membership.pk]))

    assert bobs.get(reverse("dogs:dog-detail", args=[dog.pk])).status_code == 404


def test_it_refuses_a_carer_removing_someone_else(owner, dog):
    bob = make_owner("bob")
    add_member(dog, bob, "carer")
    owners = Membership.objects.get(dog=dog, person=owner)

    response = signed_in(bob).post(reverse("dogs:people-remove", args=[dog.pk, owners.pk]))

    assert response.status_code == 403
    assert Membership.objects.filter(pk=owners.pk).exists()


def test_it_changes_a_role(owner_client, dog):
    membership = add_member(dog, make_owner("bob"), "viewer")

    owner_client.post(reverse("dogs:people-role", args=[dog.pk, membership.pk]), {"role": "carer"})

    assert Membership.objects.get(pk=membership.pk).role == "carer"


def test_it_deletes_memberships_and_invitations_with_the_dog(owner_client, dog):
    add_member(dog, make_owner("bob"), "carer")
    make_invitation(dog)

    owner_client.post(reverse("dogs:dog-delete", args=[dog.pk]))

    assert not Membership.objects.exists()
    assert not Invitation.objects.exists()


def test_it_lists_every_dog_of_the_person_with_their_role(owner, dog):
    bob = make_owner("bob")
    add_member(dog, bob, "viewer")

    page = signed_in(bob).get("/").content.decode()

    assert "Biscuit" in page
    assert 'data-role="viewer"' in page


def test_it_records_who_logged_a_lean_from_the_session(dog, owner):
    bob = make_owner("bob")
    add_member(dog, bob, "carer")

    signed_in(bob).post(
        reverse("journal:incident-create", args=[dog.pk]),
        {
            "occurred_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "intensity": "3",
            "logged_by": owner.pk,
        },
    )

    assert Incident.objects.get(dog=dog).logged_by == bob


def test_it_shows_who_logged_a_lean_in_the_journal(owner_client, dog):
    make_incident(dog, logged_by=make_owner("bob"))

    assert "Logged by bob" in text(owner_client.get(reverse("journal:incident-list", args=[dog.pk])))


def test_it_emails_the_link_when_mail_is_set_up(owner_client, dog, settings, mailoutbox):
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    owner_client.post(
        reverse("dogs:people-invite", args=[dog.pk]), {"role": "viewer", "email": "bob@example.org"}
    )

    (mail,) = mailoutbox
    assert mail.to == ["bob@example.org"]
    token = re.search(r"/invites/([^/]+)/", mail.body).group(1)
    assert Invitation.objects.get(dog=dog).token_hash == token_digest(token)


def test_it_sends_no_mail_without_a_mail_server(owner_client, dog, settings, mailoutbox):
    settings.EMAIL_HOST = ""

    owner_client.post(
        reverse("dogs:people-invite", args=[dog.pk]), {"role": "viewer", "email": "bob@example.org"}
    )

    assert mailoutbox == []
    assert Invitation.objects.filter(dog=dog).count() == 1


def test_it_refuses_a_bad_email_and_makes_nothing(owner_client, dog, settings):
    settings.EMAIL_HOST = "smtp.example.org"

    page = owner_client.post(
        reverse("dogs:people-invite", args=[dog.pk]),
        {"role": "viewer", "email": "not an address"},
        follow=True,
    )

    assert "doesn’t look right" in text(page)
    assert not Invitation.objects.exists()


def test_it_tells_an_existing_member_they_already_belong(owner_client, owner, dog):
    _, token = make_invitation(dog, "viewer")

    page = owner_client.post(f"/invites/{token}/", follow=True)

    assert "You are already an owner of Biscuit" in text(page)
    assert Membership.objects.get(dog=dog, person=owner).role == "owner"


def test_it_offers_the_share_button_to_owners_only(dog):
    carer = make_owner("bob")
    add_member(dog, carer, "carer")

    assert "Share with the vet" not in text(signed_in(carer).get(reverse("journal:report", args=[dog.pk])))


def test_it_hides_log_a_lean_from_a_viewer(dog):
    viewer = make_owner("bob")
    add_member(dog, viewer, "viewer")

    assert "Log a lean" not in text(signed_in(viewer).get(reverse("dogs:dog-detail", args=[dog.pk])))


def test_it_offers_no_log_button_to_a_viewer_in_the_journal(dog):
    viewer = make_owner("bob")
    add_member(dog, viewer, "viewer")

    page = signed_in(viewer).get(reverse("journal:incident-list", args=[dog.pk])).content.decode()

    assert reverse("journal:incident-create", args=[dog.pk]) not in page


def test_it_keeps_the_invitation_page_out_of_every_cache(client, dog):
    _, token = make_invitation(dog)

    response = client.get(f"/invites/{token}/")

    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_it_leaves_an_invitation_pending_when_a_member_opens_it(owner_client, owner, dog):
    invitation, token = make_invitation(dog, "owner")
    bob = make_owner("bob")
    add_member(dog, bob, "viewer")

    page = signed_in(bob).post(f"/invites/{token}/", follow=True)

    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.accepted_by) == (None, None)
    assert Membership.objects.get(dog=dog, person=bob).role == "viewer"
    assert (
        "You are already a viewer of Biscuit: this invitation stays for the person it was meant for."
        in text(page)
    )


def test_it_refuses_an_invitation_whose_maker_is_no_longer_an_owner(owner_client, owner, dog):
    bob = make_owner("bob")
    membership = add_member(dog, bob, "owner")
    _, token = make_invitation(dog, "owner", invited_by=bob)
    # Removed, bob must not come back as an owner through the link he made before.
    owner_client.post(reverse("dogs:people-remove", args=[dog.pk, membership.pk]))

    response = signed_in(make_owner("carol")).post(f"/invites/{token}/")

    assert response.status_code == 404
    assert not Membership.objects.filter(dog=dog, person__username="carol").exists()


def test_it_leaves_logged_by_unsaid_in_a_journal_of_one(owner_client, owner, dog) -> None:
    make_incident(dog, logged_by=owner, notes="Mine")
    page = owner_client.get(reverse("journal:incident-list", args=[dog.pk]))
    assert "Mine" in text(page)
    assert select(page, "[data-logged-by]") == []


def test_it_says_who_logged_each_lean_once_anyone_else_has(owner_client, owner, dog) -> None:
    bob = make_owner("bob")
    make_incident(dog, logged_by=owner, notes="Mine")
    make_incident(dog, logged_by=bob, notes="Bob's")
    page = owner_client.get(reverse("journal:incident-list", args=[dog.pk]))
    said = sorted(span.text for span in select(page, "[data-logged-by]"))
    assert said == ["Logged by alice", "Logged by bob"]
