"""The static files as production serves them: whitenoise's compressed files under hashed names."""

from __future__ import annotations

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Brotli at its best (quality 11) takes about 2 s a megabyte. The files above this size are
# vendored bundles no page of the journal loads (the API docs' Swagger UI, the admin's and the
# docs' helpers): brotli 9 packs them less than a tenth bigger in a twentieth of the time, so that
# `make run`'s first collectstatic takes about 2 s rather than 5.
LARGE_FILE_BYTES = 256 * 1024
LARGE_FILE_BROTLI_QUALITY = 9


class QuickerOnLargeFiles(Compressor):
    """whitenoise's compressor, at brotli's best quality for every file but the large bundles."""

    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        if len(data) <= LARGE_FILE_BYTES:
            return Compressor.compress_brotli(data)
        import brotli  # only called when whitenoise found brotli installed

        return brotli.compress(data, quality=LARGE_FILE_BROTLI_QUALITY)


class StaticFiles(CompressedManifestStaticFilesStorage):
    """Each file's URL worked out once per process, then remembered.

    Every page asks for the same few URLs (a dog's page for the icon sprite alone some fifteen
    times), and each costs a manifest lookup and a URL join. The manifest is read when the process
    starts and does not change while it runs (a deployment restarts it), so neither does a URL; a
    change of settings in the tests makes a new storage, with nothing remembered.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def create_compressor(self, **kwargs) -> Compressor:
        return QuickerOnLargeFiles(**kwargs)

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
