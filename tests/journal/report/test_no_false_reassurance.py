"""No page reassures about a journal too small to say anything: 0 to 3 leans, any content."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dogs.models import Dog, Size
from journal.models import Incident
from journal.vocabulary import Location, Outcome, OwnerActivity, Sign, Trigger
from tests.helpers import make_owner, text

FORBIDDEN = ("no concerns", "good news")

a_lean = st.fixed_dictionaries(
    {
        "hours_ago": st.integers(min_value=1, max_value=24 * 29),
        "intensity": st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
        "location": st.sampled_from(["", *Location.values]),
        "owner_activity": st.sampled_from(["", *OwnerActivity.values]),
        "outcome": st.sampled_from(["", *Outcome.values]),
        "signs": st.lists(st.sampled_from(Sign.values), unique=True, max_size=4),
        "triggers": st.lists(st.sampled_from(Trigger.values), unique=True, max_size=2),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    leans=st.lists(a_lean, max_size=3),
    size=st.sampled_from(Size.values),
    age_years=st.integers(min_value=0, max_value=14),
    journal_days=st.integers(min_value=0, max_value=400),
)
def test_it_never_says_no_concerns_or_good_news_about_three_leans_or_fewer(
    db, leans, size, age_years, journal_days
) -> None:
    owner = make_owner("hypo")
    try:
        now = timezone.now()
        dog = Dog.objects.create(
            owner=owner,
            name="Scout",
            size=size,
            birth_date=timezone.localdate() - dt.timedelta(days=365 * age_years + 30),
            created_at=now - dt.timedelta(days=journal_days),
        )
        for lean in leans:
            fields = dict(lean)
            Incident.objects.create(
                dog=dog, occurred_at=now - dt.timedelta(hours=fields.pop("hours_ago")), **fields
            )
        client = Client()
        client.force_login(owner)
        for url in (
            "/",
            reverse("dogs:dog-detail", args=[dog.pk]),
            reverse("journal:report", args=[dog.pk]),
            reverse("journal:report", args=[dog.pk]) + "?days=7",
        ):
            page = text(client.get(url)).lower()
            assert not any(words in page for words in FORBIDDEN), url
    finally:
        owner.delete()
