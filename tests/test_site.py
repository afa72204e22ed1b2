"""The site as a phone sees it: the web app manifest and its icons."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from whitenoise.storage import CompressedManifestStaticFilesStorage

from config.storage import LARGE_FILE_BROTLI_QUALITY, LARGE_FILE_BYTES, StaticFiles


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


def test_production_works_out_each_static_url_once(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"img/icons.svg": "img/icons.0123abcd.svg"}, "version": "1.1", "hash": "x"})
    )
    storage = StaticFiles(location=tmp_path, base_url="/static/")
    asked: list[str] = []
    work_out = CompressedManifestStaticFilesStorage.url
    monkeypatch.setattr(
        CompressedManifestStaticFilesStorage,
        "url",
        lambda self, name, force=False: asked.append(name) or work_out(self, name, force),
    )

    urls = [storage.url("img/icons.svg") for _ in range(3)]

    assert urls == ["/static/img/icons.0123abcd.svg"] * 3
    assert asked == ["img/icons.svg"]
    # A name the manifest lacks is an error every time, never remembered as a URL.
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("img/missing.svg")


def test_it_packs_the_pages_files_at_brotlis_best_and_only_the_large_bundles_quicker(tmp_path) -> None:
    brotli = pytest.importorskip("brotli")
    compressor = StaticFiles(location=tmp_path, base_url="/static/").create_compressor(quiet=True)
    # Text that brotli's best quality packs tighter than quality 9 does.
    words = " ".join(f"lean{n % 997} dog{n % 89} the{n % 13}" for n in range(60_000)).encode()
    small, large = words[: 64 * 1024], words[: LARGE_FILE_BYTES * 3]
    assert len(large) > LARGE_FILE_BYTES
    assert compressor.compress_brotli(small) == brotli.compress(small)
    assert compressor.compress_brotli(large) == brotli.compress(large, quality=LARGE_FILE_BROTLI_QUALITY)
    assert brotli.decompress(compressor.compress_brotli(large)) == large


def test_the_bootstrap_subset_holds_every_rule_the_pages_use() -> None:
    """A Bootstrap class used in a template since the subset was last made would style nothing
    (the check-in button's icon once touched its words for want of .d-inline-flex)."""
    tool = runpy.run_path(str(Path(__file__).resolve().parents[1] / "tools" / "trim_bootstrap.py"))
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", tool["SOURCE"].read_text())
    wanted = tool["trim"](css, tool["used_words"]()) + "\n"
    assert tool["TARGET"].read_text() == wanted, "Run python tools/trim_bootstrap.py and commit the subset."
