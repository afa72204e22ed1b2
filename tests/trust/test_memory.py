"""The serving process collects its garbage as config/memory.py says."""

from __future__ import annotations

import gc
import json

from config import memory
from tests.trust.support import run_python, subprocess_env

READ_THE_COLLECTOR = (
    "import gc, json, config.wsgi; "
    "print(json.dumps({'threshold': gc.get_threshold(), 'frozen': gc.get_freeze_count()}))"
)


def test_the_wsgi_app_settles_the_collector_once_loaded(tmp_path) -> None:
    env = subprocess_env(DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    done = run_python(["-c", READ_THE_COLLECTOR], env)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["threshold"] == [memory.YOUNG_THRESHOLD, memory.OLDER_THRESHOLD, memory.OLDER_THRESHOLD]
    # Django, the app and their modules are out of the collector's sight.
    assert found["frozen"] > 10_000


def test_settle_freezes_what_is_loaded_and_collects_less_often() -> None:
    before = gc.get_threshold()
    try:
        memory.settle()
        assert gc.get_threshold() == (memory.YOUNG_THRESHOLD, memory.OLDER_THRESHOLD, memory.OLDER_THRESHOLD)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
