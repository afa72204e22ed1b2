"""A dog's household: who belongs to it, invitations by link, roles, leaving."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dogs.access import Action, get_dog_for, may, refuse_other_methods
from dogs.models import INVITATION_DAYS, ROLE_WORDS, Invitation, Membership, Role, new_token, token_digest

# The new link is shown once, on the page the owner lands on; only its digest is stored.
NEW_INVITE_SESSION_KEY = "new_invitation"


def _people_url(dog) -> str:
    return reverse("dogs:people", args=[dog.pk])


@login_required
def people(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Every member sees the household; only owners see and manage invitations."""
    dog = get_dog_for(request.user, dog_id, Action.READ)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    members = list(dog.memberships.select_related("person"))
    manage = may(dog.role, Action.MANAGE)
    invitations = list(_working(dog.invitations).select_related("invited_by")) if manage else []
    new_link = None
    shown = request.session.pop(NEW_INVITE_SESSION_KEY, None)
    if manage and shown and shown.get("dog") == dog.pk:
        new_link = {
            "id": shown["id"],
            "url": request.build_absolute_uri(reverse("invitation", args=[shown["token"]])),
        }
    return render(
        request,
        "dogs/people.html",
        {
            "dog": dog,
            "members": members,
            "invitations": invitations,
            "manage": manage,
            "new_link": new_link,
            "roles": Role.choices,
            "me": request.user,
            "email_on": bool(settings.EMAIL_HOST),
        },
    )


@login_required
def invite(request: HttpRequest, dog_id: int) -> HttpResponse:
    """An owner makes a single-use link, valid for a week, that adds whoever opens it with `role`."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    role = request.POST.get("role", "")
    if role not in Role.values:
        messages.error(request, _("Choose what the person may do: owner, carer or viewer."))
        return redirect(_people_url(dog))
    # Mail only through a real server: the console backend would print the secret link to the log.
    email = request.POST.get("email", "").strip() if settings.EMAIL_HOST else ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            messages.error(request, _("That email address doesn’t look right; nothing was sent or made."))
            return redirect(_people_url(dog))
    token, digest = new_token()
    invitation = Invitation.objects.create(
        dog=dog,
        role=role,
        token_hash=digest,
        invited_by=request.user,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    request.session[NEW_INVITE_SESSION_KEY] = {"dog": dog.pk, "id": invitation.pk, "token": token}
    if email:
        link = request.build_absolute_uri(reverse("invitation", args=[token]))
        inviter = request.user.get_username()
        words = {"inviter": inviter, "name": dog.name, "role": ROLE_WORDS[role], "link": link}
        send_mail(
            # Translators: the subject of the invitation mail; %(inviter)s is a username, %(name)s the dog's.
            _("%(inviter)s invites you to %(name)s’s Leanlog") % words,
            # Translators: the invitation mail; %(role)s is "an owner", "a carer" or "a viewer".
            _(
                "%(inviter)s invites you to %(name)s’s leaning journal as %(role)s.\n\n"
                "Open this link within 7 days to join (it works once):\n%(link)s\n"
            )
            % words,
            None,
            [email],
        )
        messages.success(
            request,
            _("Invitation sent to %(email)s. The link is below too, should you want to send it yourself.")
            % {"email": email},
        )
        return redirect(_people_url(dog))
    messages.success(
        request,
        _("Invitation ready: send the link below to the person joining as %(role)s.")
        % {"role": ROLE_WORDS[role]},
    )
    return redirect(_people_url(dog))


@login_required
def cancel_invitation(request: HttpRequest, dog_id: int, invitation_id: int) -> HttpResponse:
    """An owner withdraws a link nobody has used yet."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    invitation = get_object_or_404(Invitation, pk=invitation_id, dog=dog)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    invitation.delete()
    messages.success(request, _("Invitation cancelled: its link no longer works."))
    return redirect(_people_url(dog))


@login_required
def change_role(request: HttpRequest, dog_id: int, member_id: int) -> HttpResponse:
    """An owner changes a member's role; the last owner stays an owner."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    member = get_object_or_404(Membership.objects.select_related("person"), pk=member_id, dog=dog)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    role = request.POST.get("role", "")
    if role not in Role.values:
        messages.error(request, _("Choose owner, carer or viewer."))
        return redirect(_people_url(dog))
    if not member.change_role(role):
        messages.error(
            request,
            _("%(name)s needs at least one owner: make someone else an owner first.") % {"name": dog.name},
        )
        return redirect(_people_url(dog))
    messages.success(
        request,
        # Translators: %(role)s is "an owner", "a carer" or "a viewer".
        _("%(person)s is now %(role)s of %(name)s.")
        % {"person": member.person.get_username(), "role": ROLE_WORDS[role], "name": dog.name},
    )
    return redirect(_people_url(dog))


@login_required
def remove_member(request: HttpRequest, dog_id: int, member_id: int) -> HttpResponse:
    """An owner removes anyone; anyone removes themselves (leaves); the last owner cannot go."""
    dog = get_dog_for(request.user, dog_id, Action.READ)
    member = get_object_or_404(Membership.objects.select_related("person"), pk=member_id, dog=dog)
    leaving = member.person_id == request.user.pk
    if not leaving and not may(dog.role, Action.MANAGE):
        raise PermissionDenied("Only an owner removes other people.")
    if refused := refuse_other_methods(request, "POST"):
        return refused
    if not member.remove():
        messages.error(
            request,
            _("%(name)s needs at least one owner: make someone else an owner first.") % {"name": dog.name},
        )
        return redirect(_people_url(dog))
    if leaving:
        messages.success(request, _("You left %(name)s’s household.") % {"name": dog.name})
        return redirect("dogs:home")
    messages.success(
        request,
        _("%(person)s no longer has access to %(name)s.")
        % {"person": member.person.get_username(), "name": dog.name},
    )
    return redirect(_people_url(dog))


def _working(invitations) -> QuerySet[Invitation]:
    """Pending invitations whose maker is still an owner of the dog: a removed owner's links stop."""
    maker_owns = Membership.objects.filter(
        dog=OuterRef("dog"), person=OuterRef("invited_by"), role=Role.OWNER
    )
    return invitations.pending().filter(Exists(maker_owns))


def _pending_invitation(token: str) -> Invitation:
    """The unused, unexpired invitation with this token; 404 telling nothing otherwise."""
    invitation = (
        _working(Invitation.objects)
        .select_related("dog", "invited_by")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


# The page names the dog and the inviter to whoever holds the link: no shared cache keeps it.
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Who invites to which dog as what; a signed-in visitor who is not yet a member accepts with POST."""
    # The token first: an unknown one is 404 whatever the method, telling nothing.
    found = _pending_invitation(token)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        existing = Membership.objects.filter(dog=found.dog, person=request.user).first()
        if existing is not None:
            # A member opening the link would use it up for the person it was made for.
            messages.info(
                request,
                # Translators: %(role)s is "an owner", "a carer" or "a viewer".
                _(
                    "You are already %(role)s of %(name)s: "
                    "this invitation stays for the person it was meant for."
                )
                % {"role": ROLE_WORDS[existing.role], "name": found.dog.name},
            )
            return redirect("dogs:dog-detail", found.dog.pk)
        with transaction.atomic():
            # Locked and read again: a link used by someone else a moment ago is used.
            locked = _working(Invitation.objects.select_for_update()).filter(pk=found.pk).first()
            if locked is None:
                raise Http404("No such invitation.")
            # get_or_create: the same person accepting in two tabs at once joins once.
            Membership.objects.get_or_create(
                dog=locked.dog, person=request.user, defaults={"role": locked.role}
            )
            locked.accepted_at = timezone.now()
            locked.accepted_by = request.user
            locked.save(update_fields=["accepted_at", "accepted_by"])
        messages.success(
            request,
            # Translators: %(role)s is "an owner", "a carer" or "a viewer".
            _("Welcome to %(name)s’s household, as %(role)s.")
            % {"name": locked.dog.name, "role": ROLE_WORDS[locked.role]},
        )
        return redirect("dogs:dog-detail", locked.dog.pk)
    return render(
        request,
        "dogs/invitation.html",
        {"invitation": found, "role_words": ROLE_WORDS[found.role], "here": request.path},
    )
