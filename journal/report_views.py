"""The pattern report of one dog: the page and the same numbers as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from dogs.access import get_dog_for, refuse_other_methods
from dogs.models import Dog
from journal.flags import Flag, percent
from journal.forms import PeriodForm
from journal.report import (
    DEFAULT_DAYS,
    PRESET_DAYS,
    WEEKDAYS,
    Breakdown,
    Report,
    breakdowns,
    change_of,
    heat_bands,
    intensity_word,
    verdict_of,
)
from journal.report_cache import REPORT_CACHE_SECONDS, cached_report

# Past this many leans the journal link filters instead of listing ids: URLs have limits.
MAX_IDS_IN_LINK = 100


@login_required
def report_json(request: HttpRequest, dog_id: int) -> HttpResponse:
    """The report as DOMAIN.md's contract; a bad period answers 400 with the reasons."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    form = PeriodForm(request.GET or None, timezone.localdate())
    if form.is_bound and not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    _, built = cached_report(dog, form.period(), form.today, timezone.get_current_timezone())
    return JsonResponse(built.as_json())


@login_required
def report_page(request: HttpRequest, dog_id: int) -> HttpResponse:
    """The report page: flags first, then what the leaning is about, then the charts.

    The report's part of the page is rendered once per report (see journal.report_cache) and
    without the request; the header, the period picker and the layout around it (user menu,
    messages, CSRF tokens) are rendered on every request.
    """
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    form = PeriodForm(request.GET or None, timezone.localdate())
    period = form.period()
    key, built = cached_report(dog, period, form.today, timezone.get_current_timezone())
    body, chart_data = rendered_report(dog, key, built)
    context = {
        "dog": dog,
        "form": form,
        "period": period,
        "today": form.today,
        "period_errors": [str(m) for errors in form.errors.values() for m in errors] if form.is_bound else [],
        "presets": _presets(form),
        # The report keeps acknowledged flags: the verdict names them with the day they were handled.
        "verdict": verdict_of(built),
        # Rendered by _render_report from our own templates and data, escaped there.
        "report_body": mark_safe(body),
        "chart_data": mark_safe(chart_data),
    }
    return render(request, "journal/report.html", context)


def rendered_report(dog: Dog, key: str, built: Report, shared: bool = False) -> tuple[str, str]:
    """The report's part of the page and its chart data, from the cache when it is there."""
    page_key = f"{key}:{'shared-page' if shared else 'page'}"
    rendered = cache.get(page_key)
    if rendered is None:
        rendered = _render_report(dog, built, shared)
        cache.set(page_key, rendered, REPORT_CACHE_SECONDS)
    return rendered


def _render_report(dog: Dog, built: Report, shared: bool = False) -> tuple[str, str]:
    """The report's part of the page and its chart data script, rendered without the request.

    Nothing of the session (a CSRF token, the user menu, messages) can end up in a cached copy.
    A shared copy (the vet's link) has no link into the journal.
    """
    parts = breakdowns(built)
    context = {
        "dog": dog,
        "shared": shared,
        "report": built,
        "change": change_of(built),
        "flags": [FlagView(flag, "", "") if shared else _flag_view(dog, built, flag) for flag in built.flags],
        "reasons": sorted(built.reasons, key=lambda reason: -reason.count),
        "quiet_reasons": [reason for reason in built.reasons if not reason.count],
        "unexplained_pct": percent(built.unexplained, built.incidents),
        "breakdowns": parts,
        "heat_bands": heat_bands(built),
        "weekdays": WEEKDAYS,
        "intensity_label": intensity_word(built.mean_intensity),
    }
    body = render_to_string("journal/_report_body.html", context)
    # What report.js draws; it reaches the page through json_script only (CSP).
    chart_data = json_script(_chart_data(built, parts), "report-data")
    return str(body), str(chart_data)


def _presets(form: PeriodForm) -> list[tuple[int, bool]]:
    """(days, chosen) for the period picker's buttons."""
    chosen = None
    if not form.is_custom:
        chosen = (form.cleaned_data.get("days") if form.is_valid() else None) or DEFAULT_DAYS
    return [(days, days == chosen) for days in PRESET_DAYS]


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


def _chart_data(built: Report, parts: list[Breakdown]) -> dict[str, object]:
    """What report.js draws."""
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
            for part in parts
        },
    }
