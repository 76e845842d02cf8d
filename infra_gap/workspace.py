"""Work that lasts: checklists, notes, saved scenarios and the chosen view, per workspace.

A *workspace* is a named project ("Usulan BAKTI 2026") that several planners share. Its
items live in a relational database through SQLAlchemy Core: SQLite by default (one file
beside the cache, no setup) and PostgreSQL when ``INFRA_GAP_DB`` gives a URL
(``postgresql+psycopg://user@host:5432/db``).

The schema is versioned: :data:`MIGRATIONS` is an ordered list of steps, each applied once in
its own transaction and recorded in ``infra_gap_schema`` (Alembic's ``alembic_version`` idea
without its configuration files); :meth:`Store.migrate` brings any database to the newest.

Every item carries a row ``version``. A write names the version it was based on; when another
editor saved in between, nothing is overwritten and :class:`ConflictError` says who saved
what, so the app can show it (optimistic concurrency, as in HTTP's ``If-Match``).

A workspace travels as a JSON file (:meth:`Store.export_workspace`,
:meth:`Store.import_workspace`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from infra_gap.errors import DataError, InfraGapError

__all__ = [
    "KINDS",
    "MIGRATIONS",
    "ConflictError",
    "Item",
    "Store",
    "WorkspaceError",
    "database_url",
    "open_store",
]

#: What a workspace holds: a checklist field or a note per area code, a saved scenario
#: (TOML) per name, the chosen view (a query string) under the key "".
KINDS = ("checklist", "note", "scenario", "view")
FORMAT = "infra-gap-workspace"
FORMAT_VERSION = 1
MAX_NAME = 120  # characters of a workspace name
MAX_VALUE = 20_000  # characters of one item's text
MAX_IMPORT = 5_000_000  # bytes of an imported workspace file
DB_ENV = "INFRA_GAP_DB"
SQLITE_NAME = "workspaces.sqlite"
_EXPORTED = ("kind", "key", "field", "value", "version", "updated_by", "updated_at")


class WorkspaceError(DataError):
    """A workspace name, item or file cannot be used."""

    code = "E_WORKSPACE"


class ConflictError(InfraGapError, RuntimeError):
    """Another editor saved the item since it was read; nothing was overwritten.

    ``current`` is the item as it now is in the database (None if it was deleted).
    """

    code = "E_CONFLICT"

    def __init__(self, message: str, *, current: Item | None) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Item:
    """One stored item and the row version a later write must name."""

    kind: str
    key: str
    field: str
    value: str
    version: int
    updated_by: str
    updated_at: str


metadata = sa.MetaData()
schema_table = sa.Table(
    "infra_gap_schema",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.String(40), nullable=False),
)
workspaces = sa.Table(
    "workspaces",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(MAX_NAME), nullable=False, unique=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)
items = sa.Table(
    "workspace_items",
    metadata,
    sa.Column("workspace_id", sa.Integer, sa.ForeignKey("workspaces.id"), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("field", sa.String(60), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(120), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)


def _v1(conn: Connection) -> None:
    workspaces.create(conn)
    items.create(conn)


#: Ordered schema steps: (version, description, step). Append; never edit a released step.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "workspaces and their versioned items", _v1),
)


def database_url(cache_dir: Path) -> str:
    """``INFRA_GAP_DB`` when set, else a SQLite file in ``cache_dir`` (read per call)."""
    url = os.environ.get(DB_ENV, "").strip()
    if url:
        return url
    return f"sqlite:///{Path(cache_dir).resolve() / SQLITE_NAME}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_name(name: str) -> str:
    clean = " ".join(str(name).split())
    if not clean or len(clean) > MAX_NAME or any(ord(c) < 32 for c in clean):
        msg = f"workspace name must be 1 to {MAX_NAME} printable characters, got {name!r:.60}"
        raise WorkspaceError(msg)
    return clean


def _check_item(kind: str, key: str, field: str, value: str) -> None:
    if kind not in KINDS:
        msg = f"unknown workspace item kind {kind!r}; one of {', '.join(KINDS)}"
        raise WorkspaceError(msg)
    if len(key) > 200 or len(field) > 60:
        msg = f"workspace item key or field too long ({kind} {key!r:.40} {field!r:.40})"
        raise WorkspaceError(msg)
    if len(value) > MAX_VALUE:
        msg = f"{kind} {key} {field}: text longer than {MAX_VALUE:,} characters"
        raise WorkspaceError(msg)


class Store:
    """Workspaces in one database. Thread-safe: each call takes its own connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return str(self.engine.dialect.name)

    def migrate(self) -> int:
        """Apply the schema steps not yet applied; return the schema version."""
        with self.engine.begin() as conn:
            schema_table.create(conn, checkfirst=True)
        for version, description, step in MIGRATIONS:
            with self.engine.begin() as conn:
                done = conn.execute(
                    sa.select(schema_table.c.version).where(schema_table.c.version == version)
                ).first()
                if done is not None:
                    continue
                step(conn)
                conn.execute(
                    schema_table.insert().values(
                        version=version, description=description, applied_at=_now()
                    )
                )
        return self.schema_version()

    def schema_version(self) -> int:
        """The newest schema step applied (0 for an empty database)."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(schema_table.name):
                return 0
            return int(conn.execute(sa.select(sa.func.max(schema_table.c.version))).scalar() or 0)

    def workspace(self, name: str) -> int:
        """The id of workspace ``name``, made when it does not exist."""
        clean = _check_name(name)
        with self.engine.begin() as conn:
            found = conn.execute(
                sa.select(workspaces.c.id).where(workspaces.c.name == clean)
            ).scalar()
            if found is not None:
                return int(found)
        try:
            with self.engine.begin() as conn:
                made = conn.execute(workspaces.insert().values(name=clean, created_at=_now()))
                key = made.inserted_primary_key
                assert key is not None  # an INSERT always returns its primary key
                return int(key[0])
        except sa.exc.IntegrityError:  # made by another editor at the same moment
            with self.engine.connect() as conn:
                return int(
                    conn.execute(
                        sa.select(workspaces.c.id).where(workspaces.c.name == clean)
                    ).scalar_one()
                )

    def names(self) -> list[str]:
        """Every workspace's name, sorted."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(workspaces.c.name).order_by(workspaces.c.name))
            return [str(r[0]) for r in rows]

    def items(self, ws: int, kind: str, key: str | None = None) -> dict[tuple[str, str], Item]:
        """The items of one kind (of one key when given), by (key, field)."""
        query = sa.select(items).where(items.c.workspace_id == ws, items.c.kind == kind)
        if key is not None:
            query = query.where(items.c.key == key)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(items.c.key, items.c.field)).mappings()
            return {(r["key"], r["field"]): _item(r) for r in rows}

    def get(self, ws: int, kind: str, key: str, field: str = "") -> Item | None:
        """One item, or None."""
        return self.items(ws, kind, key).get((key, field))

    def put(
        self,
        ws: int,
        kind: str,
        key: str,
        field: str,
        value: str,
        *,
        expected: int,
        editor: str = "",
    ) -> Item:
        """Save an item written on top of row version ``expected`` (0: a new item).

        Raises
        ------
        ConflictError
            When the stored version is not ``expected``: another editor saved (or deleted)
            it in between. Nothing is written.
        """
        _check_item(kind, key, field, value)
        where = (
            (items.c.workspace_id == ws)
            & (items.c.kind == kind)
            & (items.c.key == key)
            & (items.c.field == field)
        )
        new: dict[str, Any] = {"value": value, "version": expected + 1}
        new |= {"updated_by": editor[:120], "updated_at": _now()}
        try:
            with self.engine.begin() as conn:
                if expected == 0:
                    conn.execute(
                        items.insert().values(
                            workspace_id=ws, kind=kind, key=key, field=field, **new
                        )
                    )
                else:
                    done = conn.execute(
                        items.update().where(where & (items.c.version == expected)).values(**new)
                    )
                    if done.rowcount != 1:
                        stale = "stale version"
                        raise sa.exc.IntegrityError(stale, None, Exception(stale))
        except sa.exc.IntegrityError:
            current = self.get(ws, kind, key, field)
            who = f" by {current.updated_by}" if current and current.updated_by else ""
            when = f" at {current.updated_at}" if current else ""
            msg = (
                f"{kind} {key} {field}: saved by another editor{who}{when} "
                f"(version {current.version if current else 'deleted'}, yours was {expected})"
            )
            raise ConflictError(msg, current=current) from None
        return Item(kind, key, field, value, expected + 1, editor[:120], str(new["updated_at"]))

    def export_workspace(self, ws: int) -> bytes:
        """The workspace as a JSON file (UTF-8): its name and every item with its version."""
        with self.engine.connect() as conn:
            name = conn.execute(sa.select(workspaces.c.name).where(workspaces.c.id == ws)).scalar()
            rows = conn.execute(
                sa.select(items)
                .where(items.c.workspace_id == ws)
                .order_by(items.c.kind, items.c.key, items.c.field)
            ).mappings()
            records = [{k: r[k] for k in _EXPORTED} for r in rows]
        doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "workspace": name}
        doc["items"] = records
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")

    def import_workspace(self, data: bytes, *, name: str = "", editor: str = "") -> tuple[int, int]:
        """Add a workspace file's items to workspace ``name`` (the file's own name if empty).

        Items the workspace lacks are added; items it has are overwritten only when their
        stored version is the one the file was exported from (no newer edit is lost).

        Returns
        -------
        (workspace id, items written)

        Raises
        ------
        WorkspaceError
            The file is not a workspace file; nothing is written.
        ConflictError
            An item was edited since the file was exported; nothing is written.
        """
        doc = _parse(data)
        ws = self.workspace(name or str(doc["workspace"]))
        records: list[Mapping[str, Any]] = doc["items"]
        with self.engine.begin() as conn:
            for n, r in enumerate(records, start=1):
                key = (str(r["kind"]), str(r["key"]), str(r["field"]))
                where = (
                    (items.c.workspace_id == ws)
                    & (items.c.kind == key[0])
                    & (items.c.key == key[1])
                    & (items.c.field == key[2])
                )
                row = conn.execute(sa.select(items).where(where)).mappings().first()
                values = {"value": str(r["value"]), "updated_by": editor[:120],
                          "updated_at": _now()}  # fmt: skip
                if row is None:
                    conn.execute(
                        items.insert().values(
                            workspace_id=ws,
                            kind=key[0],
                            key=key[1],
                            field=key[2],
                            version=1,
                            **values,
                        )
                    )
                elif row["value"] == values["value"]:
                    continue
                elif int(row["version"]) == int(r["version"]):
                    conn.execute(
                        items.update()
                        .where(where)
                        .values(version=int(row["version"]) + 1, **values)
                    )
                else:
                    msg = (
                        f"item {n} ({' '.join(key)}) was edited in the workspace since the file "
                        f"was exported (version {row['version']}, file {r['version']}); "
                        "nothing was imported"
                    )
                    raise ConflictError(msg, current=_item(row))
        return ws, len(records)


def _item(r: Any) -> Item:
    return Item(
        kind=str(r["kind"]),
        key=str(r["key"]),
        field=str(r["field"]),
        value=str(r["value"]),
        version=int(r["version"]),
        updated_by=str(r["updated_by"]),
        updated_at=str(r["updated_at"]),
    )


def _parse(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_IMPORT:
        msg = f"workspace file larger than {MAX_IMPORT:,} bytes"
        raise WorkspaceError(msg)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        msg = f"not a workspace file (JSON expected): {type(err).__name__} at byte {_pos(err)}"
        raise WorkspaceError(msg) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        msg = f"not a workspace file: field 'format' must be {FORMAT!r}"
        raise WorkspaceError(msg)
    if doc.get("format_version") != FORMAT_VERSION:
        found = doc.get("format_version")
        msg = f"workspace file version {found!r}; this app reads {FORMAT_VERSION}"
        raise WorkspaceError(msg)
    _check_name(str(doc.get("workspace") or ""))
    records = doc.get("items")
    if not isinstance(records, list):
        msg = "workspace file: field 'items' must be a list"
        raise WorkspaceError(msg)
    for n, r in enumerate(records, start=1):
        if not isinstance(r, dict) or not {"kind", "key", "field", "value", "version"} <= set(r):
            msg = f"workspace file: item {n} lacks kind, key, field, value or version"
            raise WorkspaceError(msg)
        if not isinstance(r["version"], int) or isinstance(r["version"], bool):
            msg = f"workspace file: item {n}: version must be a whole number"
            raise WorkspaceError(msg)
        _check_item(str(r["kind"]), str(r["key"]), str(r["field"]), str(r["value"]))
    return doc


def _pos(err: Exception) -> int:
    return int(getattr(err, "pos", getattr(err, "start", 0)))


def open_store(url: str) -> Store:
    """A migrated store on ``url`` (a SQLite file's folder is made if missing)."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        msg = f"{DB_ENV} is not a database URL"
        raise WorkspaceError(msg) from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 15, "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        store = Store(sa.create_engine(parsed, **kwargs))
        store.migrate()
    except sa.exc.SQLAlchemyError as err:
        backend = parsed.get_backend_name()
        msg = f"cannot open the workspace database ({backend}): {type(err).__name__}"
        raise WorkspaceError(msg) from None
    return store
