"""Obligations' JSON for the API's lists, stored in PostgreSQL and used while it is current.

A page of obligations costs, rendered afresh, a statement over six tables and a dict per
row. Stored, it costs one statement over three: each obligation's id, version and next
deadline, with its stored body when the body's labels still match them and the current
generation (`reports.models.ObligationJson` says why that is enough). The rows without a
current body are read and rendered as before (`obligation_rows_by_id` with the view's
`render`), in a statement that also reads the generation, so that a body is labelled with
what it was rendered from. They are then stored, ready for the next read. The API adds
what depends on the request or the day (URLs, `overdue`, the ETag) to each body.

Elsewhere than on PostgreSQL (`make run`) every page is rendered afresh and nothing is
stored.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from mandate_tracker import prepared
from paragraphs.models import Actor, Obligation, Paragraph, Resolution
from reports.models import ObligationJson, ObligationJsonGeneration
from reports.selectors import (
    OBLIGATION_ROW_KEYS,
    OBLIGATION_ROWS_SQL,
    TABLES,
    obligation_rows_after,
    obligation_rows_by_id,
)

logger = logging.getLogger(__name__)

Render = Callable[[dict], str]

_TABLES = {
    **TABLES,
    "json": ObligationJson._meta.db_table,
    "generation": ObligationJsonGeneration._meta.db_table,
}
# The body in a subquery per row: always a lookup by primary key, where a join's plan
# (made once per connection) would depend on how many bodies were stored at the time.
_CURRENT = """
    SELECT o.id, o.version, s.next_deadline, (
        SELECT j.body FROM {json} j
        WHERE j.obligation_id = o.id
            AND j.version = o.version
            AND j.next_deadline IS NOT DISTINCT FROM s.next_deadline
            AND j.generation = (SELECT coalesce(max(value), 0) FROM {generation})
    )
    FROM {obligation} o
    JOIN {summary} s ON s.obligation_id = o.id
    {where}
"""
PAGE = prepared.Statement(
    name="mt_obligation_json_page",
    types=("bigint", "integer"),
    sql=_CURRENT.format(
        # An array of the page's ids, as in OBLIGATION_PAGE: the generic plan then looks
        # each row up by id (joined to a subquery, it read every summary).
        where=f"WHERE o.id = ANY(ARRAY(SELECT id FROM {TABLES['obligation']} "
        "WHERE id > $1 ORDER BY id LIMIT $2)) ORDER BY o.id",
        **_TABLES,
    ),
)
BY_ID = prepared.Statement(
    name="mt_obligation_json_by_id",
    types=("bigint[]",),
    sql=_CURRENT.format(where="WHERE o.id = ANY($1)", **_TABLES),
)
# The rows to render, with the generation they belong to (the same statement, the same
# snapshot: a change that raises the generation and that these rows do not show yet
# cannot have committed before the statement began).
ROWS = prepared.Statement(
    name="mt_obligation_json_rows",
    types=("bigint[]",),
    sql=OBLIGATION_ROWS_SQL.format(
        page="",
        members="= ANY($1)",
        order="",
        extra=f", (SELECT coalesce(max(value), 0) FROM {_TABLES['generation']})",
        **_TABLES,
    ),
)
STORE = prepared.Statement(
    name="mt_obligation_json_store",
    types=("bigint[]", "integer[]", "date[]", "bigint[]", "text[]"),
    sql=f"""
        INSERT INTO {_TABLES["json"]} (obligation_id, version, next_deadline, generation, body)
        SELECT * FROM unnest($1, $2, $3, $4, $5) AS new (id, version, due, generation, body)
        -- Not for obligations deleted since their rows were read (the foreign key is
        -- checked only at the commit, where its failure would lose the whole store).
        WHERE EXISTS (SELECT FROM {_TABLES["obligation"]} o WHERE o.id = new.id)
        ON CONFLICT (obligation_id) DO UPDATE SET
            version = excluded.version,
            next_deadline = excluded.next_deadline,
            generation = excluded.generation,
            body = excluded.body
    """,
)


def page_after(after_pk: int, limit: int, render: Render) -> list[dict]:
    """The first `limit` obligations whose id is above `after_pk`, in id order, each as
    `{"id", "version", "next_deadline", "body"}` (the body as `render` gives it)."""
    if connection.vendor != "postgresql":
        return [_fresh(row, render) for row in obligation_rows_after(after_pk, limit)]
    return _current(PAGE, [after_pk, limit], render)


def by_id(ids: list[int], render: Render) -> list[dict]:
    """These obligations as `page_after` gives them, in the order of `ids`; unknown ids
    are left out."""
    if not ids:
        return []
    if connection.vendor != "postgresql":
        return [_fresh(row, render) for row in obligation_rows_by_id(ids)]
    found = {entry["id"]: entry for entry in _current(BY_ID, [list(ids)], render)}
    return [found[pk] for pk in ids if pk in found]


def store_all(render: Render, batch: int = 500):
    """Store every obligation's JSON that is not current, a batch at a time, in id order;
    yields the number of obligations gone through after each batch. (The list stores its
    pages as it reads them: this is for after a bulk load or a rename, and so that the
    planner's statistics describe a full table.)"""
    after, done = 0, 0
    while entries := page_after(after, batch, render):
        after, done = entries[-1]["id"], done + len(entries)
        yield done


def _fresh(row: dict, render: Render) -> dict:
    return {
        "id": row["id"],
        "version": row["version"],
        "next_deadline": row["next_deadline"],
        "body": render(row),
    }


def _current(statement: prepared.Statement, params: list, render: Render) -> list[dict]:
    with connection.cursor() as cursor:
        statement.execute(cursor, params)
        found = cursor.fetchall()
    missing = [pk for pk, _version, _due, body in found if body is None]
    rendered = _render_and_store(missing, render) if missing else {}
    entries = []
    for pk, version, due, body in found:
        if body is not None:
            entries.append({"id": pk, "version": version, "next_deadline": due, "body": body})
        elif pk in rendered:  # not deleted in between
            entries.append(rendered[pk])
    return entries


def _render_and_store(ids: list[int], render: Render) -> dict[int, dict]:
    with connection.cursor() as cursor:
        ROWS.execute(cursor, [sorted(ids)])  # in id order: stores lock rows in one order
        rows = [dict(zip((*OBLIGATION_ROW_KEYS, "generation"), row, strict=True)) for row in cursor]
    entries = {row["id"]: _fresh(row, render) for row in rows}
    columns = ([row[key] for row in rows] for key in ("id", "version", "next_deadline"))
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Derived rows: a crash may lose the last ones stored (they are rendered again),
            # so the commit need not wait for the disk.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            STORE.execute(
                cursor,
                [
                    *columns,
                    [row["generation"] for row in rows],
                    [entries[row["id"]]["body"] for row in rows],
                ],
            )
    except DatabaseError:
        # A read-only replica, a lock wait cut short, an obligation deleted by a
        # transaction that commits first: the page is still right, and is rendered again
        # next time.
        logger.warning("Could not store the JSON of obligations %s", ids, exc_info=True)
    return entries


OUTDATE = f"""
    INSERT INTO {_TABLES["generation"]} (id, value) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET value = {_TABLES["generation"]}.value + 1
"""


def outdate() -> None:
    """Raise the generation: every stored body is rendered again on its next read. In the
    transaction of the change that outdates them (its row lock is held to the commit)."""
    with connection.cursor() as cursor:
        cursor.execute(OUTDATE)


User = Obligation.assigned_analyst.field.related_model
# What a body shows from other rows than its obligation's and its summary's.
SHOWN = {
    Actor: {"code"},
    Resolution: {"symbol"},
    Paragraph: {"number", "resolution", "resolution_id"},
    User: {"username"},
}


def _saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created:
        return  # nothing shows a row that did not exist
    if update_fields is None or SHOWN[sender] & set(update_fields):
        outdate()


def _deleted(sender, instance, **kwargs) -> None:
    outdate()  # a user's obligations lose their analyst without a save of their own


def _contributors_changed(sender, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        outdate()


def connect() -> None:
    for model in SHOWN:
        post_save.connect(_saved, sender=model, dispatch_uid=f"obligation-json-{model}")
    post_delete.connect(_deleted, sender=User, dispatch_uid="obligation-json-user-deleted")
    m2m_changed.connect(
        _contributors_changed,
        sender=Obligation.contributors.through,
        dispatch_uid="obligation-json-contributors",
    )
