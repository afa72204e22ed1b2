"""What a person's leaving does to the households they belong to: the one rule for deleting an account."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from dogs.models import Dog, DogQuerySet, Membership, Role

# How a page, an export or the admin names someone whose account is gone. Usernames cannot
# hold spaces, so no living person is ever called this. English in exports and the admin; pages
# translate it ({{ person|member_name }}).
# Translators: how a page names someone whose account is deleted ("made by a former member").
FORMER_MEMBER = gettext_noop("a former member")


def name_of(person) -> str:
    """A person's username, or "a former member" once their account is deleted."""
    return person.get_username() if person is not None else FORMER_MEMBER


@dataclass(frozen=True)
class AccountDeletion:
    """Which of a person's dogs go with their account and which stay with their households."""

    # Dogs of which the person is the last owner member: they go, with every row of theirs.
    goes: DogQuerySet
    # Every other dog the person belongs to: it stays, whoever made its rows.
    stays: DogQuerySet


def account_deletion(person) -> AccountDeletion:
    """Only the dogs of which the person is the last owner member go with the account."""
    mine = Dog.objects.for_owner(person).annotate(
        other_owners=Count(
            "memberships",
            filter=Q(memberships__role=Role.OWNER) & ~Q(memberships__person=person),
            distinct=True,
        ),
        others=Count("memberships", filter=~Q(memberships__person=person), distinct=True),
    )
    last_owner = Q(role=Role.OWNER, other_owners=0)
    return AccountDeletion(
        goes=mine.filter(last_owner).order_by("name", "id"),
        stays=mine.exclude(last_owner).order_by("name", "id"),
    )


def delete_account(person) -> None:
    """Delete the account and the dogs it is the last owner of; every other row stays."""
    with transaction.atomic():
        # Lock the owner memberships of the person's dogs first: two owners of one dog deleting
        # their accounts at once must not both find the other still there.
        owned = Membership.objects.filter(person=person, role=Role.OWNER).values("dog")
        list(Membership.objects.select_for_update().filter(dog__in=owned, role=Role.OWNER).values_list("pk"))
        Dog.objects.filter(pk__in=list(account_deletion(person).goes.values_list("pk", flat=True))).delete()
        # Rows the person made in dogs that stay (the dog itself, leans, check-ins, links,
        # invitations) keep their place; their foreign keys to the account empty themselves.
        person.delete()
