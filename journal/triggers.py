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
            # A row as it was leaves its day (-1), a row as it is comes into its day (+1).
            + " ".join(stamping.sqlite.format(row=row, delta=-1 if row == "OLD" else 1) for row in rows)
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
        # The day stamps' triggers, once their table exists (earlier migrations run without it),
        # counting the day's leans once the table has that column.
        if table == LEANS_TABLE and DAY_TABLE in editor.connection.introspection.table_names():
            with editor.connection.cursor() as cursor:
                columns = editor.connection.introspection.get_table_description(cursor, DAY_TABLE)
            counted = any(column.name == "leans" for column in columns)
            again += [*drop_day_statements(vendor), *create_day_statements(vendor, counted=counted)]
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

# Since migration 0014 the day stamps also count their day's leans (DayStamp.leans), so that
# "leans logged in all" and a long period's count add up days instead of reading every lean.
# Same trigger and function names: either version replaces the other.
_SQLITE_DAY_COUNT = (
    f"INSERT INTO {DAY_TABLE} (dog_id, day, stamp, leans) "
    "VALUES ({row}.dog_id, substr({row}.occurred_at, 1, 10), random(), {delta}) "
    "ON CONFLICT (dog_id, day) DO UPDATE SET stamp = random(), leans = leans + excluded.leans;"
)
_PG_DAY_COUNT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION leanlog_stamp_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {DAY_TABLE} AS s (dog_id, day, stamp, leans)
            SELECT dog_id, day, {_PG_RANDOM}, count(*)
            FROM (SELECT dog_id, {_PG_DAY} AS day FROM new_rows) AS touched
            GROUP BY dog_id, day
            ON CONFLICT (dog_id, day) DO UPDATE SET stamp = EXCLUDED.stamp, leans = s.leans + EXCLUDED.leans;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {DAY_TABLE} AS s (dog_id, day, stamp, leans)
            SELECT dog_id, day, {_PG_RANDOM}, sum(delta)
            FROM (
                SELECT dog_id, {_PG_DAY} AS day, -1 AS delta FROM old_rows
                UNION ALL SELECT dog_id, {_PG_DAY} AS day, 1 AS delta FROM new_rows
            ) AS touched
            GROUP BY dog_id, day
            ON CONFLICT (dog_id, day) DO UPDATE SET stamp = EXCLUDED.stamp, leans = s.leans + EXCLUDED.leans;
    ELSE
        INSERT INTO {DAY_TABLE} AS s (dog_id, day, stamp, leans)
            SELECT dog_id, day, {_PG_RANDOM}, -count(*)
            FROM (SELECT dog_id, {_PG_DAY} AS day FROM old_rows) AS touched
            GROUP BY dog_id, day
            ON CONFLICT (dog_id, day) DO UPDATE SET stamp = EXCLUDED.stamp, leans = s.leans + EXCLUDED.leans;
    END IF;
    RETURN NULL;
END;
$$;
"""
COUNTED_DAYS = Stamping("stamps_days", _SQLITE_DAY_COUNT, "leanlog_stamp_days", _PG_DAY_COUNT_FUNCTION)

# Each day's leans counted from the leans themselves, once, when the column comes; a day's
# stamp stays as it is, so that no kept month is counted again for it.
_BACKFILL = {
    "sqlite": (
        f"INSERT INTO {DAY_TABLE} (dog_id, day, stamp, leans) "
        f"SELECT dog_id, substr(occurred_at, 1, 10), random(), count(*) FROM {LEANS_TABLE} WHERE true "
        "GROUP BY 1, 2 ON CONFLICT (dog_id, day) DO UPDATE SET leans = excluded.leans;"
    ),
    "postgresql": (
        f"INSERT INTO {DAY_TABLE} AS s (dog_id, day, stamp, leans) "
        f"SELECT dog_id, {_PG_DAY}, {_PG_RANDOM}, count(*) FROM {LEANS_TABLE} "
        "GROUP BY 1, 2 ON CONFLICT (dog_id, day) DO UPDATE SET leans = EXCLUDED.leans;"
    ),
}


def create_day_statements(vendor: str, counted: bool = False) -> list[str]:
    """The SQL that makes every insert, update and delete of leans stamp (and count) their days."""
    return _create(vendor, LEANS_TABLE, COUNTED_DAYS if counted else DAYS)


def drop_day_statements(vendor: str) -> list[str]:
    return _drop(vendor, LEANS_TABLE, DAYS)


def stamp_days_of_leans() -> migrations.RunPython:
    """A migration operation that adds (and on the way back removes) the day stamps' triggers."""
    return migrations.RunPython(
        _run(lambda editor: create_day_statements(editor.connection.vendor)),
        _run(lambda editor: drop_day_statements(editor.connection.vendor)),
    )


def unstamp_days_of_leans() -> migrations.RunPython:
    """A migration operation that removes (and on the way back adds) the day stamps' triggers.

    SQLite adds a column by copying the table, which fails while a trigger writes to it.
    """
    return migrations.RunPython(
        _run(lambda editor: drop_day_statements(editor.connection.vendor)),
        _run(lambda editor: create_day_statements(editor.connection.vendor)),
    )


def count_leans_by_day() -> migrations.RunPython:
    """A migration operation: the day stamps' triggers count each day's leans, the logged ones first."""

    def forward(editor: BaseDatabaseSchemaEditor) -> list[str]:
        vendor = editor.connection.vendor
        return [*create_day_statements(vendor, counted=True), _BACKFILL[vendor]]

    return migrations.RunPython(
        _run(forward), _run(lambda editor: drop_day_statements(editor.connection.vendor))
    )
