"""The pages that open on a dog's leans: the home page's cards and each dog's page."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from config.fragments import filled, kept_part
from demo.story import DEMO_PASSWORD, DEMO_USERNAME
from dogs.access import get_dog_for, refuse_other_methods
from dogs.models import Dog, LifeStage, Membership, Owner
from journal.forms import CheckInForm, WeightForm
from journal.models import CheckIn, DayStamp, Incident, JournalStamp
from journal.report.cache import REPORT_CACHE_SECONDS, cached_part, cached_reports, journal_stamp, report_key
from journal.report.numbers import (
    DEFAULT_DAYS,
    VERDICT_LEVELS,
    DogFacts,
    Period,
    Report,
    Verdict,
    journal_start,
    period_filter,
    verdict_of,
)
from journal.report.rules import Flag, most_serious
from journal.report.weights import WEIGHT_WINDOW_DAYS, weight_change
from sharing.models import VetNote

RECENT_LEANS_ON_DOG_PAGE = 5
VET_NOTES_ON_DOG_PAGE = 5
# "Past 7 days" on the home card and the dog page is the 7-day report's N, counted alike.
WEEK_DAYS = 7


# Within this, "3 hours ago" says more than the calendar day.
AGO_IN_HOURS = dt.timedelta(hours=6)


def ago(moment: dt.datetime, now: dt.datetime) -> str:
    """A short relative time ("3 hours ago", "yesterday", "4 days ago"): one unit at a glance.

    Days are counted on the owner's calendar, so that two leans on the same Friday are the
    same number of days ago, whatever their hours.
    """
    elapsed = now - moment
    if elapsed < dt.timedelta(minutes=1):
        return gettext("just now")
    zone = timezone.get_current_timezone()
    days = (timezone.localdate(now, zone) - timezone.localdate(moment, zone)).days
    # Translators: %(time)s is a span of time such as "3 hours" or "2 weeks" (Django's own words).
    time_ago = gettext("%(time)s ago")
    if elapsed < AGO_IN_HOURS or days == 0:
        return time_ago % {"time": timesince(moment, now, depth=1)}
    if days == 1:
        return gettext("yesterday")
    if days <= WEEK_DAYS:
        # Translators: keep the no-break space (U+00A0) between the number and the word.
        return ngettext("%(count)s day ago", "%(count)s days ago", days) % {"count": days}
    return time_ago % {"time": timesince(moment, now, depth=1)}


def _quiet_flags(built: Report) -> list[Flag]:
    """The flags nobody has marked as handled since their last lean, the most serious first.

    The home card and the dog page open with the first and name every other one: a second flag
    (a weight loss behind a vet check, say) is never left to the report alone.
    """
    return [flag for flag in built.flags if flag.acknowledged is None]


def _says_info_flag(verdict: Verdict, flag) -> bool:
    return bool(flag) and verdict.level == "info" and verdict.flag_code == flag.code


def names_flag(verdict: Verdict, flag) -> bool:
    """The verdict is that flag's title (a vet or watch flag): one box says both, not two."""
    return bool(flag) and verdict.level in ("vet", "watch") and verdict.flag_code == flag.code


def is_new(note_at: dt.datetime | None, read_at: dt.datetime | None) -> bool:
    """A vet's note is news for a member until they have read the notes after it was left."""
    return note_at is not None and (read_at is None or note_at > read_at)


def _count_of(leans: QuerySet[Incident]) -> Coalesce:
    """A subquery counting the leans (an OuterRef to the dog), 0 when there are none."""
    return Coalesce(Subquery(leans.values("dog").annotate(n=Count("pk")).values("n")), 0)


@dataclass(frozen=True)
class Card:
    """A home card as shown: its verdict and flag (for sorting, and the tests) and its markup."""

    verdict: Verdict
    flag: Flag | None
    html: str


def _card_key(dog: Dog, period: Period, today: dt.date, zone: dt.tzinfo, stamp: int) -> str:
    """The report's key, and everything else the card shows that the report does not hold.

    The last lean and the week's count follow the journal stamp already; "3 hours ago" moves
    with the clock, the role and "shared" with the memberships, the vet's news with the notes.
    """
    shown = (dog.role, dog.shared, dog.new_vet_note, dog.last_lean_ago, dog.last_lean_at, dog.leans_this_week)
    seen = "\x1f".join(map(str, shown))
    digest = hashlib.blake2s(seen.encode(), digest_size=8).hexdigest()
    return report_key(dog, period, today, zone, part=f"home-card-{digest}", stamp=stamp)


def _cards(dogs: list[Dog], today: dt.date) -> dict[int, Card]:
    """Each dog's card, rendered once per change of what it shows (its report or its row's facts)."""
    zone = timezone.get_current_timezone()
    period = Period.last(DEFAULT_DAYS, today)
    keys = {dog.pk: _card_key(dog, period, today, zone, dog.journal_stamp or 0) for dog in dogs}
    cards = cache.get_many(list(keys.values()))
    missing = [dog for dog in dogs if keys[dog.pk] not in cards]
    if missing:
        # A fixed few queries for all the missing dogs together.
        stamps = {dog.pk: dog.journal_stamp or 0 for dog in missing}
        reports = cached_reports(missing, period, today, zone, stamps)
        made = {}
        for dog in missing:
            _, built = reports[dog.pk]
            # The card's life stage as the report counts it: by the latest weighing too.
            dog.weighed_kg = built.dog.weighed_kg
            # Acknowledged flags stay quiet here; the report keeps them.
            dog.verdict = verdict_of(built, hide_acknowledged=True)
            quiet = _quiet_flags(built)
            dog.current_flag, dog.more_flags = most_serious(quiet), quiet[1:]
            dog.verdict_is_flag = names_flag(dog.verdict, dog.current_flag)
            # "Good to know: <the flag>" is already in an info verdict: no second box for it.
            dog.info_verdict_says_flag = _says_info_flag(dog.verdict, dog.current_flag)
            # Rendered without the request: a card has no form, and nothing of a session in it.
            html = render_to_string("dogs/_dog_card.html", {"dog": dog})
            made[keys[dog.pk]] = Card(dog.verdict, dog.current_flag, html)
        cache.set_many(made, REPORT_CACHE_SECONDS)
        cards.update(made)
    return {pk: cards[key] for pk, key in keys.items()}


def _home_sql() -> str:
    """The home page's one query: the person's dogs, each with what its card shows.

    Subqueries, not joins: a join would read every lean of every dog (and one on the vet's notes
    would multiply the count of leans); each is an index seek or a week's range of it. The journal
    stamps come in the same query as the counts (one snapshot) and before any report is read:
    nothing kept under a card's key is older than the journal it names. Written out rather than
    built with the ORM: building and compiling these six subqueries took Django about 4 ms on
    every view, running them took SQLite 0.1 ms. The week is the 7-day report's, by the same
    bounds (Period.bounds) as period_filter.
    """
    dog, member, lean = Dog._meta.db_table, Membership._meta.db_table, Incident._meta.db_table
    note, stamp = VetNote._meta.db_table, JournalStamp._meta.db_table
    return f"""
        SELECT d.*, m.role AS role, m.vet_notes_read_at AS vet_notes_read_at,
            (SELECT i.occurred_at FROM {lean} i WHERE i.dog_id = d.id
             ORDER BY i.occurred_at DESC LIMIT 1) AS last_lean_at,
            (SELECT COUNT(*) FROM {lean} i WHERE i.dog_id = d.id
             AND i.occurred_at >= %s AND i.occurred_at < %s) AS leans_this_week,
            (SELECT n.created FROM {note} n WHERE n.dog_id = d.id
             ORDER BY n.created DESC LIMIT 1) AS newest_vet_note_at,
            (SELECT COUNT(*) FROM {member} p WHERE p.dog_id = d.id) AS people,
            (SELECT s.stamp FROM {stamp} s WHERE s.dog_id = d.id) AS journal_stamp
        FROM {dog} d JOIN {member} m ON m.dog_id = d.id
        WHERE m.person_id = %s
    """


HOME_SQL = _home_sql()


def _moment(value: dt.datetime | str | None) -> dt.datetime | None:
    """A time as the query returns it: aware from PostgreSQL; from SQLite naive (a column it knows
    the type of) or its stored text (a subquery's), both in UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else parse_datetime(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The owner's dogs with their last lean, the past week's count and their verdict."""
    if not request.user.is_authenticated:
        # A first visit: what Leanlog is for, how to try it, sign in or sign up.
        context = {
            "demo_username": DEMO_USERNAME,
            "demo_password": DEMO_PASSWORD,
            "demo_available": Owner.objects.filter(username=DEMO_USERNAME, is_active=True).exists(),
        }
        return render(request, "dogs/welcome.html", context)
    now = timezone.now()
    today = timezone.localdate()
    since, until = Period.last(WEEK_DAYS, today).bounds(timezone.get_current_timezone())
    adapt = connection.ops.adapt_datetimefield_value
    dogs = list(Dog.objects.raw(HOME_SQL, [adapt(since), adapt(until), request.user.pk]))
    for dog in dogs:
        dog.last_lean_at = _moment(dog.last_lean_at)
        dog.newest_vet_note_at = _moment(dog.newest_vet_note_at)
        dog.vet_notes_read_at = _moment(dog.vet_notes_read_at)
        dog.last_lean_ago = ago(dog.last_lean_at, now) if dog.last_lean_at else ""
        dog.shared = (dog.people or 0) > 1
        dog.new_vet_note = is_new(dog.newest_vet_note_at, dog.vet_notes_read_at)
    cards = _cards(dogs, today)
    for dog in dogs:
        card = cards[dog.pk]
        dog.verdict, dog.current_flag, dog.card = card.verdict, card.flag, mark_safe(card.html)
    # The dog that needs the vet comes first on a phone: most urgent verdict first, then by name.
    dogs.sort(key=lambda dog: (VERDICT_LEVELS.index(dog.verdict.level), dog.name.lower(), dog.pk))
    return render(request, "dogs/dog_list.html", {"dogs": dogs})


@dataclass(frozen=True)
class DogPagePart:
    """What the dog page shows of the journal, worked out and rendered once per change of it and
    viewer (dog_detail): a later view reads this, and renders only what is its own."""

    counts: dict[str, int]
    started: dt.date | None
    recent: list[Incident]
    # The rendered parts, in the page's order: the top (the dog's row, its age today, the role's
    # buttons), the verdict with the flags and notes (forms with CSRF holes, config.fragments),
    # the events going on, the weight, the latest leans (their edit links are the viewer's) and
    # "At a glance" and "About".
    hero_html: str
    concerns_html: str
    ongoing_html: str
    weight_html: str
    recent_html: str
    facts_html: str
    # Today's check-in, if any (check-ins move the journal stamp too); who made it is read when
    # the page shows their name (a name can change), not kept.
    checkin_today: CheckIn | None = None


def _dog_page_part(dog: Dog, built: Report, today: dt.date, zone: dt.tzinfo, viewer_pk: int) -> DogPagePart:
    """The page's leans, counts, events and weight, read after the journal stamp that keys them."""
    # One query of subqueries, each a seek or a short range of an index, so that the page costs
    # the same for ten years of journal as for a week: the past week's and today's leans, all
    # leans (added up from the day stamps' counts) and the first lean (the check-in form's
    # first day).
    leans = Incident.objects.filter(dog=OuterRef("pk")).order_by()
    days = DayStamp.objects.filter(dog_id=OuterRef("pk")).order_by().values("dog_id")
    facts = (
        Dog.objects.filter(pk=dog.pk)
        .values("pk")
        .annotate(
            this_week=_count_of(leans.filter(period_filter(Period.last(WEEK_DAYS, today), zone))),
            today=_count_of(leans.filter(period_filter(Period(today, today), zone))),
            total=Coalesce(Subquery(days.annotate(n=Sum("leans")).values("n")), 0),
            first_lean_at=Subquery(leans.order_by("occurred_at").values("occurred_at")[:1]),
        )
        .get()
    )
    counts = {name: facts[name] for name in ("this_week", "today", "total")}
    first = facts["first_lean_at"]
    created_on = DogFacts.of(dog, zone).created_on
    recent = list(dog.incidents.all()[:RECENT_LEANS_ON_DOG_PAGE])
    verdict = verdict_of(built, hide_acknowledged=True)
    flags = _quiet_flags(built)
    flag = most_serious(flags)
    weight = _weight_of(dog)
    # The page's life stage as the report counts it: by the latest weighing too.
    dog.weighed_kg = built.dog.weighed_kg
    # Ongoing: begun, and no end or an end today or later.
    ongoing = dog.events.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today), started_on__lte=today)
    shown = {"dog": dog, "period_days": DEFAULT_DAYS}
    return DogPagePart(
        checkin_today=CheckIn.objects.filter(dog=dog, date=today).first(),
        counts=counts,
        started=journal_start(created_on, first.astimezone(zone).date() if first else None),
        recent=recent,
        hero_html=kept_part("dogs/_dog_hero.html", shown),
        concerns_html=kept_part(
            "dogs/_dog_concerns.html",
            {
                **shown,
                "verdict": verdict,
                "verdict_is_flag": names_flag(verdict, flag),
                "flags": flags,
                # The verdict already says the first note when it is one; the list names the rest.
                "notes": built.notes[1:] if verdict.level == "note" else built.notes,
            },
        ),
        ongoing_html=kept_part(
            "dogs/_dog_ongoing.html", {**shown, "ongoing_events": ongoing.order_by("started_on", "id")}
        ),
        weight_html=kept_part("dogs/_dog_weight.html", {**shown, "weight": weight}),
        # Rendered without the request: no form, nothing of a session.
        recent_html=render_to_string(
            "dogs/_latest_leans.html",
            {"dog": dog, "recent": recent, "counts": counts, "user_pk": viewer_pk},
        ),
        facts_html=render_to_string(
            "dogs/_dog_facts.html",
            {
                "dog": dog,
                "counts": counts,
                "weighing": (weight.latest_on, weight.latest_kg) if weight else None,
                # A puppy's page does not explain when an adult becomes senior.
                "senior_from_years": (
                    None if dog.life_stage(today) == LifeStage.PUPPY else dog.senior_from_years()
                ),
            },
        ),
    )


@login_required
def dog_detail(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Members see a dog: the verdict first, a check-in, the latest leans and the vet's notes."""
    # Read with the dog: the journal stamp (the kept page's key) and whether the vet left notes.
    dog = get_dog_for(
        request.user,
        dog_id,
        journal_stamp=journal_stamp(),
        has_vet_notes=Exists(VetNote.objects.filter(dog_id=OuterRef("dog_id"))),
    )
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    # Everything the page shows of the leans, check-ins, events and weighings moves the journal
    # stamp, so it is kept under the 30-day report's key (the viewer and role added: the edit
    # links are theirs). A later view reads the stamp and this, not the report nor the journal.
    part = cached_part(
        dog,
        Period.last(DEFAULT_DAYS, today),
        today,
        zone,
        f"dog-page-{request.user.pk}-{dog.role}",
        lambda _key, built: _dog_page_part(dog, built, today, zone, request.user.pk),
        stamp=dog.journal_stamp,
    )
    # Newest first: the first of the recent leans is the last lean.
    dog.last_lean_at = part.recent[0].occurred_at if part.recent else None
    # Not in the journal stamp: the vet's notes and this member's read mark (get_dog_for's row),
    # and who checked in (a name can change): read on every view that shows them.
    read_at = dog.vet_notes_read_at
    vet_notes = list(dog.vet_notes.all()[:VET_NOTES_ON_DOG_PAGE]) if dog.has_vet_notes else []
    context = {
        "dog": dog,
        "recent": part.recent,
        "counts": part.counts,
        "hero_html": mark_safe(part.hero_html),
        "concerns_html": filled(request, part.concerns_html),
        "ongoing_html": mark_safe(part.ongoing_html),
        "weight_html": mark_safe(part.weight_html),
        "recent_html": mark_safe(part.recent_html),
        "facts_html": mark_safe(part.facts_html),
        "checkin_today": part.checkin_today,
        "checkin_form": CheckInForm(dog=dog, today=today, journal_start=part.started),
        # Notes this member has not read yet open the page; the rest stay in "From the vet".
        "new_vet_notes": [note for note in vet_notes if is_new(note.created, read_at)],
        "vet_notes": [note for note in vet_notes if not is_new(note.created, read_at)],
        "weight_form": WeightForm(today=today),
    }
    return render(request, "dogs/dog_detail.html", context)


def _weight_of(dog: Dog):
    """The latest weighing against the highest of the 90 days before it, as the weight_loss rule reads it."""
    latest = dog.weights.order_by("-measured_on", "-id").values_list("measured_on", flat=True).first()
    if latest is None:
        return None
    recent = dog.weights.filter(measured_on__gte=latest - dt.timedelta(days=WEIGHT_WINDOW_DAYS))
    return weight_change(recent.order_by("measured_on", "id").values_list("measured_on", "weight_kg"))


@login_required
def vet_notes_read(request: HttpRequest, dog_id: int) -> HttpResponse:
    """A member marks the vet's notes as read, for themselves only."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    Membership.objects.filter(dog=dog, person=request.user).update(vet_notes_read_at=timezone.now())
    return redirect("dogs:dog-detail", dog_id=dog.pk)
