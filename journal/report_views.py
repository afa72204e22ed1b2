"""The pattern report of one dog: the page and the same numbers as JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from dogs.access import owner_scoped
from dogs.models import EARLIEST_DATE, Dog
from journal.flags import Flag, percent
from journal.report import DEFAULT_DAYS, PRESET_DAYS, WEEKDAYS, Period, Report, Week, load_report
from journal.vocabulary import Location, OwnerActivity, OwnerResponse, Sign, Trigger

# About five years: "the same day five years ago" to today always fits, whatever the leap days.
MAX_PERIOD_DAYS = 5 * 366
# Past this many leans the journal link filters instead of listing ids: URLs have limits.
MAX_IDS_IN_LINK = 100
# The heat map groups hours in bands so that it stays readable on a phone and on paper.
HOURS_PER_BAND = 3
HEAT_BUCKETS = 4
# The intensity scale in words, for "about a steady lean".
INTENSITY_WORDS = {
    1: "light touch",
    2: "gentle lean",
    3: "steady lean",
    4: "heavy lean",
    5: "full-weight lean",
}
ISO_DATE = "%Y-%m-%d"
DATE_HINT = "Enter a real date as YYYY-MM-DD."
# No journal can reach further back than its dog.
EARLIEST_START = EARLIEST_DATE
# The rendered report is cached (see report_page). Bump the version when the cached markup
# changes shape, should the cache ever outlive a deployment (the default one lives in each
# process, so a restart empties it).
REPORT_CACHE_VERSION = 1
# Writes that bypass the app (a shell, SQL) do not move Dog.journal_changed_at; this bounds
# how long a cached report can lag behind them. Writes through the app show at once.
REPORT_CACHE_SECONDS = 15 * 60


class PeriodForm(forms.Form):
    """?days=7|30|90|365 or ?start=YYYY-MM-DD&end=YYYY-MM-DD; the dates win when both come."""

    days = forms.TypedChoiceField(
        choices=[(days, f"{days} days") for days in PRESET_DAYS],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Choose 7, 30, 90 or 365 days."},
    )
    start = forms.DateField(required=False, input_formats=[ISO_DATE], error_messages={"invalid": DATE_HINT})
    end = forms.DateField(required=False, input_formats=[ISO_DATE], error_messages={"invalid": DATE_HINT})

    def __init__(self, data, today: dt.date) -> None:
        super().__init__(data)
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data
        if start and not end:
            self.add_error("end", "Pick an end date too.")
        elif end and not start:
            self.add_error("start", "Pick a start date too.")
        elif start and end:
            if start > end:
                self.add_error("start", "The start date is after the end date.")
            elif start < EARLIEST_START:
                self.add_error("start", "Pick a start date in 1990 or later.")
            elif end > self.today:
                self.add_error("end", "The end date is in the future. Pick today or earlier.")
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error("start", "Pick a period of at most five years.")
        return data

    @property
    def is_custom(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data.get("start"))

    def period(self) -> Period:
        """The period asked for, or the default one when the request was not valid."""
        if not self.is_valid():
            return Period.last(DEFAULT_DAYS, self.today)
        if self.cleaned_data.get("start"):
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return Period.last(self.cleaned_data.get("days") or DEFAULT_DAYS, self.today)


def _load(dog: Dog, form: PeriodForm) -> Report:
    """The report of the period asked for, in the owner's zone (the middleware activated it)."""
    return load_report(dog, form.period(), form.today, timezone.get_current_timezone())


@login_required
@owner_scoped
@require_http_methods(["GET", "HEAD"])
def report_json(request: HttpRequest, dog: Dog) -> JsonResponse:
    """The report as DOMAIN.md's contract; a bad period answers 400 with the reasons.

    Built afresh every time: the JSON is for tools, the cache is for the page.
    """
    form = PeriodForm(request.GET or None, timezone.localdate())
    if form.is_bound and not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse(_load(dog, form).as_json())


@login_required
@owner_scoped
@require_http_methods(["GET", "HEAD"])
def report_page(request: HttpRequest, dog: Dog) -> HttpResponse:
    """The report page: flags first, then what the leaning is about, then the charts.

    Building and rendering the report costs several times a plain page, so its part of the
    page is cached (owner_scoped has already checked the dog's owner). The key names
    everything that part depends on: every change to the dog or its journal through the app
    moves journal_changed_at, and the day and zone decide the period's bounds and the dog's
    age. Writes that bypass the app show within REPORT_CACHE_SECONDS. The header, the period
    picker and the layout around it (user menu, messages, CSRF tokens) are rendered on every
    request.
    """
    form = PeriodForm(request.GET or None, timezone.localdate())
    period = form.period()
    key = _cache_key(dog, period, form.today)
    cached = cache.get(key)
    if cached is None:
        # The dog (and so the key) was read before the leans: what is stored under a key is
        # never older than the journal that key stands for.
        cached = _render_report(dog, _load(dog, form))
        cache.set(key, cached, REPORT_CACHE_SECONDS)
    body, chart_data = cached
    context = {
        "dog": dog,
        "form": form,
        "period": period,
        "today": form.today,
        "period_errors": [str(m) for errors in form.errors.values() for m in errors] if form.is_bound else [],
        "presets": _presets(form),
        # Rendered by _render_report from our own templates and data, escaped there.
        "report_body": mark_safe(body),
        "chart_data": mark_safe(chart_data),
    }
    return render(request, "journal/report.html", context)


def _cache_key(dog: Dog, period: Period, today: dt.date) -> str:
    """Everything the report's part of the page depends on, besides the code itself."""
    return ":".join(
        (
            f"report-page-v{REPORT_CACHE_VERSION}",
            str(dog.pk),
            dog.journal_changed_at.isoformat(),
            # The owner's zone, which the middleware activated: it places every lean in a day.
            timezone.get_current_timezone_name(),
            today.isoformat(),
            period.start.isoformat(),
            period.end.isoformat(),
        )
    )


def _render_report(dog: Dog, built: Report) -> tuple[str, str]:
    """The report's part of the page and its chart data script: what the cache keeps.

    Rendered without the request, so that nothing of the session (a CSRF token, the user
    menu, messages) can end up in a cached copy.
    """
    breakdowns = _breakdowns(built)
    context = {
        "dog": dog,
        "report": built,
        "change": _change(built),
        "flags": [_flag_view(dog, built, flag) for flag in built.flags],
        "reasons": sorted(built.reasons, key=lambda reason: -reason.count),
        "quiet_reasons": [reason for reason in built.reasons if not reason.count],
        "unexplained_pct": percent(built.unexplained, built.incidents),
        "breakdowns": breakdowns,
        # The tables' rows are rendered here rather than in template loops: a few hundred
        # localized numbers cost a template more than the whole rest of the report.
        "heat_rows": _heat_rows_html(built),
        "heat_totals": _heat_totals_html(built),
        "weekly_rows": _weekly_rows_html(built),
        "weekdays": WEEKDAYS,
        "intensity_label": _intensity_label(built.mean_intensity),
    }
    body = render_to_string("journal/_report_body.html", context)
    # What report.js draws; it reaches the page through json_script only (CSP).
    chart_data = json_script(_chart_data(built, breakdowns), "report-data")
    return str(body), str(chart_data)


def _presets(form: PeriodForm) -> list[tuple[int, bool]]:
    """(days, chosen) for the period picker's buttons."""
    chosen = None
    if not form.is_custom:
        chosen = (form.cleaned_data.get("days") if form.is_valid() else None) or DEFAULT_DAYS
    return [(days, days == chosen) for days in PRESET_DAYS]


@dataclass(frozen=True)
class Change:
    direction: str  # up, down, same or none (nothing to compare with)
    difference: int
    pct: int | None
    partial: bool


def _change(built: Report) -> Change:
    """Against the previous period; a journal younger than that period has nothing to compare."""
    previous = built.period.previous()
    if built.journal_start > previous.end:
        return Change("none", 0, None, partial=False)
    difference = built.incidents - built.previous_incidents
    direction = "up" if difference > 0 else "down" if difference < 0 else "same"
    pct = percent(abs(difference), built.previous_incidents) if built.previous_incidents else None
    return Change(direction, abs(difference), pct, partial=built.journal_start > previous.start)


@dataclass(frozen=True)
class FlagView:
    flag: Flag
    url: str
    link_text: str


def _flag_view(dog: Dog, built: Report, flag: Flag) -> FlagView:
    """The flag with a link to exactly its leans in the journal (or a filter, when they are many)."""
    base = reverse("journal:incident-list", args=[dog.pk])
    count = len(flag.incident_ids)
    noun = "lean" if count == 1 else "leans"
    if count <= MAX_IDS_IN_LINK:
        query = {"ids": ",".join(str(pk) for pk in flag.incident_ids)}
        text = f"See {'this' if count == 1 else 'these'} {count} {noun} in the journal"
    else:
        query = {
            "start": built.period.start.isoformat(),
            "end": built.period.end.isoformat(),
            **{key: str(value) for key, value in flag.journal_filter.items()},
        }
        text = (
            f"See these {count} {noun} in the journal"
            if flag.journal_filter_exact
            else "See the related leans of this period in the journal"
        )
    return FlagView(flag, f"{base}?{urlencode(query)}", text)


@dataclass(frozen=True)
class BreakdownRow:
    code: str
    label: str
    count: int
    pct: int


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    icon: str
    rows: list[BreakdownRow]
    note: str
    empty: str
    unnoted: int

    @property
    def rows_html(self) -> SafeString:
        return format_html_join(
            "",
            '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end">{}</td>'
            '<td class="text-end">{}%</td></tr>',
            ((row.label, row.count, row.pct) for row in self.rows),
        )


def _rows(counts: dict[str, int], labels: dict[str, str], n: int) -> list[BreakdownRow]:
    return [
        BreakdownRow(code, labels.get(code, code), count, percent(count, n)) for code, count in counts.items()
    ]


def _breakdowns(built: Report) -> list[Breakdown]:
    n = built.incidents
    several = "A lean can have several, so the shares can add up to more than 100%."
    one_each = "Shares of all leans in the period."
    activities_noted = sum(built.owner_activities.values())
    responses_noted = sum(built.owner_responses.values())
    return [
        Breakdown(
            "signs",
            "How the dog looked",
            "bi-eye",
            _rows(built.signs, dict(Sign.choices), n),
            several,
            "No signs were noted.",
            0,
        ),
        Breakdown(
            "triggers",
            "What was going on",
            "bi-lightning",
            _rows(built.triggers, dict(Trigger.choices), n),
            several,
            "No triggers were noted.",
            0,
        ),
        Breakdown(
            "locations",
            "Where",
            "bi-geo-alt",
            _rows(built.locations, dict(Location.choices), n),
            one_each,
            "",
            0,
        ),
        Breakdown(
            "owner_activities",
            "What you were doing",
            "bi-person-walking",
            _rows(built.owner_activities, dict(OwnerActivity.choices), n),
            one_each,
            "What you were doing was not noted.",
            n - activities_noted,
        ),
        Breakdown(
            "owner_responses",
            "How you answered",
            "bi-chat-heart",
            _rows(built.owner_responses, dict(OwnerResponse.choices), n),
            one_each,
            "How you answered was not noted.",
            n - responses_noted,
        ),
    ]


# The tables' rows are plain strings: integers and fixed markup, nothing to escape. Built this
# way they cost a fraction of a template loop, which localizes every number it prints.


def _heat_rows_html(built: Report) -> SafeString:
    """A row per band of HOURS_PER_BAND hours: a cell per weekday, darker with more leans, then the total."""
    bands = []
    for first in range(0, 24, HOURS_PER_BAND):
        hours = range(first, first + HOURS_PER_BAND)
        counts = [sum(built.heat[day][hour] for hour in hours) for day in range(7)]
        bands.append((f"{first:02d}–{first + HOURS_PER_BAND:02d}", counts))
    top = max((max(counts) for _, counts in bands), default=0)

    def bucket(count: int) -> int:
        # 0 for none, then 1..HEAT_BUCKETS by the share of the busiest cell, rounded up.
        return -(-count * HEAT_BUCKETS // top) if top else 0

    return format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}<td class="ll-heat-total">{}</td></tr>',
        (
            (
                label,
                format_html_join("", '<td class="ll-heat-{}">{}</td>', ((bucket(n), n) for n in counts)),
                sum(counts),
            )
            for label, counts in bands
        ),
    )


def _heat_totals_html(built: Report) -> SafeString:
    cells = format_html_join("", '<td class="ll-heat-total">{}</td>', ((n,) for n in built.by_weekday))
    return format_html(
        '<tr><th scope="row">All</th>{}<td class="ll-heat-total">{}</td></tr>', cells, built.incidents
    )


def _weekly_rows_html(built: Report) -> SafeString:
    def mean(week: Week) -> str:
        return "–" if week.mean_intensity is None else f"{week.mean_intensity:.1f}"

    return format_html_join(
        "",
        '<tr><th scope="row" class="fw-normal"><time datetime="{}">{}</time></th>'
        '<td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (
            (
                week.week_start.isoformat(),
                f"{week.week_start:%a} {week.week_start.day} {week.week_start:%b %Y}",
                week.incidents,
                mean(week),
            )
            for week in built.weekly
        ),
    )


def _intensity_label(mean: float | None) -> str:
    """The name of the nearest intensity, to read after "about a"."""
    if mean is None:
        return ""
    return INTENSITY_WORDS[min(5, max(1, int(mean + 0.5)))]


def _chart_data(built: Report, breakdowns: list[Breakdown]) -> dict[str, object]:
    """What report.js draws; it reaches the page through json_script only (CSP)."""
    return {
        "weekly": {
            "labels": [f"{week.week_start.day} {week.week_start:%b}" for week in built.weekly],
            "starts": [week.week_start.isoformat() for week in built.weekly],
            "incidents": [week.incidents for week in built.weekly],
            "meanIntensity": [week.mean_intensity for week in built.weekly],
        },
        "breakdowns": {
            part.key: {
                "labels": [row.label for row in part.rows],
                "counts": [row.count for row in part.rows],
                "pcts": [row.pct for row in part.rows],
            }
            for part in breakdowns
        },
    }
