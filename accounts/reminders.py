"""Daily reminders to log: when one is due, who still has something to log, what it says."""

from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dogs.models import Dog, Owner, PushSubscription, ReminderChannel, ReminderSent, Role

logger = logging.getLogger("leanlog.reminders")

# Nobody is woken by Leanlog: nothing goes out between these wall-clock times in the owner's zone.
NIGHT_STARTS = dt.time(22, 0)
NIGHT_ENDS = dt.time(7, 0)
# A reminder that could not go out near its time (the server was down) is dropped after this:
# "did your dog lean today?" at midnight helps nobody.
LATEST_DELAY = dt.timedelta(hours=3)
# Push services drop a reminder nobody could receive within this many seconds.
PUSH_TTL_SECONDS = 60 * 60
# A push service answers in well under a second; a stalled one must not hold up everyone else's.
PUSH_TIMEOUT_SECONDS = 5
# A push service answering these has forgotten the browser for good (RFC 8030).
GONE_STATUSES = frozenset({404, 410})


def is_night(moment: dt.time) -> bool:
    """Night runs from NIGHT_STARTS to NIGHT_ENDS across midnight."""
    return moment >= NIGHT_STARTS or moment < NIGHT_ENDS


def is_due(reminder_time: dt.time, local_now: dt.datetime) -> bool:
    """Due from the chosen time for LATEST_DELAY, never at night; both in the owner's wall clock."""
    wall = local_now.replace(tzinfo=None)
    chosen = dt.datetime.combine(wall.date(), reminder_time)
    return chosen <= wall < chosen + LATEST_DELAY and not is_night(wall.time())


def day_bounds(day: dt.date, zone: zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The day's first moment and the next day's, in the owner's zone (23 or 25 hours on a clock change)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def dogs_with_nothing_logged(owner: Owner, day: dt.date) -> QuerySet[Dog]:
    """The dogs the person logs for (owner or carer) whose day has neither a lean nor a check-in.

    A day with a check-in ("I was with the dog today") is an observed day even without a lean,
    so it needs no reminder. The journal's tables are reached by their relation names
    (incidents, checkins): the dogs app imports nothing from the journal app.
    """
    start, end = day_bounds(day, owner.zone())
    return (
        Dog.objects.for_owner(owner)
        # A viewer reads the journal but logs nothing: no reminder to log for their dogs.
        .exclude(role=Role.VIEWER)
        .annotate(
            leans_that_day=Count(
                "incidents",
                filter=Q(incidents__occurred_at__gte=start, incidents__occurred_at__lt=end),
                distinct=True,
            ),
            # A check-in's date is already a day in the owner's zone.
            checkins_that_day=Count("checkins", filter=Q(checkins__date=day), distinct=True),
        )
        .filter(leans_that_day=0, checkins_that_day=0)
        .order_by("name", "id")
    )


def names(dogs: list[Dog]) -> str:
    """Biscuit · Biscuit and Pip · Biscuit, Pip and Rex."""
    words = [dog.name for dog in dogs]
    if len(words) == 1:
        return words[0]
    # Translators: a list of dogs' names: %(names)s is "Biscuit, Pip" (joined by commas), %(last)s
    # the last name: "Biscuit, Pip and Rex".
    return _("%(names)s and %(last)s") % {"names": ", ".join(words[:-1]), "last": words[-1]}


@dataclass(frozen=True)
class Reminder:
    title: str
    body: str
    path: str

    def email_text(self) -> str:
        url = settings.LEANLOG_SITE_URL.rstrip("/") + self.path
        settings_url = settings.LEANLOG_SITE_URL.rstrip("/") + reverse("dogs:account-settings")
        # Translators: in the reminder email; %(url)s is the dog's page (or the home page).
        look = _("Log a lean or look back at the day: %(url)s") % {"url": url}
        # Translators: the reminder email's last paragraph; %(url)s is the settings page.
        why = _(
            "You asked Leanlog for this daily reminder. To change its time or turn it off, open %(url)s"
        ) % {"url": settings_url}
        return f"{self.body}\n\n{look}\n\n{why}\n"

    def push_payload(self) -> str:
        return json.dumps({"title": self.title, "body": self.body, "url": self.path})


def reminder_for(dogs: list[Dog]) -> Reminder:
    """The words of one reminder, naming the dogs with nothing logged today."""
    if len(dogs) == 1:
        dog = dogs[0]
        return Reminder(
            # Translators: the reminder's title (push and email subject); %(name)s is the dog's name.
            title=_("Did %(name)s lean on you today?") % {"name": dog.name},
            body=_(
                "Nothing is logged for %(name)s today. "
                "A lean takes two taps; a quiet day is worth knowing too."
            )
            % {"name": dog.name},
            path=reverse("dogs:dog-detail", args=[dog.pk]),
        )
    return Reminder(
        title=_("Did your dogs lean on you today?"),
        # Translators: %(names)s lists the dogs: "Biscuit, Pip and Rex".
        body=_(
            "Nothing is logged today for %(names)s. A lean takes two taps; a quiet day is worth knowing too."
        )
        % {"names": names(dogs)},
        path=reverse("dogs:home"),
    )


def claim(owner: Owner, day: dt.date, channel: str, now: dt.datetime) -> ReminderSent | None:
    """Take the day's one reminder on a channel before sending it; None when it is already taken."""
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(owner=owner, day=day, channel=channel, sent_at=now)
    except IntegrityError:
        return None


def send_email(owner: Owner, reminder: Reminder) -> bool:
    """Mail only a confirmed address; a mail server that fails is logged and tried again next run."""
    try:
        # One line whatever the names hold: a dog named before names were kept to one line may
        # carry a line break, which a mail header refuses (BadHeaderError) for every reminder.
        send_mail(" ".join(reminder.title.split()), reminder.email_text(), None, [owner.email])
    except Exception:
        # Any failure of the mail server (refused, timed out, bad credentials) must not stop the
        # other owners' reminders; the claim is given back so the next run tries again.
        logger.exception("Could not send the reminder email to owner %s; the next run tries again.", owner.pk)
        return False
    return True


def push_enabled() -> bool:
    return bool(settings.LEANLOG_VAPID_PRIVATE_KEY and settings.LEANLOG_VAPID_PUBLIC_KEY)


def is_push_host(host: str) -> bool:
    """True for a host on LEANLOG_PUSH_HOSTS: "*.a.b" takes names ending in ".a.b", others match exactly."""
    host = host.lower()
    for allowed in settings.LEANLOG_PUSH_HOSTS:
        if allowed.startswith("*."):
            # The suffix keeps its dot: "evilnotify.windows.com" does not end in ".notify.windows.com".
            if host.endswith(allowed[1:]):
                return True
        elif host == allowed:
            return True
    return False


def push_endpoint_problem(endpoint: str) -> str:
    """What makes this endpoint one Leanlog will not send to, or "" when it is a known push service."""
    refusal = _("Reminders go only to your browser's push service over https.")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return refusal
    # Anything else could make the server post to itself, its database or the cloud's metadata.
    if parts.scheme != "https" or port not in (None, 443) or "@" in parts.netloc:
        return refusal
    if not parts.hostname or not is_push_host(parts.hostname):
        return refusal
    return ""


class NoRedirectSession(requests.Session):
    """A push service's redirect is an answer (a failure), never a second request somewhere else."""

    def request(
        self, method: str | bytes, url: str | bytes, *args: object, **kwargs: object
    ) -> requests.Response:
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def send_push(subscription: PushSubscription, reminder: Reminder) -> str:
    """Push to one browser: "sent", "gone" (the subscription is deleted) or "failed" (kept, retried)."""
    from pywebpush import WebPushException, webpush

    # Rows stored before the host rule get the same check: such a browser is never contacted.
    if push_endpoint_problem(subscription.endpoint):
        logger.warning("Push subscription %s is not on a known push service: not sent.", subscription.pk)
        return "failed"
    try:
        with NoRedirectSession() as session:
            webpush(
                subscription.info(),
                reminder.push_payload(),
                vapid_private_key=settings.LEANLOG_VAPID_PRIVATE_KEY,
                # A fresh dict each time: pywebpush writes the push service's origin into it.
                vapid_claims={"sub": settings.LEANLOG_VAPID_SUBJECT},
                timeout=PUSH_TIMEOUT_SECONDS,
                ttl=PUSH_TTL_SECONDS,
                requests_session=session,
            )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE_STATUSES:
            subscription.delete()
            logger.info("Push subscription %s is gone (%s): removed.", subscription.pk, status)
            return "gone"
        logger.warning(
            "Push to subscription %s failed (%s); the next run tries again.", subscription.pk, status
        )
        return "failed"
    except Exception:
        # A push service that cannot be reached at all: keep the browser, try again next run.
        logger.exception("Push to subscription %s failed; the next run tries again.", subscription.pk)
        return "failed"
    return "sent"


@dataclass
class Tally:
    emails: int = 0
    pushes: int = 0
    failed: int = 0
    removed: int = 0

    def summary(self) -> str:
        return (
            f"Sent {self.emails} email{'s' if self.emails != 1 else ''} and {self.pushes} push "
            f"message{'s' if self.pushes != 1 else ''}; {self.failed} failed (tried again next run); "
            f"{self.removed} expired push subscription{'s' if self.removed != 1 else ''} removed."
        )


def send_due_reminders(now: dt.datetime) -> Tally:
    """Send every reminder due at `now`; safe to run as often as you like."""
    tally = Tally()
    owners = Owner.objects.filter(reminder_time__isnull=False, is_active=True).prefetch_related(
        "push_subscriptions"
    )
    for owner in owners:
        local_now = now.astimezone(owner.zone())
        if not is_due(owner.reminder_time, local_now):
            continue
        day = local_now.date()
        dogs = list(dogs_with_nothing_logged(owner, day))
        if not dogs:
            continue
        # No request says which language: the owner's choice, else their browser's at sign-in.
        with translation.override(owner.mail_language()):
            reminder = reminder_for(dogs)
            email = owner.email and owner.email_confirmed
            if email and (taken := claim(owner, day, ReminderChannel.EMAIL, now)):
                if send_email(owner, reminder):
                    tally.emails += 1
                else:
                    taken.delete()
                    tally.failed += 1
        subscriptions = list(owner.push_subscriptions.all())
        if push_enabled() and subscriptions and (taken := claim(owner, day, ReminderChannel.PUSH, now)):
            outcomes = [send_push(subscription, reminder) for subscription in subscriptions]
            tally.pushes += outcomes.count("sent")
            tally.failed += outcomes.count("failed")
            tally.removed += outcomes.count("gone")
            if "sent" not in outcomes:
                taken.delete()
    return tally
