"""`manage.py backup`: a consistent copy of the SQLite database, safe to take while the app runs."""

from __future__ import annotations

import shlex
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone


def copy_database(source: Path, target: Path) -> None:
    """Copy through SQLite's online backup API: one consistent snapshot, even while others write."""
    # A plain file copy could catch a write halfway and miss what still sits in the WAL file.
    # The backup API reads every page inside one read transaction, so the copy holds exactly
    # the transactions committed when it began, and never blocks the app's writers (WAL mode).
    with (
        closing(sqlite3.connect(source, timeout=20)) as reader,
        closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)
        # The copy inherits WAL mode; a rollback journal makes it one self-contained file.
        writer.execute("PRAGMA journal_mode=DELETE")


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's integrity check finds wrong with a database file; empty when it is sound."""
    with closing(sqlite3.connect(path)) as check:
        rows = [row[0] for row in check.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def pg_dump_command(database: dict[str, Any], stamp: str) -> str:
    """The pg_dump command line for the configured database; the password stays out of it."""
    args = ["pg_dump", "--format=custom", f"--file=leanlog-{stamp}.dump"]
    if database.get("HOST"):
        args.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        args.append(f"--port={database['PORT']}")
    if database.get("USER"):
        args.append(f"--username={database['USER']}")
    args.append(str(database["NAME"]))
    return shlex.join(args)


def is_in_memory(name: str) -> bool:
    return name in {"", ":memory:"} or "mode=memory" in name


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the SQLite database, even while Leanlog runs, and check it "
        "(by default to backups/leanlog-YYYYmmdd-HHMMSS.sqlite3)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the copy; the file must not exist yet.",
        )

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        database = connection.settings_dict
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")

        if connection.vendor == "postgresql":
            self.stdout.write(
                "Leanlog is using PostgreSQL, and PostgreSQL makes its own consistent backups.\n"
                "Run this on a machine that can reach the database server:\n\n"
                f"    {pg_dump_command(database, stamp)}\n\n"
                "It asks for the password, or reads it from PGPASSWORD or ~/.pgpass.\n"
                f"Restore with: pg_restore --clean --if-exists --dbname={shlex.quote(str(database['NAME']))} "
                f"leanlog-{stamp}.dump"
            )
            raise CommandError("Nothing was written: back up PostgreSQL with pg_dump (see above).")
        if connection.vendor != "sqlite":
            raise CommandError(f"This command backs up SQLite only; use {connection.vendor}'s own tools.")

        name = str(database["NAME"])
        if is_in_memory(name):
            raise CommandError("The database lives in memory only, so there is no file to back up.")
        source = Path(name)
        if not source.is_file():
            raise CommandError(f"There is no database at {source}. Run `manage.py migrate` first.")

        target = output or Path(settings.BASE_DIR) / "backups" / f"leanlog-{stamp}.sqlite3"
        if target.exists():
            raise CommandError(f"{target} already exists. Choose another --output; nothing was written.")
        target.parent.mkdir(parents=True, exist_ok=True)

        # Work under a temporary name, so that a file with the final name is always a checked copy.
        partial = target.with_name(target.name + ".partial")
        try:
            copy_database(source, partial)
            problems = integrity_problems(partial)
            if problems:
                raise CommandError(
                    "The copy failed its integrity check, so it was deleted: " + "; ".join(problems[:5])
                )
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)

        size = human_size(target.stat().st_size)
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {target} ({size})."))
        self.stdout.write("It passed SQLite's integrity check.")
