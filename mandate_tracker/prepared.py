"""Server-side prepared statements (PostgreSQL) for hot reads whose SQL never changes.

PostgreSQL plans a query every time it receives its text. For the API's obligation rows
(six tables) planning takes about a millisecond, several times what running the plan
takes; a statement prepared once per database session is planned once and then only run.

A prepared statement lives as long as its session: each new connection prepares it again
on first use, and it survives the rollback of the transaction that prepared it. Behind a
connection pooler, use session pooling (PgBouncer's transaction pooling does not carry
SQL-level PREPARE from one transaction to the next). Elsewhere (SQLite, for `make run`)
the statement's SQL is run as it is, so it must be portable there.

PREPARE is session set-up, like the statements Django runs on connecting: it goes to the
driver directly and is not logged as one of the request's queries, so query counts do
not depend on whether a request was the first on its connection.

Each PostgreSQL session runs the generic plan of every prepared statement
(`plan_cache_mode`, a connection option in settings.py). Left to choose, PostgreSQL compares the
generic plan with the custom plans of the first five runs; if those were cheap (one
obligation's row for a detail page), it keeps planning each run afresh, which is the very
cost the statement was prepared to save. Only prepared statements have plans to cache:
Django's own queries are planned as before.
"""

import re
import weakref
from dataclasses import dataclass

from django.db import connection

# $1, $2, …: run as it is (SQLite), each must be used once, in the order of the parameters.
PARAMETER = re.compile(r"\$\d+")
# DB-API connection → names prepared on it; a closed connection drops out by itself.
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Statement:
    name: str
    types: tuple[str, ...]  # of $1, $2, …
    sql: str  # with $1, $2, … for the parameters

    def execute(self, cursor, params: list) -> None:
        """Run it on `cursor` (of the default connection), preparing it first if needed."""
        if connection.vendor != "postgresql":
            cursor.execute(PARAMETER.sub("%s", self.sql), params)
            return
        names = _prepared.setdefault(connection.connection, set())
        if self.name not in names:
            with connection.wrap_database_errors:  # Django's exceptions, as for any query
                cursor.cursor.execute(
                    f"PREPARE {self.name} ({', '.join(self.types)}) AS {self.sql}"
                )
            names.add(self.name)
        placeholders = ", ".join(["%s"] * len(params))
        cursor.execute(f"EXECUTE {self.name} ({placeholders})", params)
