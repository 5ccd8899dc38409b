"""The knowledge base's generation: a value that changes whenever anything a deal query can see
changes, read in one indexed lookup, so counts computed from the data can be cached under it
(``biodeals.service.facets``) in every process reading the database, with no invalidation message.

It is the newest id of the two append-only tables every change goes through:

- ``documents``: the writer changes deals, their links and entities (names, aliases) only while
  storing a document, in the transaction (and savepoint) that inserts that document's row; a
  document whose extraction failed is still inserted, and what a failed savepoint wrote is rolled
  back with it.
- ``edits``: every review, field edit, party split, merge of deals or companies and undo
  (``biodeals.store.curation``) records its row in the transaction that applies it; an undo
  records one of its own.

Neither table has rows deleted or ids rewritten, so a newest id never comes back (SQLite assigns
max(id) + 1 and no row is ever removed; a PostgreSQL sequence only moves on). Ids follow commit
order because both writers insert under the knowledge base's write lock (``write_transaction``),
held from before the insert until the commit: a reader seeing id n sees every id below it.
Anything that changes deals some other way (a migration rewriting rows, a hand-run UPDATE, a
file restored from a backup under a running server) must be followed by a restart of the servers.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from biodeals.store import schema as t

Generation = tuple[int, int]


def generation(conn: Connection) -> Generation:
    """The newest document id and the newest edit id (0 for none): see the module docstring."""
    newest = (select(func.max(table.c.id)).scalar_subquery() for table in (t.documents, t.edits))
    documents, edits = conn.execute(select(*newest)).one()
    return (documents or 0, edits or 0)
