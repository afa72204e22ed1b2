"""The static files as production serves them: whitenoise's compressed files under hashed names."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


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

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
