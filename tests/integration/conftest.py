"""Real databases for the store tests: SQLite always, PostgreSQL when configured.

Each test gets a fresh store. Migrations run once per backend into a template
(a file for SQLite, a template database for PostgreSQL) that is copied per
test, so every test runs on the real migrated schema without paying for the
migrations each time. PostgreSQL databases get unique names, so that several
runs can share one server.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from chronicle import database
from chronicle.store import Store

PG_URL = os.environ.get("CHRONICLE_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


class PgFactory:
    """Creates and drops uniquely named PostgreSQL databases from a template."""

    def __init__(self) -> None:
        assert PG_URL
        self.admin = sa.create_engine(database.resolve_url(PG_URL), isolation_level="AUTOCOMMIT")
        self.prefix = f"chronicle_t_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_tmpl"
        self.made: list[str] = []
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.template}"')
        engine = database.create_engine(self.url(self.template))
        database.upgrade(engine)
        engine.dispose()

    def url(self, name: str) -> str:
        return database.resolve_url(PG_URL).rsplit("/", 1)[0] + "/" + name

    def new(self, migrated: bool = True) -> str:
        name = f"{self.prefix}_{len(self.made)}"
        template = f' TEMPLATE "{self.template}"' if migrated else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{template}')
        self.made.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in [*self.made, self.template]:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_factory() -> Iterator[PgFactory]:
    if not PG_URL:
        pytest.skip("PostgreSQL not configured: set CHRONICLE_TEST_PG_URL to run the store tests on it")
    factory = PgFactory()
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = database.create_engine(database.resolve_url(str(path)))
    database.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """The URL of a fresh, migrated, empty store on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copy(sqlite_template, path)
        yield database.resolve_url(str(path))
        return
    factory: PgFactory = request.getfixturevalue("pg_factory")
    url = factory.new()
    yield url
    factory.drop(url)


@pytest.fixture(params=BACKENDS)
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database with no schema at all, on each backend."""
    if request.param == "sqlite":
        yield database.resolve_url(str(tmp_path / "blank.db"))
        return
    factory: PgFactory = request.getfixturevalue("pg_factory")
    url = factory.new(migrated=False)
    yield url
    factory.drop(url)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(database.create_engine(store_url))
    yield s
    s.close()


@pytest.fixture
def pg_or_sqlite_blank(blank_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Makes more blank databases on the same backend as ``blank_url``."""
    made: list[str] = []
    factory: PgFactory | None = request.getfixturevalue("pg_factory") if blank_url.startswith("postgresql") else None

    def new() -> str:
        if factory is None:
            made.append(database.resolve_url(str(tmp_path / f"blank-{len(made)}.db")))
        else:
            made.append(factory.new(migrated=False))
        return made[-1]

    yield new
    if factory is not None:
        for url in made:
            factory.drop(url)
