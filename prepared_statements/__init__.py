"""
PostgreSQL prepared statements, for the few statements whose parsing and planning cost shows in
a benchmark: the search page's statement (planning it cost more than a third of running it,
bench/search.py) and the newsletter's per-message mark (a third of the database's time per
message, bench/newsletter.py). Imports no app.

A statement is prepared in the database session on first use, under a name derived from its
SQL, and kept for the session's life (a PREPARE is not undone by a rollback). A session that
lost it, has it without our knowing, or has an outdated one (a deploy changed a column's type)
gets it prepared again.
"""

import functools
import hashlib
import itertools
import re
import weakref

from django.db import DatabaseError, transaction

# The names prepared in each database session, by the session's DB-API connection.
_prepared = weakref.WeakKeyDictionary()

# invalid_sql_statement_name, duplicate_prepared_statement, feature_not_supported ("cached plan
# must not change result type").
STALE_STATEMENT = {"26000", "42P05", "0A000"}


def execute(cursor, sql, params, *, reads_only=False, local_settings=""):
    """
    Run sql (%s placeholders) on the Django cursor as a prepared statement; the cursor then
    holds its result. Inside a transaction it runs in a savepoint, so that a stale statement
    can be prepared again (its error aborts the savepoint, not the transaction); for a
    statement that only reads (reads_only) the savepoint is rolled back after it, which ends
    `local_settings` (SET LOCAL statements ending in "; ", reads only). They go in the same
    round trip and last for this statement only: outside a transaction (the newsletter's
    autocommitted marks) the round trip is its own and no savepoint is needed.
    """
    connection = cursor.db
    name, prepare, run = _statements(sql, len(params), local_settings)
    for attempt in (1, 2):
        savepoint = transaction.savepoint(connection.alias) if connection.in_atomic_block else None
        try:
            prepared = _prepared.setdefault(connection.connection, set())
            if attempt == 2:
                cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
                if cursor.fetchone():
                    cursor.execute(f"DEALLOCATE {name}")
            if name not in prepared or attempt == 2:
                cursor.execute(prepare)
                prepared.add(name)
            cursor.execute(run, params)
        except DatabaseError as error:
            if savepoint:
                transaction.savepoint_rollback(savepoint, connection.alias)
                transaction.savepoint_commit(savepoint, connection.alias)
            stale = getattr(error.__cause__, "pgcode", None) in STALE_STATEMENT
            if attempt == 2 or not stale:
                raise
            continue
        if savepoint:
            if reads_only:
                transaction.savepoint_rollback(savepoint, connection.alias)  # Ends settings.
            transaction.savepoint_commit(savepoint, connection.alias)
        return cursor
    raise AssertionError("unreachable")


@functools.lru_cache(maxsize=64)
def _statements(sql, count, local_settings):
    """The statement's name, its PREPARE and its EXECUTE (computed once: the newsletter runs
    one per message)."""
    name = "prepared_" + hashlib.blake2b(sql.encode(), digest_size=12).hexdigest()
    run = f"{local_settings}EXECUTE {name} ({', '.join(['%s'] * count)})"
    return name, f"PREPARE {name} AS {_numbered(sql)}", run


def _numbered(sql):
    """The query with PostgreSQL's $1, $2… for %s placeholders (and % for %%)."""
    numbers = itertools.count(1)
    return re.sub(r"%[s%]", lambda match: f"${next(numbers)}" if match[0] == "%s" else "%", sql)
