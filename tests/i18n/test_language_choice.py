"""Whose language a page speaks: a person's choice, else the browser's; the vet's browser on a shared link."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Owner
from journal.models import Incident
from journal.vocabulary import Sign
from tests.helpers import field_error, make_incident, make_share, select, select_one, selected_option, utc

SETTINGS = reverse("dogs:account-settings")


def lang_of(response) -> str:
    return select_one(response, "html").get("lang")


def settings_form(owner: Owner, **changes: str) -> dict[str, str]:
    data = {"time_zone": owner.time_zone, "email": owner.email, "reminder_time": "", "theme": owner.theme}
    data.update(changes)
    return data


def test_a_new_person_follows_the_browser(owner_client) -> None:
    assert lang_of(owner_client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")) == "es"
    assert lang_of(owner_client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="de-AT")) == "de"
    # A language Leanlog does not speak falls back to English.
    assert lang_of(owner_client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="fr")) == "en"


def test_the_settings_page_offers_each_language_by_its_own_name_or_the_browsers(
    owner_client,
) -> None:
    response = owner_client.get(SETTINGS)
    options = [
        (o.get("value"), o.text) for o in select_one(response, 'select[name="language"]').select("option")
    ]
    assert options[1:] == [("en", "English"), ("de", "Deutsch"), ("es", "Español")]
    assert options[0][0] == ""
    assert selected_option(response, "language") == ""


def test_a_chosen_language_wins_over_the_browser_on_every_page(owner, owner_client, dog) -> None:
    response = owner_client.post(SETTINGS, settings_form(owner, language="de"))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.language == "de"
    for url in (SETTINGS, reverse("dogs:home"), reverse("dogs:dog-detail", args=[dog.pk])):
        response = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert lang_of(response) == "de"
        assert response["Content-Language"] == "de"


def test_the_message_after_saving_a_new_language_is_in_that_language(owner, owner_client) -> None:
    response = owner_client.post(
        SETTINGS, settings_form(owner, language="es"), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert lang_of(response) == "es"
    alert = select_one(response, ".ll-messages").text
    assert "Tus ajustes están guardados." in alert
    assert "saved" not in alert


def test_following_the_browser_again_is_a_blank_choice(owner, owner_client) -> None:
    Owner.objects.filter(pk=owner.pk).update(language="es")
    owner_client.post(SETTINGS, settings_form(owner, language=""))
    owner.refresh_from_db()
    assert owner.language == ""
    assert lang_of(owner_client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="de")) == "de"


def test_a_form_posted_without_the_field_keeps_the_choice(owner, owner_client) -> None:
    Owner.objects.filter(pk=owner.pk).update(language="es")
    owner_client.post(SETTINGS, settings_form(owner, time_zone="Europe/Berlin"))
    owner.refresh_from_db()
    assert (owner.time_zone, owner.language) == ("Europe/Berlin", "es")


def test_an_unknown_language_is_refused_next_to_the_field_and_changes_nothing(owner, owner_client) -> None:
    response = owner_client.post(SETTINGS, settings_form(owner, language="fr", time_zone="Europe/Berlin"))
    assert response.status_code == 200
    assert field_error(response, "language")
    owner.refresh_from_db()
    assert (owner.time_zone, owner.language) == ("Europe/London", "")


def test_the_vets_link_follows_the_vets_browser_not_the_owners_choice(owner, dog) -> None:
    Owner.objects.filter(pk=owner.pk).update(language="de")
    _share, token = make_share(dog)
    url = reverse("shared-report", args=[token])
    assert lang_of(Client().get(url, HTTP_ACCEPT_LANGUAGE="es")) == "es"
    assert lang_of(Client().get(url, HTTP_ACCEPT_LANGUAGE="en-GB")) == "en"


def _trembling_dog(dog) -> None:
    # Frequent and trembling: the anxiety flag, with its title, evidence and advice.
    now = timezone.now()
    for day in range(1, 9):
        make_incident(dog, occurred_at=now - dt.timedelta(days=day, hours=1), signs=[Sign.TREMBLING])


def _shape(value):
    """The JSON with every human sentence blanked: codes, keys and numbers only."""
    if isinstance(value, dict):
        return {
            k: ("…" if k in {"title", "evidence", "advice", "text", "label", "summary"} else _shape(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return value


def test_report_json_keeps_codes_and_keys_and_translates_its_sentences(owner_client, dog) -> None:
    _trembling_dog(dog)
    url = reverse("journal:report-json", args=[dog.pk])
    english = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    german = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de").json()
    assert _shape(german) == _shape(english)
    codes = [flag["code"] for flag in english["flags"]]
    assert "anxiety" in codes
    for en_flag, de_flag in zip(english["flags"], german["flags"], strict=True):
        assert en_flag["title"] != de_flag["title"]
        assert en_flag["advice"] != de_flag["advice"]


def test_the_cached_report_is_kept_apart_for_each_language(owner_client, dog) -> None:
    _trembling_dog(dog)
    url = reverse("journal:report", args=[dog.pk])
    german = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Keep an eye on it" in english
    assert "Keep an eye on it" not in german
    assert "Keep an eye on it" not in spanish
    assert german != spanish


def test_the_scripts_catalogue_speaks_the_pages_language(owner_client) -> None:
    german = owner_client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = owner_client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "django.gettext = function" in german
    # German messages are in the German catalogue only.
    assert len(german) > len(english)


def test_dates_follow_the_language(owner, owner_client, dog) -> None:
    make_incident(dog, occurred_at=utc(2026, 3, 5, 9))
    Incident.objects.update(occurred_at=utc(2026, 3, 5, 9))
    url = reverse("journal:incident-list", args=[dog.pk])
    assert "Mar" in owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "März" in owner_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "mar" in owner_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_shares_are_written_as_each_language_writes_them() -> None:
    from django.template import Context, Template
    from django.utils import translation

    from journal.report.charts import per_cent

    template = Template("{% load words %}{{ 64|percent }}")
    shares = {}
    for language in ("en", "de", "es"):
        with translation.override(language):
            shares[language] = (per_cent(64), template.render(Context()))
    # A no-break space in German and Spanish: "64" and "%" never part at a line's end (a narrow column).
    assert shares == {
        "en": ("64%", "64%"),
        "de": ("64\u00a0%", "64\u00a0%"),
        "es": ("64\u00a0%", "64\u00a0%"),
    }


def test_the_report_tables_write_dates_in_each_languages_order() -> None:
    from django.utils import translation

    from journal.report.charts import short_date

    written = {}
    for language in ("en", "de", "es"):
        with translation.override(language):
            written[language] = [short_date(dt.date(2026, month, 7)) for month in (12, 5, 9)]
    # German abbreviates a month with a full stop, and writes May and the short names whole.
    assert written == {
        "en": ["Mon 7 Dec 2026", "Thu 7 May 2026", "Mon 7 Sep 2026"],
        "de": ["Mo, 7. Dez. 2026", "Do, 7. Mai 2026", "Mo, 7. Sept. 2026"],
        "es": ["lun 7 dic 2026", "jue 7 may 2026", "lun 7 sep 2026"],
    }


def test_the_scripts_catalogue_is_the_language_its_address_names(db) -> None:
    # The service worker keeps the catalogue by its address: the address alone must say which.
    url = reverse("javascript-catalog") + "?lang=de"
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "de"
    assert "Kopiert" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert response.has_header("Last-Modified")
    # An unknown code is no language: the request's own then.
    unknown = Client().get(reverse("javascript-catalog") + "?lang=xx", HTTP_ACCEPT_LANGUAGE="es")
    assert "Copiado" in unknown.content.decode()


def test_the_time_zone_regions_are_named_in_the_language(owner_client) -> None:
    response = owner_client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE="de")
    groups = [group.get("label") for group in select(response, 'select[name="time_zone"] optgroup')]
    assert "Europa" in groups
    assert "Europe" not in groups


def test_the_dog_form_names_every_field_in_german(owner, owner_client) -> None:
    owner.language = "de"
    owner.save(update_fields=["language"])
    form = owner_client.get(reverse("dogs:dog-create"))

    labels = [" ".join(label.text.split()) for label in select(form, "form.ll-form label")]
    assert "Rasse" in labels and "Breed" not in labels


def test_the_reasons_nothing_pointed_to_are_written_as_german_writes_them_in_a_sentence(
    owner, owner_client, dog
) -> None:
    owner.language = "de"
    owner.save(update_fields=["language"])
    make_incident(dog, timezone.now() - dt.timedelta(hours=2), signs=[Sign.RELAXED])

    page = " ".join(owner_client.get(reverse("journal:report", args=[dog.pk])).content.decode().split())

    # Nouns keep their capital, an adjective at the start loses it; every reason is a noun phrase.
    assert "Nichts sprach für: Begrüßung, Suche nach Sicherheit, Angst, Suche nach Aufmerksamkeit, " in page
    assert "Anspruch auf seinen Menschen bei anderen Hunden, körperlicher Halt, Juckreiz" in page
