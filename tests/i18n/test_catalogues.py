"""The German and Spanish catalogues are complete, consistent and up to date with the code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
# %(name)s in Python and templates; %(name)s too in the scripts (interpolate with named=true).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalogue(language: str, domain: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))


def entries(language: str, domain: str) -> list[polib.POEntry]:
    return [entry for entry in catalogue(language, domain) if not entry.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_is_translated_and_none_is_fuzzy(language, domain) -> None:
    found = entries(language, domain)
    assert found, "an empty catalogue"
    assert [e.msgid for e in found if not e.translated()] == []
    assert [e.msgid for e in found if e.fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_each_translation_keeps_the_placeholders_and_tags_of_its_message(language, domain) -> None:
    wrong = []
    for entry in entries(language, domain):
        if entry.msgid_plural:
            forms = list(entry.msgstr_plural.values())
            # Any plural form may drop the count ("one lean"): the names it uses must be the message's.
            wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            for form in forms:
                if not set(PLACEHOLDER.findall(form)) <= wanted:
                    wrong.append((entry.msgid, form))
            translations, sources = forms[-1:], [entry.msgid_plural]
        else:
            translations, sources = [entry.msgstr], [entry.msgid]
            if sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                wrong.append((entry.msgid, entry.msgstr))
        for source, translation in zip(sources, translations, strict=True):
            if sorted(TAG.findall(source)) != sorted(TAG.findall(translation)):
                wrong.append((source, translation))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plural_forms_are_those_of_djangos_own_catalogue(language) -> None:
    ours = catalogue(language, "django").metadata["Plural-Forms"]
    django_po = (
        Path(__import__("django").__file__).parent
        / "conf"
        / "locale"
        / language
        / "LC_MESSAGES"
        / "django.po"
    )
    theirs = polib.pofile(str(django_po)).metadata["Plural-Forms"]
    assert ours.replace(" ", "") == theirs.replace(" ", "")


def _comparable(po: polib.POFile) -> list[tuple]:
    return sorted(
        (
            e.msgctxt or "",
            e.msgid,
            e.msgid_plural or "",
            tuple(sorted(e.occurrences)),
            "python-format" in e.flags,
        )
        for e in po
        if not e.obsolete
    )


@pytest.mark.slow
def test_makemessages_finds_nothing_new(tmp_path) -> None:
    """`make messages` on the code as it is changes no catalogue: no message is left out of them."""
    copy = tmp_path / "leanlog"
    skip = shutil.ignore_patterns(
        ".*", "tests", "staticfiles", "node_modules", "__pycache__", "*.mo", "db.sqlite3*"
    )
    shutil.copytree(ROOT, copy, ignore=skip)
    makefile = (ROOT / "Makefile").read_text()
    arguments = re.search(r"MESSAGES_ARGS = (.*?)\nmessages:", makefile, re.S).group(1).replace("\\\n", " ")
    args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', arguments)]
    for domain in DOMAINS:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "--domain", domain, *args],
            cwd=copy,
            check=True,
            capture_output=True,
        )
    for language in LANGUAGES:
        for domain in DOMAINS:
            fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))
            assert _comparable(fresh) == _comparable(catalogue(language, domain)), (language, domain)
