"""`make bench` keeps working: a tiny run of manage.py bench_report on its own scratch database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_it_benchmarks_on_a_scratch_database_and_prints_the_goals() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "bench_report",
            "--sizes=20,40",
            "--runs=1",
            "--warm-ups=0",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "met  queries do not grow with the number of leans" in result.stdout
