"""Every form that adds or changes something sums up a refusal the same way above it.

The same sentence (nothing was saved, the rest is kept), and each answer to fix as a link to the
place on the page where it is marked.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import a_lean, page, select, select_one

SENTENCE = "Nothing was saved yet. Please fix the answer marked below; everything else you typed is kept."

# (the form's address, what is posted: one answer wrong, the label its link names)
REFUSED = {
    "lean": ("journal:incident-create", a_lean(occurred_at="soon"), "When"),
    "dog": ("dogs:dog-create", {"name": "", "size": "medium", "birth_date": "2020-01-01"}, "Name"),
    "event": (
        "journal:event-create",
        {"kind": "diet", "title": "", "started_on": "2026-11-01"},
        "What it is",
    ),
    "weighing": ("journal:weight-create", {"weight_kg": "900", "measured_on": ""}, "Weight (kg)"),
    "check-in": ("journal:checkin-create", {"date": "soon"}, None),
}


@pytest.mark.parametrize("form", list(REFUSED))
def test_it_sums_up_a_refusal_in_the_same_words_with_links_that_lead_somewhere(owner_client, dog, form):
    name, posted, label = REFUSED[form]
    url = reverse(name) if name == "dogs:dog-create" else reverse(name, args=[dog.pk])

    response = owner_client.post(url, posted)

    summary = select_one(response, "#form-errors")
    assert summary is not None and summary.get("role") == "alert"
    assert SENTENCE in " ".join(summary.text.split())
    links = select(response, "#form-errors li a")
    assert len(links) == 1
    if label:
        assert links[0].text.strip() == label
    target = links[0].get("href", "").removeprefix("#")
    assert target and page(response).select_one(f"#{target}") is not None


def test_it_shows_no_summary_on_a_fresh_form(owner_client, dog):
    fresh = (
        reverse("journal:incident-create", args=[dog.pk]),
        reverse("journal:event-create", args=[dog.pk]),
    )
    for url in fresh:
        assert select_one(owner_client.get(url), "#form-errors") is None


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Weight in kg"), ("de", "Gewicht in kg"), ("es", "Peso en kg")]
)
def test_it_names_an_optional_field_to_fix_without_its_optional(owner, client, language, label):
    owner.language = language
    owner.save()
    client.force_login(owner)

    response = client.post(
        reverse("dogs:dog-create"),
        {"name": "Rex", "size": "medium", "birth_date": "2020-01-01", "weight_kg": "-3"},
    )

    links = select(response, "#form-errors li a")
    assert [link.text.strip() for link in links] == [label]
    # The field itself still says it may be left empty.
    assert f"{label} (" in select_one(response, 'label[for="id_weight_kg"]').text
