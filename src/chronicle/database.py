"""Connecting to a store and keeping its schema current.

The store is found from ``--db URL``, else ``$CHRONICLE_DB``, else
``./chronicle.db``. A plain path means a SQLite file. Migrations run
in-process through Alembic, with a configuration built in code, so an
installed chronicle needs no ``alembic.ini``.
"""

from __future__ import annotations

import operator
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

import sqlalchemy as sa

from chronicle.errors import ConfigError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest migration. Opening a store at this revision needs no Alembic
#: (importing it is a seventh of a command's start-up); a test holds it to
#: the head of ``migrations/``.
SCHEMA_HEAD = "0007"

DEFAULT_DB = "chronicle.db"
# Names the migration lock among PostgreSQL advisory locks ("chrmig").
PG_MIGRATE_LOCK = 0x6368726D6967
# A writer waits this long for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 60.0


def resolve_url(db: str | None = None) -> str:
    """The store URL from the option, the environment or the default."""
    value = db or os.environ.get("CHRONICLE_DB") or DEFAULT_DB
    if "://" not in value:
        # Built, not concatenated: a URL unquotes %xx, so a file named
        # "a%20b.db" must be escaped to stay that file.
        path = str(Path(value).expanduser().resolve())
        return sa.engine.URL.create("sqlite", database=path).render_as_string(hide_password=False)
    if value.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver chronicle ships with.
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and memory."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer appends; NORMAL sync is durable
    # across application crashes in WAL mode (only an OS crash can lose the
    # last commits, never corrupt the file).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def driver_message(exc: sa.exc.DBAPIError) -> str:
    """The first line of what the database driver said (PostgreSQL's messages run on to detail lines)."""
    said = str(exc.orig).strip()
    return said.splitlines()[0] if said else type(exc.orig).__name__


def unusable_file(error: BaseException, url: sa.engine.URL | str) -> StoreError | None:
    """The error to report when SQLite says the store's file is not a database, or a damaged one.

    SQLite names these by result code (Python 3.11+ hands it over): NOTADB
    for a file that is not SQLite at all (a text file, random bytes),
    CORRUPT and its extended codes for a damaged one (a truncated copy).
    """
    name = getattr(error, "sqlite_errorname", "")
    if not name:
        return None
    url = url if isinstance(url, str) else url.render_as_string(hide_password=True)
    where = sqlite_path(url) or url
    if name == "SQLITE_NOTADB":
        return StoreError(f"{where} is not a chronicle store: SQLite says the file is not a database",
                          "point --db at a chronicle store, or at a new file name to start one")
    if name.startswith("SQLITE_CORRUPT"):
        return StoreError(f"the store {where} is damaged: {str(error).strip() or name}",
                          "restore the file from a backup, or point --db at another store")
    return None


def _refuse_unusable_file(context: sa.engine.ExceptionContext) -> None:
    # Every error of the engine passes here, wherever the statement was run
    # (opening, a read, verify, a read model), connecting included: a file
    # that is not a database is said so once, for every command.
    found = unusable_file(context.original_exception, context.engine.url if context.engine is not None else "")
    if found is not None:
        raise found


@contextmanager
def opening(url: str | sa.engine.URL) -> Iterator[None]:
    """Turn a database error while a store is being opened into a one-line StoreError naming it."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        parsed = sa.engine.make_url(url)
        path = sqlite_path(parsed.render_as_string(hide_password=False))
        if path is not None:
            raise StoreError(f"cannot open store {path}: {driver_message(exc)}",
                             "point --db (or $CHRONICLE_DB) at a store file you may read and write") from exc
        raise StoreError(f"cannot open store {parsed.render_as_string(hide_password=True)}: {driver_message(exc)}",
                         "check the URL in --db (or $CHRONICLE_DB) and that the database server is up") from exc


def _sqlite_on_begin(conn: sa.Connection) -> None:
    # pysqlite's own transaction handling is switched off (isolation_level
    # None), so chronicle says BEGIN itself: IMMEDIATE for writers, which
    # takes the write lock up front (waiting out the busy timeout) instead of
    # failing with "database is locked" halfway through a transaction.
    immediate = conn.info.pop("chronicle_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine(url: str) -> sa.Engine:
    """An engine with chronicle's connection settings for the URL's backend."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"cannot read store URL {url!r}", "give a file path or a URL such as postgresql://user@host/db") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None and not path.parent.is_dir():
            raise ConfigError(f"folder {path.parent} does not exist", "create it or point --db elsewhere")
        engine = sa.create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "isolation_level": None},
        )
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        sa.event.listen(engine, "begin", _sqlite_on_begin)
        sa.event.listen(engine, "handle_error", _refuse_unusable_file)
        return engine
    if backend == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise ConfigError(f"unsupported database {backend!r} in {url!r}", "use a SQLite file or a postgresql:// URL")


def writable(path: Path) -> bool:
    """Whether this process may write a SQLite store's file and make files beside it (its WAL)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_read_only(url: str) -> sa.Engine:
    """An engine that only reads the SQLite store at ``url``, for a store this process may not write.

    Nothing is written beside the store either. With no ``-wal`` file beside
    it, or an empty one, the file is the whole store: it is read as
    ``immutable``. Otherwise ``mode=ro`` reads the write-ahead log too,
    through its index (``-shm``), which must be there already. The schema must
    be current: a read-only store cannot be migrated.
    """
    path = sqlite_path(url)
    assert path is not None, "a SQLite store on disk"
    wal = path.with_name(path.name + "-wal")
    # Percent-encoded: a "?" or "#" in a file name stays part of the name.
    logged = wal.exists() and wal.stat().st_size > 0
    uri = path.as_uri() + ("?mode=ro" if logged else "?mode=ro&immutable=1")
    engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(
        uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False))
    sa.event.listen(engine, "begin", _sqlite_on_begin)
    try:
        current = _at_head(engine)
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        hint = (f"its write-ahead log {wal} can be read only through an index that this process may not make "
                "beside it: run the command as the store's owner" if logged
                else "check that the file is a chronicle store")
        raise ConfigError(f"cannot read the store at {path}: {exc.orig}", hint) from None
    if not current:
        engine.dispose()
        raise ConfigError(f"the store at {path} is read-only and its schema is older than this chronicle's",
                          "run `chronicle db upgrade` once with write access to it")
    return engine


def write_begin(conn: sa.Connection) -> None:
    """Mark the next transaction on ``conn`` as a writer's (SQLite: IMMEDIATE)."""
    if conn.dialect.name == "sqlite":
        conn.info["chronicle_immediate"] = True


def migrations_dir() -> Path:
    """Where the migration scripts are: inside the installed package, or the repository."""
    packaged = Path(__file__).resolve().parent / "migrations"
    if (packaged / "env.py").is_file():
        return packaged
    source = Path(__file__).resolve().parents[2] / "migrations"
    if (source / "env.py").is_file():
        return source
    raise ConfigError("chronicle's migrations are missing from this installation", "reinstall chronicle")


def alembic_config(connection: sa.Connection | None = None, stdout: TextIO | None = None) -> Config:
    from alembic.config import Config

    cfg = Config(stdout=stdout) if stdout is not None else Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _at_head(engine: sa.Engine) -> bool:
    """Whether the store's recorded revision is :data:`SCHEMA_HEAD`, asked without Alembic."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return False
        found = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return found == [SCHEMA_HEAD]


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Migrate the store to ``revision`` (the latest by default)."""
    with engine.connect() as conn:
        write_begin(conn)
        with conn.begin():
            # Two processes opening a new store at once must not both create
            # the tables: the second waits here, then Alembic reads the
            # version the first committed and has nothing left to do.
            # (SQLite: BEGIN IMMEDIATE already serialises this.)
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATE_LOCK})
            from alembic import command

            command.upgrade(alembic_config(conn), revision)


def ensure_current(engine: sa.Engine, *, create: bool = True) -> None:
    """Migrate on first use; a no-op when the store is already at head.

    A database without chronicle's version table is migrated only when it is
    empty and ``create`` allows it: chronicle never writes its tables into
    another program's database, and a read command never makes a store.
    """
    if _at_head(engine):
        return
    revision = current_revision(engine)
    if revision is None:
        where = engine.url.render_as_string(hide_password=True)
        with engine.connect() as conn:
            tables = sorted(sa.inspect(conn).get_table_names())
        if tables:
            shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
            raise StoreError(f"{where} is not a chronicle store: it holds tables of its own ({shown})",
                             "pass --db a chronicle store, or a new file for a new store")
        if not create:
            raise StoreError(f"{where} is empty: no chronicle store yet",
                             "ingest events first (`chronicle ingest events/`) or pass --db")
    if revision != head_revision():
        upgrade(engine)


def history() -> list[dict[str, str | None]]:
    """Every migration, newest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [
        {"revision": rev.revision, "down_revision": str(rev.down_revision) if rev.down_revision else None,
         "message": (rev.doc or "").strip().splitlines()[0] if rev.doc else ""}
        for rev in script.walk_revisions()
    ]


def bulk_insert(conn: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows chronicle derived itself (read models, folds) by the driver's bulk path.

    The rows are plain values of our own, so a Core insert's per-row type
    processing is only time: PostgreSQL gets a COPY, SQLite one prepared
    executemany with dates as ISO text (what SQLAlchemy's Date stores there)
    and booleans as 0 or 1. A column a row leaves out is NULL.
    """
    if not rows:
        return
    if conn.dialect.name not in ("postgresql", "sqlite"):
        conn.execute(table.insert(), list(rows))
        return
    names = [c.name for c in table.columns]
    every = operator.itemgetter(*names)
    values: list[Sequence[Any]] = []
    for row in rows:
        try:
            values.append(every(row))
        except KeyError:  # a column the row leaves out is NULL
            values.append([row.get(n) for n in names])
    bulk_insert_values(conn, table, values)


def stored_date(dialect: str) -> Callable[[date | None], Any]:
    """A date as :func:`bulk_insert_values` hands it to the driver: ISO text on SQLite, as it is elsewhere."""
    if dialect == "sqlite":
        return lambda day: None if day is None else day.isoformat()
    return lambda day: day


def bulk_insert_values(conn: sa.Connection, table: sa.Table, values: Sequence[Sequence[Any]], *,
                       stored: bool = False) -> None:
    """:func:`bulk_insert` of rows given as values in the table's column order.

    With ``stored`` the values are already what the driver is given (dates
    through :func:`stored_date`, no booleans): they go to it untouched.
    """
    if not values:
        return
    names = [c.name for c in table.columns]
    if conn.dialect.name == "postgresql":
        driver: Any = conn.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for item in values:
                copy.write_row(item)
        return
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), [dict(zip(names, item)) for item in values])
        return
    dates = [i for i, c in enumerate(table.columns) if isinstance(c.type, sa.Date)]
    flags = [i for i, c in enumerate(table.columns) if isinstance(c.type, sa.Boolean)]
    if (dates or flags) and not stored:
        # A date's text once per distinct date: rows share a handful of them.
        texts: dict[Any, str] = {}
        converted = []
        for item in values:
            row = list(item)
            for i in dates:
                day = row[i]
                if day is not None:
                    text = texts.get(day)
                    if text is None:
                        text = texts[day] = day.isoformat()
                    row[i] = text
            for i in flags:
                if row[i] is not None:
                    row[i] = int(row[i])
            converted.append(row)
        values = converted
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, values)
    finally:
        cursor.close()
