"""gunicorn's workers collect garbage as config/serving/memory.py says; other processes keep the defaults."""

from __future__ import annotations

import gc
import json
import runpy

from django.conf import settings
from gunicorn.config import Config

from config.serving import memory
from tests.trust.support import run_python, subprocess_env

SETTLED = (memory.YOUNG_THRESHOLD, memory.OLDER_THRESHOLD, memory.OLDER_THRESHOLD)


def test_a_gunicorn_worker_settles_the_collector_once_it_has_the_app() -> None:
    config = Config()
    for name, value in runpy.run_path(str(settings.BASE_DIR / "config" / "serving" / "gunicorn.py")).items():
        if name in config.settings:
            config.set(name, value)
    before = gc.get_threshold()
    try:
        config.post_worker_init(None)  # as gunicorn calls it, in the worker
        assert gc.get_threshold() == SETTLED
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_importing_the_wsgi_app_leaves_the_collector_as_python_sets_it(tmp_path) -> None:
    """The suite's live server and `make dev` import it too: their threads' leftovers go at once."""
    env = subprocess_env(DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    read = "import gc, json, config.serving.wsgi; print(json.dumps(gc.get_threshold()))"
    done = run_python(["-c", read], env)
    assert done.returncode == 0, done.stderr
    assert tuple(json.loads(done.stdout.strip().splitlines()[-1])) != SETTLED
