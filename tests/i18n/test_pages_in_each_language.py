"""Every main page in German and Spanish: none of the English page's sentences is left.

The demo account gives the pages everything they can show (flags, before/after, a shared dog,
weighings, a vet's note), so that the report's sentences are on the pages compared.
"""

from __future__ import annotations

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.story import DEMO_USERNAME
from dogs.models import Dog, Owner
from journal.models import Event, Incident
from sharing.models import VetNote
from tests.helpers import make_share

# Attributes a person reads or hears (a screen reader says aria-label and title).
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _Words(HTMLParser):
    """Each run of visible text and each read attribute of a page, whitespace collapsed (not code)."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: set[str] = set()
        # The read attributes alone: a label of one word ("Breadcrumb") is language too.
        self.labels: set[str] = set()
        self.skipping = 0
        self.in_zones = False
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The time zones' places are the time zone database's names, in English for everyone.
        if tag in {"script", "style", "svg", "template", "code", "pre"}:
            self.skipping += 1
        if tag == "select" and ("name", "time_zone") in attrs:
            self.in_zones = True
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.pieces.add(" ".join(value.split()))
                self.labels.add(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "svg", "template", "code", "pre"} and self.skipping:
            self.skipping -= 1
        if tag == "select":
            self.in_zones = False

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.in_zones and (piece := " ".join(data.split())):
            self.pieces.add(piece)


def words_of(html: str) -> _Words:
    parser = _Words()
    parser.feed(html)
    return parser


def sentences(pieces: set[str]) -> set[str]:
    """The pieces that are language: three words or more with letters in them."""
    return {piece for piece in pieces if len(piece.split()) >= 3 and sum(ch.isalpha() for ch in piece) >= 8}


@pytest.fixture
def demo(db) -> Owner:
    call_command("load_demo", stdout=StringIO())
    return Owner.objects.get(username=DEMO_USERNAME)


def user_content() -> list[str]:
    """What people typed (names, notes, titles): the same in every language, so not compared."""
    typed: list[str] = []
    typed += Dog.objects.values_list("name", flat=True)
    typed += [b for b in Dog.objects.values_list("breed", flat=True) if b]
    typed += [n for n in Dog.objects.values_list("notes", flat=True) if n]
    typed += [n for n in Incident.objects.values_list("notes", flat=True) if n]
    for title, notes in Event.objects.values_list("title", "notes"):
        typed += [title, *([notes] if notes else [])]
    typed += VetNote.objects.values_list("text", flat=True)
    typed += VetNote.objects.values_list("author", flat=True)
    return [t for t in typed if t]


def owner_pages(owner: Owner) -> list[str]:
    ruby = Dog.objects.get(name="Ruby")
    skye = Dog.objects.get(name="Skye")
    ruby_event = Event.objects.filter(dog=ruby).first()
    some_lean = Incident.objects.filter(dog=ruby).order_by("-occurred_at").first()
    pages = [reverse("dogs:home"), reverse("dogs:dog-create"), reverse("dogs:account-settings")]
    for dog in (ruby, skye):
        pages += [
            reverse("dogs:dog-detail", args=[dog.pk]),
            reverse("journal:report", args=[dog.pk]),
            reverse("journal:report", args=[dog.pk]) + "?days=365",
            reverse("journal:incident-list", args=[dog.pk]),
            reverse("journal:incident-create", args=[dog.pk]),
            reverse("journal:event-list", args=[dog.pk]),
            reverse("journal:event-create", args=[dog.pk]),
            reverse("journal:weight-list", args=[dog.pk]),
        ]
    pages += [
        reverse("journal:event-edit", args=[ruby.pk, ruby_event.pk]),
        reverse("journal:event-delete", args=[ruby.pk, ruby_event.pk]),
        reverse("journal:checkin-create", args=[ruby.pk]),
        reverse("journal:incident-edit", args=[ruby.pk, some_lean.pk]),
        reverse("journal:incident-delete", args=[ruby.pk, some_lean.pk]),
        reverse("journal:weight-delete", args=[ruby.pk, ruby.weights.first().pk]),
        reverse("journal:incident-import", args=[ruby.pk]),
        reverse("dogs:dog-edit", args=[ruby.pk]),
        reverse("dogs:dog-delete", args=[ruby.pk]),
        reverse("dogs:people", args=[skye.pk]),
        reverse("sharing:share-list", args=[ruby.pk]),
        reverse("two-factor"),
        reverse("journal:account-delete"),
        reverse("api:token-list"),
        reverse("password_change"),
    ]
    return pages


def vet_link() -> str:
    _share, token = make_share(Dog.objects.get(name="Ruby"))
    return reverse("shared-report", args=[token])


PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password_reset/", "/offline/"]


def english_left(client: Client, url: str, language: str, typed: list[str]) -> tuple[str, set[str]]:
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    translated = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert english.status_code == translated.status_code == 200, url
    ours = words_of(translated.content.decode())
    theirs = words_of(english.content.decode())
    left = sentences(theirs.pieces) & ours.pieces
    left |= {label for label in theirs.labels & ours.labels if sum(ch.isalpha() for ch in label) >= 3}
    return ours.lang, {s for s in left if not any(t in s for t in typed)}


@pytest.mark.parametrize("language", ["de", "es"])
def test_no_english_sentence_is_left_on_an_owners_pages(demo, language) -> None:
    client = Client()
    client.force_login(demo)
    typed = user_content()
    for url in owner_pages(demo):
        lang, left = english_left(client, url, language, typed)
        assert lang == language, url
        assert not left, (url, sorted(left))


@pytest.mark.parametrize("language", ["de", "es"])
def test_no_english_sentence_is_left_on_public_pages_and_the_vets_link(demo, language) -> None:
    link = vet_link()
    typed = user_content()
    for url in [*PUBLIC_PAGES, link]:
        lang, left = english_left(Client(), url, language, typed)
        assert lang == language, url
        assert not left, (url, sorted(left))
