"""Backups: a consistent, checked copy of the SQLite file, even while the app writes."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

COMMITTED_ROWS = 500


def make_database(path: Path, rows: int = COMMITTED_ROWS) -> Path:
    """A WAL-mode file database, as the app runs it, with some committed rows."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE lean (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        db.executemany("INSERT INTO lean (note) VALUES (?)", [(f"lean {n}",) for n in range(rows)])
        db.commit()
    return path


def ids_in(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT id FROM lean ORDER BY id")]


def pragma(path: Path, name: str) -> str:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def backup(database: Path, *args: str) -> str:
    """Run the command against a file database of the test's own."""
    out = StringIO()
    with mock.patch.dict(connections[DEFAULT_DB_ALIAS].settings_dict, {"NAME": str(database)}):
        call_command("backup", *args, stdout=out)
    return out.getvalue()


# The SQLite path of the command; CI's PostgreSQL run checks the pg_dump advice instead.
ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
SQLITE_ONLY = "backs up the SQLite database the app is configured with"
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason=SQLITE_ONLY)


@pytest.fixture
def database(tmp_path) -> Path:
    if not ON_SQLITE:
        pytest.skip(SQLITE_ONLY)
    return make_database(tmp_path / "leanlog.sqlite3")


def test_it_copies_every_committed_row_while_another_connection_writes(database, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite3"
    with closing(sqlite3.connect(database)) as writer:
        # These rows are committed but still only in the WAL file, where a plain file copy misses them.
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.executemany("INSERT INTO lean (note) VALUES (?)", [("in the wal",)] * 200)
        writer.commit()
        # A write transaction is open and holds rows nobody else may see yet.
        writer.execute("BEGIN IMMEDIATE")
        writer.executemany("INSERT INTO lean (note) VALUES (?)", [("unsaved",)] * 100)
        backup(database, "--output", str(copy))
        writer.commit()
    assert ids_in(copy) == list(range(1, COMMITTED_ROWS + 200 + 1))


def test_it_keeps_a_consistent_copy_while_a_writer_keeps_committing(database, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite3"
    stop = threading.Event()
    started = threading.Event()

    def keep_writing() -> None:
        with closing(sqlite3.connect(database, timeout=20)) as writer:
            while not stop.is_set():
                writer.execute("INSERT INTO lean (note) VALUES ('new')")
                writer.commit()
                started.set()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        assert started.wait(10)
        before = len(ids_in(database))
        backup(database, "--output", str(copy))
    finally:
        stop.set()
        thread.join(10)
    copied = ids_in(copy)
    # Every row committed before the backup began, and no gap: one moment's snapshot.
    assert len(copied) >= before
    assert copied == list(range(1, len(copied) + 1))


def test_it_writes_a_copy_that_passes_the_integrity_check(database, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite3"
    backup(database, "--output", str(copy))
    assert pragma(copy, "integrity_check") == "ok"


def test_it_writes_one_self_contained_file(database, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite3"
    backup(database, "--output", str(copy))
    assert pragma(copy, "journal_mode") == "delete"


def test_it_prints_the_path_and_the_size(database, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite3"
    out = backup(database, "--output", str(copy))
    assert f"Backed up the database to {copy} (" in out
    assert re.search(r"\(\d+ KB\)", out)


def test_it_writes_into_the_backups_folder_by_default(database, tmp_path, settings) -> None:
    settings.BASE_DIR = tmp_path
    backup(database)
    names = [path.name for path in (tmp_path / "backups").iterdir()]
    assert len(names) == 1
    assert re.fullmatch(r"leanlog-\d{8}-\d{6}\.sqlite3", names[0])


def test_it_refuses_to_overwrite_a_file(database, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite3"
    copy.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        backup(database, "--output", str(copy))
    assert copy.read_text() == "keep me"


@sqlite_only
def test_it_explains_a_missing_database(tmp_path) -> None:
    with pytest.raises(CommandError, match=r"Run `manage\.py migrate` first"):
        backup(tmp_path / "nowhere.sqlite3", "--output", str(tmp_path / "copy.sqlite3"))
    assert not (tmp_path / "copy.sqlite3").exists()


POSTGRES = {"NAME": "leanlog", "USER": "leanlog", "PASSWORD": "s3cret", "HOST": "db.internal", "PORT": 5432}


def backup_postgres() -> str:
    out = StringIO()
    connection = connections[DEFAULT_DB_ALIAS]
    with (
        mock.patch.object(connection, "vendor", "postgresql"),
        mock.patch.dict(connection.settings_dict, POSTGRES),
        pytest.raises(CommandError, match="back up PostgreSQL with pg_dump"),
    ):
        call_command("backup", stdout=out)
    return out.getvalue()


def test_it_prints_the_pg_dump_command_for_postgresql() -> None:
    out = backup_postgres()
    assert re.search(
        r"pg_dump --format=custom --file=leanlog-\d{8}-\d{6}\.dump "
        r"--host=db\.internal --port=5432 --username=leanlog leanlog\n",
        out,
    )


def test_it_keeps_the_postgresql_password_out_of_the_advice() -> None:
    assert "s3cret" not in backup_postgres()


def test_it_exits_non_zero_for_postgresql() -> None:
    env = {**os.environ, "DATABASE_URL": "postgres://leanlog:s3cret@db.internal:5432/leanlog"}
    result = subprocess.run(
        [sys.executable, "manage.py", "backup"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "pg_dump --format=custom" in result.stdout
