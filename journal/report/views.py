"""The pattern report of one dog: the page and the same numbers as JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from config.middleware import spliced_page
from dogs.access import get_dog_for, refuse_other_methods
from dogs.models import Dog
from journal.forms import PeriodForm
from journal.report.cache import REPORT_CACHE_SECONDS, cached_report, report_key
from journal.report.numbers import DEFAULT_DAYS, PRESET_DAYS, Period, Verdict
from journal.report.rendering import owner_page_part


@login_required
def report_json(request: HttpRequest, dog_id: int) -> HttpResponse:
    """The report as report.json (docs/report-rules.md); a bad period answers 400 with the reasons."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    form = PeriodForm(request.GET or None, timezone.localdate())
    if form.is_bound and not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    _, built = cached_report(dog, form.period(), form.today, timezone.get_current_timezone())
    return JsonResponse(built.as_json())


# Where the report's body goes in the rendered page: a string no page otherwise holds.
REPORT_BODY_MARK = "<!--leanlog:report-body:6f1c0e2a-->"


@login_required
def report_page(request: HttpRequest, dog_id: int) -> HttpResponse:
    """The report page: flags first, then what the leaning is about, then the charts.

    The report's part of the page and its verdict are made once per report and kept (see
    journal.report.cache.cached_part), rendered without the request; so is the page's own
    content around them (header, period picker, footer), kept under everything it shows
    (page_content). Only the layout around it all (user menu, messages, CSRF tokens) is
    rendered on every request.
    """
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    form = PeriodForm(request.GET or None, timezone.localdate())
    period = form.period()
    zone = timezone.get_current_timezone()
    verdict, body, weighing = owner_page_part(dog, period, form.today, zone)
    # The header's life stage as the report counts it: by the latest weighing too.
    dog.weighed_kg = weighing[1] if weighing else None
    content = page_content(request, dog, form, period, verdict, weighing, zone)
    # The content is rendered from our own templates and data, escaped there; the report's body
    # is spliced in after the page around it is rendered, compressed as it was kept.
    head, tail = render_to_string(
        "journal/report.html", {"dog": dog, "content": mark_safe(content)}, request
    ).split(REPORT_BODY_MARK)
    return spliced_page(request, head, body, tail)


def page_content(
    request: HttpRequest,
    dog: Dog,
    form: PeriodForm,
    period: Period,
    verdict: Verdict,
    weighing: tuple[dt.date, Decimal] | None,
    zone: dt.tzinfo,
) -> str:
    """The report page's content around its body, rendered once for all it depends on.

    The key names each of them: the dog's row, the period, today and the zone (report_key), the
    reader's language and role (the share button is the owner's), the query as asked (the
    picker's state and errors), the verdict, the latest weighing the header gives, and the time
    zone the footer names.
    """
    asked = "&".join(sorted(request.GET.urlencode().split("&")))
    shown = "\x1f".join(
        (
            dog.role,
            asked,
            verdict.level,
            verdict.text,
            verdict.flag_code,
            repr(weighing),
            request.user.time_zone,
        )
    )
    digest = hashlib.blake2s(shown.encode(), digest_size=12).hexdigest()
    key = report_key(dog, period, form.today, zone, part=f"report-page-{digest}", stamp=0)
    content = cache.get(key)
    if content is None:
        context = {
            "dog": dog,
            "form": form,
            "period": period,
            "today": form.today,
            "period_errors": [str(m) for errors in form.errors.values() for m in errors]
            if form.is_bound
            else [],
            "presets": _presets(form),
            # The report keeps acknowledged flags: the verdict names them with the day they were handled.
            "verdict": verdict,
            "weighing": weighing,
            "time_zone": request.user.time_zone,
            "report_body": mark_safe(REPORT_BODY_MARK),
        }
        content = render_to_string("journal/_report_page.html", context)
        cache.set(key, content, REPORT_CACHE_SECONDS)
    return content


def _presets(form: PeriodForm) -> list[tuple[int, bool]]:
    """(days, chosen) for the period picker's buttons."""
    chosen = None
    if not form.is_custom:
        chosen = (form.cleaned_data.get("days") if form.is_valid() else None) or DEFAULT_DAYS
    return [(days, days == chosen) for days in PRESET_DAYS]
