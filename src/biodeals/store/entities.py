"""Entity resolution for the writer: a name (and its aliases) in, one entity id out, across
documents and across writers.

The alias table is the truth; the writer keeps a copy in memory (``EntityCache``) and looks the
table up on a miss, so entities another process stored since are found, not created twice. An
alias insert tolerates a concurrent insert of the same key (``ON CONFLICT DO NOTHING``); if it
lost such a race, the entity it had just created gives way to the winner's. The cache keeps an
undo log: a savepoint or transaction rolled back takes its entries back with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from biodeals.store import schema as t
from biodeals.store.names import company_marker, entity_key

_MISSING = object()
_NAMES_KEPT = 200_000  # entities whose name and standard id the cache remembers


class EntityCache:
    """Aliases ((kind, key) -> entity id), company markers (entity id -> marker) and the names
    and standard ids of entities as last read or written, every change logged so it can be
    undone back to a ``mark``."""

    def __init__(self) -> None:
        self.aliases: dict[tuple[str, str], int] = {}
        self.markers: dict[int, str | None] = {}
        self.names: dict[int, tuple[str, str | None]] = {}
        self._undo: list[tuple[dict[Any, Any], Any, Any]] = []

    def load(self, conn: Connection) -> None:
        a = t.entity_aliases.c
        self.aliases = {
            (kind, key): entity_id for kind, key, entity_id in conn.execute(select(a.kind, a.key, a.entity_id))
        }
        self.markers = {
            entity_id: company_marker(name)
            for entity_id, name in conn.execute(
                select(t.entities.c.id, t.entities.c.name).where(t.entities.c.kind == "company")
            )
        }
        self._undo.clear()

    def _set(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        self._undo.append((table, key, table.get(key, _MISSING)))
        if value is _MISSING:
            table.pop(key, None)
        else:
            table[key] = value

    def set_alias(self, kind: str, key: str, entity_id: int) -> None:
        self._set(self.aliases, (kind, key), entity_id)

    def set_marker(self, entity_id: int, marker: str | None) -> None:
        self._set(self.markers, entity_id, marker)

    def drop_marker(self, entity_id: int) -> None:
        self._set(self.markers, entity_id, _MISSING)

    def set_name(self, entity_id: int, name: str, standard_id: str | None) -> None:
        self._set(self.names, entity_id, (name, standard_id))

    def mark(self) -> int:
        return len(self._undo)

    def undo(self, mark: int) -> None:
        """Take back every change made since ``mark``."""
        while len(self._undo) > mark:
            table, key, previous = self._undo.pop()
            if previous is _MISSING:
                table.pop(key, None)
            else:
                table[key] = previous

    def keep(self) -> None:
        """The changes are committed: forget how to undo them."""
        self._undo.clear()
        if len(self.names) > _NAMES_KEPT:
            self.names.clear()


class Resolver:
    """Resolves entities within one transaction, through ``cache`` and the alias table."""

    def __init__(self, conn: Connection, cache: EntityCache) -> None:
        self.conn = conn
        self.cache = cache
        dialect = conn.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert if dialect == "sqlite" else None

    def resolve(self, kind: str, name: str, aliases: Iterable[str] = (), standard_id: str | None = None) -> int:
        """The entity id for ``name`` (creating the entity if none matches), its aliases recorded."""
        names = [name, *(a for a in aliases if a)]
        keys = [entity_key(kind, n) for n in names]
        if standard_id:
            keys.append(standard_id.lower())
            names.append(standard_id)
        named = {key: alias for key, alias in dict(zip(keys, names, strict=True)).items() if key}
        marker = company_marker(name) if kind == "company" else None
        self._look_up(kind, [key for key in named if (kind, key) not in self.cache.aliases])
        entity_id = self._first_compatible(kind, list(named), marker, exclude=None)
        if entity_id is None:
            entity_id = self.conn.execute(
                insert(t.entities).values(kind=kind, name=name, standard_id=standard_id)
            ).inserted_primary_key[0]
            if kind == "company":
                self.cache.set_marker(entity_id, marker)
            self.cache.set_name(entity_id, name, standard_id)
            if not self._add_aliases(kind, entity_id, named):
                return entity_id
            created, entity_id = entity_id, self._yield_to_winner(kind, entity_id, list(named), marker)
            if entity_id == created:
                return entity_id
        self._maybe_rename(entity_id, kind, name, standard_id)
        self._add_aliases(kind, entity_id, named)
        return entity_id

    def _look_up(self, kind: str, keys: list[str]) -> None:
        """Cache what the alias table knows of ``keys`` (stored by another writer meanwhile)."""
        if not keys:
            return
        a = t.entity_aliases.c
        for key, entity_id in self.conn.execute(select(a.key, a.entity_id).where(a.kind == kind, a.key.in_(keys))):
            self.cache.set_alias(kind, key, entity_id)

    def _first_compatible(self, kind: str, keys: list[str], marker: str | None, exclude: int | None) -> int | None:
        for key in keys:
            candidate = self.cache.aliases.get((kind, key))
            if candidate is not None and candidate != exclude and self._compatible(candidate, marker):
                return candidate
        return None

    def _compatible(self, entity_id: int, marker: str | None) -> bool:
        if marker is None:
            return True
        if entity_id not in self.cache.markers:  # an entity another writer created
            name = self.conn.scalar(select(t.entities.c.name).where(t.entities.c.id == entity_id))
            self.cache.set_marker(entity_id, company_marker(name) if name else None)
        known = self.cache.markers[entity_id]
        return known is None or known == marker

    def _add_aliases(self, kind: str, entity_id: int, named: dict[str, str]) -> bool:
        """Record the keys not known yet as ``entity_id``'s; True when a concurrent writer got
        one of them first (the cache then holds the winner's entity for it)."""
        rows = [
            {"kind": kind, "key": key, "entity_id": entity_id, "alias": alias}
            for key, alias in named.items()
            if (kind, key) not in self.cache.aliases
        ]
        if not rows:
            return False
        if self._insert is None:
            self.conn.execute(insert(t.entity_aliases), rows)
            inserted = {row["key"] for row in rows}
        else:
            statement = self._insert(t.entity_aliases).on_conflict_do_nothing().returning(t.entity_aliases.c.key)
            inserted = set(self.conn.execute(statement, rows).scalars())
        for key in inserted:
            self.cache.set_alias(kind, key, entity_id)
        lost = [row["key"] for row in rows if row["key"] not in inserted]
        self._look_up(kind, lost)
        return bool(lost)

    def _yield_to_winner(self, kind: str, created: int, keys: list[str], marker: str | None) -> int:
        """``created`` lost an alias race: if the winner's entity is compatible, it takes over
        ``created``'s aliases and ``created`` (new in this transaction, linked to nothing) goes."""
        winner = self._first_compatible(kind, keys, marker, exclude=created)
        if winner is None:
            return created
        a = t.entity_aliases.c
        moved = list(self.conn.scalars(select(a.key).where(a.entity_id == created)))
        self.conn.execute(update(t.entity_aliases).where(a.entity_id == created).values(entity_id=winner))
        self.conn.execute(delete(t.entities).where(t.entities.c.id == created))
        for key in moved:
            self.cache.set_alias(kind, key, winner)
        self.cache.drop_marker(created)
        return winner

    def _maybe_rename(self, entity_id: int, kind: str, name: str, standard_id: str | None) -> None:
        """Keep the most complete name seen as the canonical one, and the first standard id."""
        known = self.cache.names.get(entity_id)
        if known is not None and len(name) <= len(known[0]) and (known[1] or not standard_id):
            return  # a stored name only grows and a standard id is set once: nothing to change
        current, current_id = self.conn.execute(
            select(t.entities.c.name, t.entities.c.standard_id).where(t.entities.c.id == entity_id)
        ).one()
        values: dict[str, Any] = {}
        if len(name) > len(current) and entity_key(kind, name) == entity_key(kind, current):
            values["name"] = name
        if standard_id and not current_id:
            values["standard_id"] = standard_id
        self.cache.set_name(entity_id, values.get("name", current), values.get("standard_id", current_id))
        if values:
            self.conn.execute(update(t.entities).where(t.entities.c.id == entity_id).values(**values))
            if kind == "company" and "name" in values:
                self.cache.set_marker(entity_id, self.cache.markers.get(entity_id) or company_marker(name))
