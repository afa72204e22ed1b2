"""The benchmarks' scratch database: a command runs again in a child on a throw-away SQLite file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

# Set only in the child: the path of the scratch file it may fill.
SCRATCH_DB_ENV = "LEANLOG_BENCH_DB"


def in_scratch_database() -> bool:
    return bool(os.environ.get(SCRATCH_DB_ENV))


def rerun_on_a_scratch_database(command: str, arguments: list[str]) -> None:
    """Run `manage.py command arguments` again with DATABASE_URL on a temporary SQLite file."""
    scratch = Path(tempfile.mkdtemp(prefix=f"leanlog-{command}-"))
    database = scratch / "bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", SCRATCH_DB_ENV: str(database)}
    try:
        result = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), command, *arguments],
            env=env,
            cwd=settings.BASE_DIR,
            check=False,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode:
        raise CommandError(f"The benchmark failed (exit status {result.returncode}).")


def prepare_scratch_database() -> None:
    """Refuse any database but the scratch file, then give it the schema."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name != os.environ[SCRATCH_DB_ENV]:
        raise CommandError(f"Refusing to fill {name!r}: the benchmark only writes its own scratch file.")
    call_command("migrate", verbosity=0, interactive=False)
