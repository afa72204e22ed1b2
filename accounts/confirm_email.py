"""Email confirmation: a signed link proves the owner reads the address before any mail goes there."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from dogs.models import Owner

SALT = "leanlog.confirm-email"
LINK_VALID_FOR = dt.timedelta(days=3)


def make_token(owner: Owner) -> str:
    """A token naming the owner and the address; it stops working when either changes."""
    return signing.dumps({"owner": owner.pk, "email": owner.email}, salt=SALT, compress=True)


def owner_for_token(token: str) -> Owner | None:
    """The owner whose current, unconfirmed address the token names; None for any other token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_VALID_FOR)
    except signing.BadSignature:  # tampered with, or older than LINK_VALID_FOR
        return None
    if not isinstance(data, dict) or not data.get("email"):
        return None
    return Owner.objects.filter(pk=data.get("owner"), email=data["email"], is_active=True).first()


def send_confirmation(request: HttpRequest, owner: Owner) -> None:
    """The only mail an unconfirmed address ever gets: its confirmation link."""
    link = request.build_absolute_uri(reverse("dogs:email-confirm", args=[make_token(owner)]))
    context = {"owner": owner, "link": link, "days": LINK_VALID_FOR.days}
    send_mail(
        subject=_("Confirm your email address for Leanlog"),
        message=render_to_string("dogs/email_confirm_mail.txt", context),
        from_email=None,
        recipient_list=[owner.email],
    )
