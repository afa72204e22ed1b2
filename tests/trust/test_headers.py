"""Security headers on every page: a strict CSP, the browser hardening set, no stored private pages."""

from __future__ import annotations

import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import make_owner, with_second_factor
from tests.trust.support import Journals, routes_with_ids, signed_in_routes, url_for

UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_hardened(response) -> None:
    csp = policy(response)
    for directive in ("script-src", "style-src"):
        # A missing directive falls back to default-src, which must then be as strict.
        sources = set(csp.get(directive, csp["default-src"]))
        assert not sources & UNSAFE_SOURCES, f"{directive} allows {sources & UNSAFE_SOURCES}"
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert_no_features(response)


def assert_no_features(response) -> None:
    """Permissions-Policy denies every powerful feature the app never uses."""
    header = response.headers.get("Permissions-Policy", "")
    denied = {part.strip().removesuffix("=()") for part in header.split(",") if part.strip().endswith("=()")}
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= denied, header
    assert "*" not in header


def assert_private(response) -> None:
    assert response.headers.get("Cache-Control") == "private, no-store", (
        f"{response.request['PATH_INFO']} sent Cache-Control {response.headers.get('Cache-Control')!r}"
    )


@pytest.mark.parametrize(
    "name", ["login", "dogs:signup", "password_reset", "password_reset_done", "admin:login"]
)
def test_it_hardens_every_public_page(client, db, name) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_hardened(response)


def test_it_hardens_every_signed_in_page(owner_client, journals: Journals) -> None:
    for route in signed_in_routes():
        path = url_for(route, journals.dog, journals.incident) if route.kwargs else reverse(route.name)
        response = owner_client.get(path)

        assert response.status_code in {200, 405}, f"{route} answered {response.status_code}"
        assert_hardened(response)


def test_it_hardens_the_admin(db) -> None:
    admin = make_owner("keeper")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = with_second_factor(Client(), admin)

    for path in (reverse("admin:index"), reverse("admin:dogs_dog_changelist")):
        response = client.get(path)

        assert response.status_code == 200
        assert_hardened(response)


def test_it_hardens_the_not_found_page(stranger_client, journals: Journals) -> None:
    response = stranger_client.get(reverse("dogs:dog-detail", args=[journals.dog.pk]))

    assert response.status_code == 404
    assert_hardened(response)


def test_it_hardens_the_redirect_to_sign_in(client, journals: Journals) -> None:
    response = client.get(url_for(routes_with_ids()[0], journals.dog, journals.incident))

    assert response.status_code == 302
    assert_hardened(response)


def test_it_keeps_every_signed_in_answer_out_of_every_cache(owner_client, journals: Journals) -> None:
    # Pages, report.json and the CSV export alike: the walker visits every signed-in route.
    kinds = set()
    for route in signed_in_routes():
        path = url_for(route, journals.dog, journals.incident) if route.kwargs else reverse(route.name)
        response = owner_client.get(path)

        assert_private(response)
        kinds.add(response.headers["Content-Type"].split(";")[0])
    assert {"text/html", "application/json", "text/csv"} <= kinds


def test_it_keeps_a_signed_in_form_post_out_of_every_cache(owner_client, journals: Journals) -> None:
    response = owner_client.post(reverse("dogs:account-settings"), {"time_zone": "Europe/London"})

    assert response.status_code == 302
    assert_private(response)


def test_it_empties_the_browsers_cache_on_sign_out(owner_client) -> None:
    response = owner_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert_private(response)


def test_it_clears_nothing_on_an_ordinary_signed_in_page(owner_client) -> None:
    response = owner_client.get(reverse("dogs:home"))

    assert "Clear-Site-Data" not in response.headers


# Compression: pages and JSON gzipped for browsers that ask, each with random padding (BREACH).


def test_it_compresses_pages_and_json_for_a_browser_that_accepts_gzip(
    owner_client, journals: Journals
) -> None:
    for path in (
        reverse("journal:incident-list", args=[journals.dog.pk]),
        reverse("journal:report-json", args=[journals.dog.pk]),
    ):
        plain = owner_client.get(path)
        packed = owner_client.get(path, headers={"Accept-Encoding": "gzip, br"})

        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert_private(packed)
        assert len(gzip.decompress(packed.content)) > 2 * len(packed.content)


def test_it_gzips_the_report_page_around_its_body_compressed_once(owner_client, journals: Journals) -> None:
    path = reverse("journal:report", args=[journals.dog.pk])
    plain = owner_client.get(path)  # builds the report and keeps its compressed body
    packed = [owner_client.get(path, headers={"Accept-Encoding": "gzip"}) for _ in range(8)]

    assert packed[0].headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed[0].headers["Vary"]
    assert_private(packed[0])
    # One valid gzip stream, the page the plain answer holds apart from its CSRF tokens.
    pages = [gzip.decompress(response.content).decode() for response in packed]
    assert all(_without_tokens(page) == _without_tokens(plain.content.decode()) for page in pages)
    assert len({len(response.content) for response in packed}) > 1


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_it_pads_each_compressed_page_differently(owner_client, journals: Journals) -> None:
    path = reverse("journal:incident-list", args=[journals.dog.pk])
    sizes = {len(owner_client.get(path, headers={"Accept-Encoding": "gzip"}).content) for _ in range(8)}
    assert len(sizes) > 1


def test_it_leaves_a_zip_download_as_it_is(owner_client, journals: Journals) -> None:
    archive = owner_client.get(reverse("journal:account-export"), headers={"Accept-Encoding": "gzip"})
    assert archive.headers["Content-Type"] == "application/zip"
    assert "Content-Encoding" not in archive.headers
