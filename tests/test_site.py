"""The site as a phone sees it: the web app manifest and its icons."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.staticfiles import finders


def test_it_links_the_web_app_manifest_on_every_page(client, db) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials"' in html
    assert 'rel="apple-touch-icon" href="/static/img/apple-touch-icon.png"' in html


def test_it_ships_every_icon_the_manifest_names() -> None:
    manifest = json.loads(Path(finders.find("manifest.webmanifest")).read_text(encoding="utf-8"))
    assert manifest["name"] == "Leanlog" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        # Icon paths are relative to the manifest, which sits at the top of static/.
        assert finders.find(icon["src"]), icon["src"]


def test_it_serves_the_manifest_with_its_media_type(client, db) -> None:
    # Whitenoise serves static files in front of Django, in production as here.
    response = client.get("/static/manifest.webmanifest")
    response.close()
    assert response["Content-Type"] == "application/manifest+json"
