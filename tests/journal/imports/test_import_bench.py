"""`make bench-import` keeps working: a tiny run of manage.py bench_import on its own scratch database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_it_imports_on_a_scratch_database_and_prints_the_goals() -> None:
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_import", "--rows=30"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "goal under 20 s: met" in result.stdout
