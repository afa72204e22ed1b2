"""Database triggers that stamp every write to a dog's journal (JournalStamp).

The report cache is keyed on that stamp. Because the database keeps it, no write can forget
to: views, the admin, management commands, bulk ORM calls, an import, the API and raw SQL in a
shell all move it in their own transaction. A table whose rows the report reads adds the
triggers in its migration with `stamp_writes_to(table)`; the table needs a `dog_id` column.

The leans also stamp the day (UTC) they fall in (DayStamp, `stamp_days_of_leans`): a kept
month of a long report (ReportPart) is good while the stamps of the days it covers hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

STAMP_TABLE = "journal_journalstamp"

# SQLite has row triggers only. An upsert makes the first write create the dog's stamp.
_SQLITE_STAMP = (
    f"INSERT INTO {STAMP_TABLE} (dog_id, stamp) VALUES ({{row}}.dog_id, random()) "
    "ON CONFLICT (dog_id) DO UPDATE SET stamp = random();"
)
_SQLITE_EVENTS = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}

# PostgreSQL stamps once per statement and dog, so a bulk insert of 50,000 leans is one
# upsert per batch rather than one per row. One function serves every table.
_PG_RANDOM = "(random() * 9.2e18)::bigint"
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION leanlog_stamp_journal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {STAMP_TABLE} AS s (dog_id, stamp)
            SELECT dog_id, {_PG_RANDOM} FROM (SELECT DISTINCT dog_id FROM new_rows) AS touched
            ON CONFLICT (dog_id) DO UPDATE SET stamp = EXCLUDED.stamp;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {STAMP_TABLE} AS s (dog_id, stamp)
            SELECT dog_id, {_PG_RANDOM}
            FROM (SELECT dog_id FROM old_rows UNION SELECT dog_id FROM new_rows) AS touched
            ON CONFLICT (dog_id) DO UPDATE SET stamp = EXCLUDED.stamp;
    ELSE
        INSERT INTO {STAMP_TABLE} AS s (dog_id, stamp)
            SELECT dog_id, {_PG_RANDOM} FROM (SELECT DISTINCT dog_id FROM old_rows) AS touched
            ON CONFLICT (dog_id) DO UPDATE SET stamp = EXCLUDED.stamp;
    END IF;
    RETURN NULL;
END;
$$;
"""
_PG_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


@dataclass(frozen=True)
class Stamping:
    """One kind of stamp: the triggers' name, SQLite's statement per row, PostgreSQL's function."""

    name: str
    sqlite: str
    pg_function_name: str
    pg_function: str


JOURNAL = Stamping("stamps", _SQLITE_STAMP, "leanlog_stamp_journal", _PG_FUNCTION)


def _trigger_name(table: str, event: str, stamping: Stamping = JOURNAL) -> str:
    return f"{table}_{stamping.name}_{event}"


def _create(vendor: str, table: str, stamping: Stamping) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {_trigger_name(table, event, stamping)} AFTER {event.upper()} ON {table} BEGIN "
            + " ".join(stamping.sqlite.format(row=row) for row in rows)
            + " END;"
            for event, rows in _SQLITE_EVENTS.items()
        ]
    if vendor == "postgresql":
        return [
            stamping.pg_function,
            *(
                f"CREATE TRIGGER {_trigger_name(table, event, stamping)} AFTER {event.upper()} ON {table} "
                f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION {stamping.pg_function_name}();"
                for event, referencing in _PG_REFERENCING.items()
            ),
        ]
    raise NotImplementedError(f"Leanlog runs on SQLite or PostgreSQL, not {vendor}.")


def _drop(vendor: str, table: str, stamping: Stamping) -> list[str]:
    on_table = f" ON {table}" if vendor == "postgresql" else ""
    return [
        f"DROP TRIGGER IF EXISTS {_trigger_name(table, event, stamping)}{on_table};"
        for event in _SQLITE_EVENTS
    ]


def _run(statements: Callable[[BaseDatabaseSchemaEditor], list[str]]) -> Callable:
    """A function for RunPython that executes the statements made for the migration's database."""

    def run(apps, schema_editor) -> None:
        for statement in statements(schema_editor):
            schema_editor.execute(statement)

    return run


def create_statements(vendor: str, table: str) -> list[str]:
    """The SQL that makes every insert, update and delete on `table` stamp its dog's journal."""
    return _create(vendor, table, JOURNAL)


def drop_statements(vendor: str, table: str) -> list[str]:
    return _drop(vendor, table, JOURNAL)


def stamp_writes_to(table: str) -> migrations.RunPython:
    """A migration operation that adds (and on the way back removes) the table's triggers."""
    return migrations.RunPython(
        _run(lambda editor: create_statements(editor.connection.vendor, table)),
        _run(lambda editor: drop_statements(editor.connection.vendor, table)),
    )


def restamp_writes_to(table: str) -> migrations.RunPython:
    """Put the table's triggers back after an operation that may have dropped them.

    SQLite alters a column by copying the table into a new one, and its triggers stay behind
    with the old table; a migration that alters a stamped table ends with this, both ways.
    """

    def statements(editor: BaseDatabaseSchemaEditor) -> list[str]:
        vendor = editor.connection.vendor
        again = [*drop_statements(vendor, table), *create_statements(vendor, table)]
        # The day stamps' triggers, once their table exists (earlier migrations run without it).
        if table == LEANS_TABLE and DAY_TABLE in editor.connection.introspection.table_names():
            again += [*drop_day_statements(vendor), *create_day_statements(vendor)]
        return again

    recreate = _run(statements)
    return migrations.RunPython(recreate, recreate)


# The day stamps of the leans. SQLite keeps a time as "YYYY-MM-DD HH:MM:SS" in UTC (Django
# writes them so), and its first ten characters are the day.
LEANS_TABLE = "journal_incident"
DAY_TABLE = "journal_daystamp"
_SQLITE_DAY_STAMP = (
    f"INSERT INTO {DAY_TABLE} (dog_id, day, stamp) "
    "VALUES ({row}.dog_id, substr({row}.occurred_at, 1, 10), random()) "
    "ON CONFLICT (dog_id, day) DO UPDATE SET stamp = random();"
)
_PG_DAY = "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
_PG_DAY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION leanlog_stamp_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {DAY_TABLE} AS s (dog_id, day, stamp)
            SELECT dog_id, day, {_PG_RANDOM}
            FROM (SELECT DISTINCT dog_id, {_PG_DAY} AS day FROM new_rows) AS touched
            ON CONFLICT (dog_id, day) DO UPDATE SET stamp = EXCLUDED.stamp;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {DAY_TABLE} AS s (dog_id, day, stamp)
            SELECT dog_id, day, {_PG_RANDOM}
            FROM (
                SELECT dog_id, {_PG_DAY} AS day FROM old_rows
                UNION SELECT dog_id, {_PG_DAY} AS day FROM new_rows
            ) AS touched
            ON CONFLICT (dog_id, day) DO UPDATE SET stamp = EXCLUDED.stamp;
    ELSE
        INSERT INTO {DAY_TABLE} AS s (dog_id, day, stamp)
            SELECT dog_id, day, {_PG_RANDOM}
            FROM (SELECT DISTINCT dog_id, {_PG_DAY} AS day FROM old_rows) AS touched
            ON CONFLICT (dog_id, day) DO UPDATE SET stamp = EXCLUDED.stamp;
    END IF;
    RETURN NULL;
END;
$$;
"""


DAYS = Stamping("stamps_days", _SQLITE_DAY_STAMP, "leanlog_stamp_days", _PG_DAY_FUNCTION)


def create_day_statements(vendor: str) -> list[str]:
    """The SQL that makes every insert, update and delete of leans stamp their days."""
    return _create(vendor, LEANS_TABLE, DAYS)


def drop_day_statements(vendor: str) -> list[str]:
    return _drop(vendor, LEANS_TABLE, DAYS)


def stamp_days_of_leans() -> migrations.RunPython:
    """A migration operation that adds (and on the way back removes) the day stamps' triggers."""
    return migrations.RunPython(
        _run(lambda editor: create_day_statements(editor.connection.vendor)),
        _run(lambda editor: drop_day_statements(editor.connection.vendor)),
    )
