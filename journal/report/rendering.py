"""The report's body as HTML, charts included, rendered once per report.

The owner's page and the vet's link both show it; it is rendered without the request, so
nothing of a session can reach a cached copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from config.middleware import Deflated
from dogs.models import Dog
from journal.models import Incident
from journal.report.cache import REPORT_CACHE_SECONDS, cached_part
from journal.report.charts import (
    BreakdownView,
    bar_items,
    count_rows,
    event_marks,
    heat_rows,
    mark_lines,
    short_date,
    week_ticks,
    weekly_chart,
    weekly_table_rows,
)
from journal.report.numbers import (
    MIN_RATE_DAYS,
    WEEKDAYS,
    Period,
    Report,
    Verdict,
    breakdowns,
    change_of,
    has_heat_map,
    has_rate,
    heat_bands,
    intensity_basis,
    intensity_summary,
    intensity_word,
    verdict_of,
)
from journal.report.rules import Flag, percent
from journal.report.tally import REASONS_IN_SENTENCE
from journal.vocabulary import Location, OwnerActivity, Sign

# Past this many leans the journal link filters instead of listing ids: URLs have limits.
MAX_IDS_IN_LINK = 100
SIGN_LABELS: dict[str, str] = dict(Sign.choices)


def rendered_report(dog: Dog, key: str, built: Report, shared: bool = False) -> str:
    """The report's part of the page, charts included, from the cache when it is there."""
    page_key = f"{key}:{'shared-page' if shared else 'page'}"
    rendered = cache.get(page_key)
    if rendered is None:
        rendered = _render_report(dog, built, shared)
        cache.set(page_key, rendered, REPORT_CACHE_SECONDS)
    return rendered


def owner_page_part(
    dog: Dog, period: Period, today: dt.date, zone: dt.tzinfo
) -> tuple[Verdict, Deflated, tuple[dt.date, Decimal] | None]:
    """The report page's verdict (acknowledged flags kept), body (made and compressed once per
    report) and the latest weighing its header gives."""
    return cached_part(
        dog,
        period,
        today,
        zone,
        "owner-page",
        lambda key, built: (
            verdict_of(built),
            Deflated.of(_render_report(dog, built)),
            built.latest_weighing,
        ),
    )


# The breakdowns' titles on the vet's copy of the report.
SHARED_TITLES = {
    # Translators: a breakdown's title on the vet's copy ("the family" is the dog's household).
    "owner_activities": gettext_lazy("What the family was doing"),
    # Translators: a breakdown's title on the vet's copy ("the family" is the dog's household).
    "owner_responses": gettext_lazy("How the family answered"),
}
# What the vet's copy says when no lean noted them.
SHARED_EMPTY = {
    # Translators: on the vet's copy ("the family" is the dog's household).
    "owner_activities": gettext_lazy("What the family was doing was not noted."),
    # Translators: on the vet's copy ("the family" is the dog's household).
    "owner_responses": gettext_lazy("How the family answered was not noted."),
}


def _render_report(dog: Dog, built: Report, shared: bool = False) -> str:
    """The report's part of the page, charts included, rendered without the request.

    Nothing of the session (a CSRF token, the user menu, messages) can end up in a cached copy.
    A shared copy (the vet's link) has no link into the journal.
    """
    parts = breakdowns(built)
    if shared:
        # The vet reads it: the owner is "the owner" there, not "you".
        parts = [
            replace(part, title=str(SHARED_TITLES[part.key]), empty=str(SHARED_EMPTY[part.key]))
            if part.key in SHARED_TITLES
            else part
            for part in parts
        ]
    flags = [FlagView(flag, "", "") if shared else _flag_view(dog, built, flag) for flag in built.flags]
    starts = event_marks(
        [week.week_start for week in built.weekly],
        [(item.event.id, item.event.title, item.event.started_on, item.event.kind) for item in built.events],
    )
    flagged_leans, flagged_total = _flagged_leans(dog, built.flags)
    quiet = [reason for reason in built.reasons if not reason.count]
    context = {
        "dog": dog,
        "shared": shared,
        "report": built,
        "change": change_of(built),
        "flags": flags,
        "flagged_leans": flagged_leans,
        "flagged_rows": flagged_rows(flagged_leans),
        "flagged_total": flagged_total,
        "reasons": sorted(built.reasons, key=lambda reason: -reason.count),
        "quiet_reasons": quiet,
        # Translators: %(reasons)s is a list of likely reasons, lower-cased except in German.
        "quiet_reasons_text": _("Nothing pointed to: %(reasons)s.")
        % {"reasons": pgettext("list", ", ").join(str(REASONS_IN_SENTENCE[reason.code]) for reason in quiet)},
        "unexplained_pct": percent(built.unexplained, built.incidents),
        "breakdowns": [
            BreakdownView(part, bar_items(part.rows), count_rows(part.rows, part.unnoted)) for part in parts
        ],
        "heat_rows": heat_rows(heat_bands(built)),
        "weekdays": WEEKDAYS,
        "intensity_label": intensity_word(built.mean_intensity),
        "intensity_basis": intensity_basis(built),
        "intensity_summary": intensity_summary(built),
        "rate_words": rate_words(built) if built.incidents and has_rate(built) else "",
        "change_words": change_words(built),
        "has_rate": has_rate(built),
        "has_heat_map": has_heat_map(built),
        "weekly_chart": weekly_chart(
            [week.incidents for week in built.weekly], [week.mean_intensity for week in built.weekly]
        ),
        "weekly_rows": weekly_table_rows(
            [(week.week_start, week.incidents, week.mean_intensity) for week in built.weekly], starts
        ),
        # Each event's start, marked on the weekly chart and named under it and in its table.
        "starts": starts,
        "start_lines": mark_lines(starts, len(built.weekly)),
        "week_ticks": week_ticks([week.week_start for week in built.weekly]),
    }
    return render_to_string("journal/_report_body.html", context)


def rate_words(built: Report) -> str:
    """What the rate per week rests on, under its number: each case its own whole message."""
    period, covered, observed, rate_days = (
        built.period,
        built.covered_days,
        built.observed_days,
        built.rate_days,
    )
    few = observed < MIN_RATE_DAYS
    values = {"covered": covered, "observed": observed, "days": rate_days, "length": period.length}
    if covered < rate_days and covered < period.days:
        if not few:
            text = ngettext(
                "spread over a week: the journal spans only %(covered)s day",
                "spread over a week: the journal spans only %(covered)s days",
                covered,
            )
        elif observed == 1:
            text = ngettext(
                # Translators: %(observed)s is 1 here.
                "spread over a week: the journal spans only %(covered)s day; "
                "it rests on only %(observed)s observed day",
                "spread over a week: the journal spans only %(covered)s days; "
                "it rests on only %(observed)s observed day",
                covered,
            )
        else:
            text = ngettext(
                # Translators: %(observed)s is 2 or more here.
                "spread over a week: the journal spans only %(covered)s day; "
                "it rests on only %(observed)s observed days",
                "spread over a week: the journal spans only %(covered)s days; "
                "it rests on only %(observed)s observed days",
                covered,
            )
    elif covered < rate_days:
        text = (
            ngettext(
                # Translators: %(length)s is how long the period is ("6 days").
                "spread over a week: the period is %(length)s; it rests on only %(observed)s observed day",
                "spread over a week: the period is %(length)s; it rests on only %(observed)s observed days",
                observed,
            )
            if few
            else _("spread over a week: the period is %(length)s")
        )
    elif rate_days < period.days:
        if not few:
            text = ngettext(
                "over the %(days)s day the journal spans",
                "over the %(days)s days the journal spans",
                rate_days,
            )
        elif observed == 1:
            text = ngettext(
                # Translators: %(observed)s is 1 here.
                "over the %(days)s day the journal spans; it rests on only %(observed)s observed day",
                "over the %(days)s days the journal spans; it rests on only %(observed)s observed day",
                rate_days,
            )
        else:
            text = ngettext(
                # Translators: %(observed)s is 2 or more here.
                "over the %(days)s day the journal spans; it rests on only %(observed)s observed days",
                "over the %(days)s days the journal spans; it rests on only %(observed)s observed days",
                rate_days,
            )
    elif few:
        text = ngettext(
            "on average; it rests on only %(observed)s observed day",
            "on average; it rests on only %(observed)s observed days",
            observed,
        )
    else:
        # Translators: under the rate per week.
        text = _("on average")
    return text % values


def change_words(built: Report) -> str:
    """The count against the previous period's, under the change: "9 → 10 leans (+11%): about the same"."""
    change = change_of(built)
    if change.direction == "none":
        return ""
    pct = ""
    if change.pct is not None and change.direction != "same":
        signed = f"{'+' if change.direction == 'up' else '−'}{change.pct}"
        # The per cent as the reader's language writes it: " (+50%)", " (+50 %)".
        pct = " (" + _("%(number)s%%") % {"number": signed} + ")"
    values = {"previous": built.previous_incidents, "count": built.incidents, "pct": pct}
    # Translators: %(previous)s and %(count)s are the leans of the period before and of this one;
    # %(pct)s is empty or the change in brackets (" (+50%)").
    if change.small and change.partial:
        text = ngettext(
            "%(previous)s → %(count)s lean%(pct)s: about the same; "
            "the journal began part-way through the earlier period",
            "%(previous)s → %(count)s leans%(pct)s: about the same; "
            "the journal began part-way through the earlier period",
            built.incidents,
        )
    elif change.small:
        text = ngettext(
            "%(previous)s → %(count)s lean%(pct)s: about the same",
            "%(previous)s → %(count)s leans%(pct)s: about the same",
            built.incidents,
        )
    elif change.partial:
        text = ngettext(
            "%(previous)s → %(count)s lean%(pct)s; the journal began part-way through the earlier period",
            "%(previous)s → %(count)s leans%(pct)s; the journal began part-way through the earlier period",
            built.incidents,
        )
    else:
        text = ngettext(
            "%(previous)s → %(count)s lean%(pct)s", "%(previous)s → %(count)s leans%(pct)s", built.incidents
        )
    return text % values


# Paper lists the latest leans behind the flags; a year of daily leaning would fill a ream.
FLAGGED_LEANS_ON_PAPER = 40


@dataclass(frozen=True)
class FlaggedLean:
    """One row of the printed list, its cells as text: formatted once here, not per cell in the template."""

    when: str
    flag_numbers: str
    intensity: str
    where: str
    signs: str
    notes: str


def flagged_rows(rows: Sequence[FlaggedLean]) -> SafeString:
    """The printed list's rows, written in one pass as the charts' rows are (charts.heat_rows)."""
    return mark_safe(
        "\n".join(
            f'<tr><td class="text-nowrap">{escape(row.when)}</td><td>{escape(row.flag_numbers)}</td>'
            f"<td>{escape(row.intensity)}</td><td>{escape(row.where)}</td>"
            f"<td>{escape(row.signs)}{_notes_cell(row)}</td></tr>"
            for row in rows
        )
    )


def _notes_cell(row: FlaggedLean) -> str:
    if not row.notes:
        return ""
    return f"{'. ' if row.signs else ''}<em>{escape(row.notes)}</em>"


# The columns of a printed lean, read as plain values (no model per row).
FLAGGED_LEAN_FIELDS = (
    "pk",
    "dog_id",
    "occurred_at",
    "intensity",
    "location",
    "owner_activity",
    "signs",
    "notes",
)


@dataclass(frozen=True)
class RowWords:
    """The words every printed lean may use, translated once per list rather than once per lean."""

    not_noted: str
    of_five: str

    @classmethod
    def now(cls) -> RowWords:
        return cls(
            # Translators: a cell of the printed list of leans: the lean did not note this.
            not_noted=pgettext("a lean's field", "not noted"),
            # Translators: a lean's intensity on the 1-5 scale ("3 of 5").
            of_five=_("%(intensity)s of 5"),
        )


def _flagged_lean(
    row: tuple, numbers: list[int], places: dict[str, str], doings: dict[str, str], words: RowWords
) -> FlaggedLean:
    _pk, _dog_id, occurred_at, intensity, location, activity, signs, notes = row
    # The owner's zone is the active one, as for the template's date filter.
    local = timezone.localtime(occurred_at)
    where = places.get(location, location) or words.not_noted
    if activity:
        where += f" · {doings.get(activity, activity)}"
    return FlaggedLean(
        when=f"{short_date(local.date())}, {local:%H:%M}",
        flag_numbers=", ".join(map(str, numbers)),
        intensity=words.of_five % {"intensity": intensity} if intensity else words.not_noted,
        where=where,
        signs=", ".join(str(SIGN_LABELS.get(code, code)) for code in signs),
        notes=notes,
    )


def _flagged_leans(dog: Dog, flags: list[Flag]) -> tuple[list[FlaggedLean], int]:
    """The last logged leans behind the flags, oldest first, with their flags' numbers; and their count."""
    # Only the last ones need their flags' numbers; over five years the flags name thousands.
    behind = set().union(*(flag.incident_ids for flag in flags))
    if not behind:
        return [], 0
    # The last logged by id: a short IN list, where thousands of ids would cost more than the report.
    latest = sorted(behind)[-FLAGGED_LEANS_ON_PAPER:]
    numbers: dict[int, list[int]] = {pk: [] for pk in latest}
    for number, flag in enumerate(flags, start=1):
        for pk in numbers.keys() & set(flag.incident_ids):
            numbers[pk].append(number)
    # By primary key alone: with the dog in the WHERE clause SQLite walks the dog's whole journal
    # through its index instead of looking up 40 rows. The ids come from this dog's report; the
    # dog is still checked on each row.
    leans = Incident.objects.filter(pk__in=latest).order_by("occurred_at").values_list(*FLAGGED_LEAN_FIELDS)
    places, doings = dict(Location.choices), dict(OwnerActivity.choices)
    words = RowWords.now()
    rows = [
        _flagged_lean(lean, numbers[lean[0]], places, doings, words) for lean in leans if lean[1] == dog.pk
    ]
    return rows, len(behind)


@dataclass(frozen=True)
class FlagView:
    flag: Flag
    url: str
    link_text: str


def _flag_view(dog: Dog, built: Report, flag: Flag) -> FlagView:
    """The flag with a link to exactly its leans in the journal (or a filter, when they are many)."""
    if flag.rests_on_weighings:
        return FlagView(flag, reverse("journal:weight-list", args=[dog.pk]), _("See the weighings"))
    count = len(flag.incident_ids)
    base = reverse("journal:incident-list", args=[dog.pk])
    see_them = ngettext(
        # Translators: a link under a flag to the leans behind it.
        "See this %(count)s lean in the journal",
        "See these %(count)s leans in the journal",
        count,
    )
    if count <= MAX_IDS_IN_LINK:
        query = {"ids": ",".join(str(pk) for pk in flag.incident_ids)}
        text = see_them % {"count": count}
    else:
        query = {
            "start": built.period.start.isoformat(),
            "end": built.period.end.isoformat(),
            **{key: str(value) for key, value in flag.journal_filter.items()},
        }
        text = (
            see_them % {"count": count}
            if flag.journal_filter_exact
            else _("See the related leans of this period in the journal")
        )
    return FlagView(flag, f"{base}?{urlencode(query)}", text)
