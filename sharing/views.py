"""The vet's link: owners make, list and revoke links; the vet reads the report and leaves a note."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from dogs.access import Action, get_dog_for, refuse_other_methods
from dogs.models import new_token, token_digest
from journal.report.cache import cached_report
from journal.report.numbers import Period, verdict_of
from journal.report.rendering import rendered_report
from sharing.forms import ShareForm, VetNoteForm
from sharing.models import NOTES_PER_LINK_PER_DAY, SHARE_DAYS_CHOICES, ShareLink, VetNote

NEW_SHARE_SESSION_KEY = "new_share"
# A shared report is for one reader: no copy kept on the way, not indexed, no address passed on.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
}


def _shares_url(dog) -> str:
    return reverse("sharing:share-list", args=[dog.pk])


@login_required
def share_list(request: HttpRequest, dog_id: int) -> HttpResponse:
    """An owner's vet links for the dog, with expiry, views and the last view."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    shares = list(dog.share_links.select_related("created_by"))
    new_link = None
    shown = request.session.pop(NEW_SHARE_SESSION_KEY, None)
    if shown and shown.get("dog") == dog.pk:
        new_link = {
            "id": shown["id"],
            "url": request.build_absolute_uri(reverse("shared-report", args=[shown["token"]])),
        }
    now = timezone.now()
    for share in shares:
        share.live = share.is_live(now)
    # The report's "Share with the vet" names the period it showed; the new link's period starts there.
    asked = request.GET.get("days", "")
    form = ShareForm(
        initial={"days": int(asked)} if asked in {str(days) for days in SHARE_DAYS_CHOICES} else None
    )
    return render(
        request,
        "sharing/share_list.html",
        {"dog": dog, "shares": shares, "form": form, "new_link": new_link},
    )


@login_required
def share_new(request: HttpRequest, dog_id: int) -> HttpResponse:
    """A link to the report of the last `days` days as of now, working for `expires_in_days`."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    form = ShareForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "sharing/share_list.html",
            {
                "dog": dog,
                "shares": list(dog.share_links.select_related("created_by")),
                "form": form,
                "new_link": None,
            },
            status=400,
        )
    period = Period.last(form.cleaned_data["days"], timezone.localdate())
    token, digest = new_token()
    share = ShareLink.objects.create(
        dog=dog,
        token_hash=digest,
        created_by=request.user,
        start=period.start,
        end=period.end,
        time_zone=str(timezone.get_current_timezone()),
        expires_at=timezone.now() + dt.timedelta(days=form.cleaned_data["expires_in_days"]),
    )
    request.session[NEW_SHARE_SESSION_KEY] = {"dog": dog.pk, "id": share.pk, "token": token}
    messages.success(request, _("Vet link ready: copy it below and send it to the vet."))
    # The next link offers the same period again.
    return redirect(f"{_shares_url(dog)}?days={form.cleaned_data['days']}")


@login_required
def share_revoke(request: HttpRequest, dog_id: int, share_id: int) -> HttpResponse:
    """The link stops working at once."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    share = get_object_or_404(ShareLink, pk=share_id, dog=dog)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    messages.success(request, _("Link revoked: it no longer opens the report."))
    return redirect(_shares_url(dog))


def _live_share(token: str) -> ShareLink:
    """The live link with this token; 404 telling nothing for an unknown, expired or revoked one."""
    share = ShareLink.objects.live().select_related("dog").filter(token_hash=token_digest(token)).first()
    if share is None:
        raise Http404("No such page.")
    return share


def _zone(share: ShareLink) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(share.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _shared_page(
    request: HttpRequest, share: ShareLink, form: VetNoteForm, status: int = 200
) -> HttpResponse:
    zone = _zone(share)
    with timezone.override(zone):
        today = timezone.localdate()
        key, built = cached_report(share.dog, Period(share.start, share.end), today, zone)
        body = rendered_report(share.dog, key, built, shared=True)
        # The header's life stage as the report counts it: by the latest weighing too.
        share.dog.weighed_kg = built.dog.weighed_kg
        response = render(
            request,
            "sharing/shared_report.html",
            {
                "dog": share.dog,
                "share": share,
                "period": Period(share.start, share.end),
                # The same one-sentence verdict as the family's report opens with.
                "verdict": verdict_of(built, shared=True),
                "weighing": built.latest_weighing,
                "report_body": mark_safe(body),  # rendered from our own templates, escaped there
                "note_form": form,
                "zone": zone,
            },
            status=status,
        )
    return _private(response)


def shared_report(request: HttpRequest, token: str) -> HttpResponse:
    """The report of the link's period, for anyone holding the link; nothing else of the site."""
    # The token first: an unknown one is 404 whatever the method, telling nothing.
    share = _live_share(token)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    ShareLink.objects.filter(pk=share.pk).update(views=F("views") + 1, last_viewed_at=timezone.now())
    return _shared_page(request, share, VetNoteForm())


def shared_report_json(request: HttpRequest, token: str) -> HttpResponse:
    """The same numbers as the shared page, as report.json."""
    share = _live_share(token)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    zone = _zone(share)
    with timezone.override(zone):
        _, built = cached_report(share.dog, Period(share.start, share.end), timezone.localdate(), zone)
    return _private(JsonResponse(built.as_json(shared=True)))


# The link is the vet's only credential and no cookie speaks for anyone here, so a forged
# cross-site post could do nothing that knowing the token does not already allow. And the
# page's "Referrer-Policy: no-referrer" makes browsers post with "Origin: null", which
# Django's CSRF check would refuse for every vet.
@csrf_exempt
def shared_note(request: HttpRequest, token: str) -> HttpResponse:
    """The vet's note for the family; at most NOTES_PER_LINK_PER_DAY per link in any 24 hours."""
    share = _live_share(token)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    form = VetNoteForm(request.POST)
    recent = share.notes.filter(created__gte=timezone.now() - dt.timedelta(days=1)).count()
    if recent >= NOTES_PER_LINK_PER_DAY:
        form.add_error(
            None,
            # Translators: shown to the vet, on the vet's copy of the report.
            ngettext(
                "This link has taken its %(count)s note for today. Please try again tomorrow.",
                "This link has taken its %(count)s notes for today. Please try again tomorrow.",
                NOTES_PER_LINK_PER_DAY,
            )
            % {"count": NOTES_PER_LINK_PER_DAY},
        )
        return _shared_page(request, share, form, status=429)
    if not form.is_valid():
        return _shared_page(request, share, form, status=400)
    VetNote.objects.create(share=share, dog=share.dog, **form.cleaned_data)
    # Translators: shown to the vet, on the vet's copy of the report.
    messages.success(request, _("Thank you: the family will see your note on their dog’s page."))
    return _private(redirect(f"{reverse('shared-report', args=[token])}#vet-note"))
