"""chronicle at scale, beside the alternatives, on generated corpora.

Each step runs in a fresh interpreter so that its peak memory (RSS) is its
own: the parent reads the child's ``ru_maxrss`` from ``os.wait4``. Steps:

- ``ingest``: ``chronicle.ingest.ingest`` on the generated folder (the code
  path of ``chronicle ingest``: YAML, validation, hashing, append);
- ``as_of_models`` / ``as_of_report``: ``queries.as_of`` at several cutoffs
  (median and p95), for the models projection and for the full report;
- ``diff``: ``queries.diff`` of the models projection between two cutoffs;
- ``replay``: every event read and folded through the models projection;
- ``rebuild``: every projection folded from the whole log, and the models' values table refolded;
- ``rebuild_stored``: what ``chronicle projections rebuild`` does: the models' values and rows
  refolded and every read-model table (``rm_*``) recomputed from the log;
- ``log``: the log exported as NDJSON (``chronicle log --format ndjson``);
- baselines on the same events: ``raw_sqlite`` (``sqlite3`` executemany
  into a table with the events table's columns and indexes), ``raw_latest``
  (the SQL "latest event per subject at the cutoff"), ``raw_read`` (a full
  scan with JSON decoding) and ``eventsourcing`` (the PyPI library, the
  same events saved a document at a time).

A step's clock stops when its answer is in hand: freeing the answer (a
replay's million events take half a second to free) is left off it, as
the baselines' small results are.

    python benchmarks/run.py --quick
    python benchmarks/run.py --sizes 10k,100k,1m --backends sqlite,postgresql
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SIZES, generate  # noqa: E402

RESULTS = HERE / "results"
PG_ADMIN = os.environ.get("CHRONICLE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
#: Rows per transaction of the raw baseline: large enough that commits cost little.
RAW_BATCH = 5000
CUTOFFS = ("2019-12", "2020-09", "2021-06", "2022-03", "2022-12", "2023-09", "2024-06", "2025-03", "2025-12")


# -- steps (run in a child process) ------------------------------------------------


def _timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _latency(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000, "samples": len(ordered)}


def _cutoffs(n: int) -> list[str]:
    return list(CUTOFFS)[-n:] if n < len(CUTOFFS) else list(CUTOFFS)


def step_ingest(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    from chronicle.ingest import ingest
    from chronicle.store import open_store

    store = open_store(db)
    start = time.perf_counter()
    report = ingest(store, [corpus / "events"], allow_drafts=False)
    took = time.perf_counter() - start
    assert report.appended == events, (report.appended, events)
    return {"seconds": took, "events_per_s": events / took}


def step_as_of(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    from chronicle import queries
    from chronicle.store import open_store

    store = open_store(db, create=False)
    names = ("models",) if opts["what"] == "models" else ()
    samples, per_row, rows = [], [], 0
    for when in _cutoffs(opts["cutoffs"]):
        start = time.perf_counter()
        answer = queries.as_of(store, when, projections=names)
        samples.append(time.perf_counter() - start)
        rows = sum(len(p["rows"]) for p in answer["projections"].values())
        del answer  # freed off the clock, as for every step: the answer's time, not its freeing
        if rows:
            per_row.append(samples[-1] / rows)
    # The answer grows with the subjects a corpus has; its cost per row shows what the log's length adds.
    return _latency(samples) | {"rows_at_last_cutoff": rows,
                                "median_us_per_row": statistics.median(per_row) * 1e6 if per_row else None}


def step_diff(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    from chronicle import queries
    from chronicle.store import open_store

    store = open_store(db, create=False)
    cutoffs = _cutoffs(opts["cutoffs"])
    samples = []
    for a, b in zip(cutoffs, cutoffs[1:]):
        start = time.perf_counter()
        changes = queries.diff(store, a, b, projections=("models",))
        samples.append(time.perf_counter() - start)
        del changes
    return _latency(samples)


def step_replay(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    from chronicle import queries
    from chronicle.projections import REGISTRY
    from chronicle.store import open_store

    store = open_store(db, create=False)
    chosen = [REGISTRY["models"]] if opts["what"] == "models" else list(REGISTRY.values())
    start = time.perf_counter()
    loaded = queries.load(store, chosen)
    took = time.perf_counter() - start
    del loaded
    if opts["what"] == "models":
        return {"seconds": took, "events_per_s": events / took}
    # A rebuild of everything also refolds the models' values table from scratch.
    from chronicle import modelvalues

    start = time.perf_counter()
    modelvalues.catch_up(store, rebuild=True)
    values = time.perf_counter() - start
    return {"seconds": took + values, "fold_s": took, "values_table_s": values, "events_per_s": events / (took + values)}


def step_rebuild_stored(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    from chronicle import modelvalues, readmodels
    from chronicle.store import open_store

    store = open_store(db, create=False)
    start = time.perf_counter()
    modelvalues.catch_up(store, rebuild=True)
    values = time.perf_counter() - start
    readmodels.refresh(store)
    took = time.perf_counter() - start
    return {"seconds": took, "values_table_s": values, "read_models_s": took - values, "events_per_s": events / took}


def step_log(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    from chronicle.render import ndjson_lines
    from chronicle.store import open_store

    store = open_store(db, create=False)
    start = time.perf_counter()
    size = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for line in ndjson_lines(e.to_dict() for e in store.read()):
            size += len(line)
            sink.write(line)
    took = time.perf_counter() - start
    return {"seconds": took, "events_per_s": events / took, "bytes": size}


# -- baselines ------------------------------------------------------------------------


def _raw_rows(corpus: Path) -> Any:
    """The corpus as flat rows with the events table's columns (YAML read, no validation)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    seq = 0
    for path in sorted((corpus / "events").glob("doc-*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
        doc = data["document"]
        batch = []
        for e in data["events"]:
            seq += 1
            when = e.get("when") or {}
            batch.append((
                seq, f"{doc['id']}:{e['id']}", e["subject"], seq, e["type"], 1, str(when.get("text", "")),
                str(when.get("edtf", "")), str(doc["published"]), str(doc["published"]), "day", "none",
                "absolute", e.get("certainty", "reported"), json.dumps(e.get("entities", [])),
                json.dumps(e.get("facts") or {}, default=str), doc["id"], e["quote"], None, None,
                str(doc["published"]), "2026-01-01T00:00:00", "0" * 64, "0" * 64,
            ))
        yield doc, batch


RAW_SCHEMA = """
CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
  stream_version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, when_text TEXT NOT NULL,
  when_edtf TEXT NOT NULL, earliest DATE, latest DATE, precision TEXT NOT NULL, qualifier TEXT NOT NULL,
  anchor TEXT NOT NULL, certainty TEXT NOT NULL, entities TEXT NOT NULL, facts TEXT NOT NULL,
  document_id TEXT NOT NULL, quote TEXT NOT NULL, quote_start INTEGER, quote_end INTEGER, known_from DATE,
  recorded_at TIMESTAMP NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream, stream_version));
"""


def step_raw_sqlite(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    """The physical floor of an append: rows already in memory, one executemany per 5,000 rows."""
    import sqlite3

    batches = [b for _, b in _raw_rows(corpus)] if events <= 100_000 else None
    path = Path(opts["raw_path"])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(RAW_SCHEMA)
    for index in opts["indexes"]:
        conn.execute(index)
    sql = f"INSERT INTO events VALUES ({', '.join('?' * 24)})"
    took = 0.0
    # At 1M the prepared rows would not fit the memory budget of a step: they
    # are prepared a document at a time, outside the timed part.
    source = batches if batches is not None else (b for _, b in _raw_rows(corpus))
    for batch in _regroup(source, RAW_BATCH):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(sql, batch)
        conn.execute("COMMIT")
        took += time.perf_counter() - start
    conn.close()
    return {"seconds": took, "events_per_s": events / took}


def _regroup(batches: Any, size: int) -> Any:
    """Documents' rows regrouped into transactions of ``size`` rows."""
    pending: list[Any] = []
    for batch in batches:
        pending.extend(batch)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


def step_raw_latest(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    """Latest event per subject at the cutoff, one index seek per subject, on chronicle's own table."""
    import sqlalchemy as sa

    from chronicle import database
    from chronicle.fuzzydate import parse_cutoff

    engine = database.create_engine(db)
    query = sa.text(
        "SELECT s.stream, (SELECT e.seq FROM events e WHERE e.stream = s.stream AND e.earliest <= :cutoff "
        "ORDER BY e.earliest DESC LIMIT 1) FROM (SELECT DISTINCT stream FROM events) s"
    )
    samples = []
    with engine.connect() as conn:
        for when in _cutoffs(opts["cutoffs"]):
            cutoff = parse_cutoff(when)
            start = time.perf_counter()
            found = conn.execute(query, {"cutoff": cutoff}).all()
            samples.append(time.perf_counter() - start)
    return _latency(samples) | {"subjects": len(found)}


def step_raw_read(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    """A full scan in sequence order, decoding the JSON columns: the raw read rate."""
    from chronicle import database

    engine = database.create_engine(db)
    start = time.perf_counter()
    n = 0
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=5000).exec_driver_sql(
            "SELECT seq, event_id, stream, type, earliest, latest, facts, entities FROM events ORDER BY seq"
        )
        for row in result:
            json.loads(row[6])
            json.loads(row[7])
            n += 1
    took = time.perf_counter() - start
    return {"seconds": took, "events_per_s": n / took}


def step_eventsourcing(db: str, corpus: Path, events: int, opts: dict[str, Any]) -> dict[str, Any]:
    """The ``eventsourcing`` library: one aggregate per subject, a document's events saved at once."""
    from uuid import NAMESPACE_URL, uuid5

    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Subject(Aggregate):
        @staticmethod
        def create_id(slug: str) -> Any:
            return uuid5(NAMESPACE_URL, slug)

        @event("Created")
        def __init__(self, slug: str) -> None:
            self.slug = slug

        @event("Claimed")
        def claim(self, event_id: str, type: str, when_edtf: str, facts: str, document: str, quote: str) -> None:
            pass

    if opts["backend"] == "sqlite":
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": opts["raw_path"]}
    else:
        from sqlalchemy.engine import make_url

        url = make_url(db)
        env = {"PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": url.database,
               "POSTGRES_HOST": url.host, "POSTGRES_PORT": str(url.port or 5432), "POSTGRES_USER": url.username,
               "POSTGRES_PASSWORD": url.password or ""}
    app = Application(env=env)
    took = 0.0
    subjects: dict[str, Subject] = {}
    for _doc, batch in _raw_rows(corpus):
        start = time.perf_counter()
        touched = {}
        for row in batch:
            agg = subjects.get(row[2])
            if agg is None:
                agg = subjects[row[2]] = Subject(row[2])
            agg.claim(row[1], row[4], row[7], row[15], row[16], row[17])
            touched[row[2]] = agg
        app.save(*touched.values())
        took += time.perf_counter() - start
    return {"seconds": took, "events_per_s": events / took}


STEPS = {
    "ingest": step_ingest, "as_of": step_as_of, "diff": step_diff, "replay": step_replay, "log": step_log,
    "raw_sqlite": step_raw_sqlite, "raw_latest": step_raw_latest, "raw_read": step_raw_read,
    "eventsourcing": step_eventsourcing, "rebuild_stored": step_rebuild_stored,
}


def child(args: argparse.Namespace) -> None:
    opts = json.loads(args.opts)
    result = STEPS[args.step](args.db, Path(args.corpus), args.events, opts)
    print(json.dumps(result))


# -- the parent ---------------------------------------------------------------------


def measured(step: str, db: str, corpus: Path, events: int, **opts: Any) -> dict[str, Any]:
    """Run one step in a fresh process; add its peak RSS (MB) from wait4."""
    argv = [sys.executable, __file__, "--child", step, "--db", db, "--corpus", str(corpus),
            "--events", str(events), "--opts", json.dumps(opts)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"step {step} failed:\n{err.read()}")
        result: dict[str, Any] = json.loads(out.read().strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def _pg_database(create: bool, name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if create:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        else:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def bench(size: str, backend: str, work: Path, repeat: int, quick: bool, log: Any) -> dict[str, Any]:
    events = SIZES[size]
    corpus = generate(size)
    name = f"chronicle_bench_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        db = f"sqlite:///{work / (name + '.db')}"
    else:
        _pg_database(True, name)
        db = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    figures: dict[str, Any] = {"size": size, "events": events, "backend": backend}
    try:
        best: dict[str, Any] | None = None
        for attempt in range(repeat):
            if attempt:
                # A fresh store for each ingest run; keep the best.
                if backend == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(str(work / (name + ".db")) + suffix).unlink(missing_ok=True)
                else:
                    _pg_database(False, name)
                    _pg_database(True, name)
            got = measured("ingest", db, corpus, events)
            log(f"  ingest run {attempt + 1}: {got['events_per_s']:,.0f} events/s, {got['peak_rss_mb']:.0f} MB")
            if best is None or got["events_per_s"] > best["events_per_s"]:
                best = got
        figures["ingest"] = best
        figures.update(read_steps(db, corpus, events, quick, log))
        if backend == "sqlite":
            indexes = ["CREATE INDEX ix_doc ON events (document_id)", "CREATE INDEX ix_type ON events (type)"]
            indexes += _extra_indexes()
            raw_path = str(work / (name + "-raw.db"))
            figures["raw_sqlite"] = measured("raw_sqlite", db, corpus, events, raw_path=raw_path, indexes=indexes)
            log(f"  raw_sqlite: {_short(figures['raw_sqlite'])}")
        es_path = str(work / (name + "-es.db"))
        try:
            if backend == "postgresql":
                _pg_database(False, name)
                _pg_database(True, name)
            figures["eventsourcing"] = measured("eventsourcing", db, corpus, events, raw_path=es_path,
                                                backend=backend)
            log(f"  eventsourcing: {_short(figures['eventsourcing'])}")
        except SystemExit as exc:
            figures["eventsourcing"] = {"error": str(exc).splitlines()[-1]}
            log(f"  eventsourcing: skipped ({figures['eventsourcing']['error']})")
    finally:
        if backend == "postgresql":
            _pg_database(False, name)
        for path in work.glob(name + "*"):
            path.unlink()
    return figures


def read_steps(db: str, corpus: Path, events: int, quick: bool, log: Any) -> dict[str, Any]:
    """Every step that reads a store already holding the corpus, each in a fresh process."""
    cutoffs = 5 if quick else (9 if events <= 100_000 else 5)
    report_cutoffs = 3 if events >= 1_000_000 else cutoffs
    figures: dict[str, Any] = {}
    for label, step, opts in (
        ("as_of_models", "as_of", {"what": "models", "cutoffs": cutoffs}),
        ("as_of_report", "as_of", {"what": "report", "cutoffs": report_cutoffs}),
        ("diff_models", "diff", {"cutoffs": min(cutoffs, 4)}),
        ("replay_models", "replay", {"what": "models"}),
        ("rebuild_all", "replay", {"what": "all"}),
        ("rebuild_stored", "rebuild_stored", {}),
        ("log_ndjson", "log", {}),
        ("raw_latest", "raw_latest", {"cutoffs": cutoffs}),
        ("raw_read", "raw_read", {}),
    ):
        figures[label] = measured(step, db, corpus, events, **opts)
        log(f"  {label}: {_short(figures[label])}")
    return figures


def _extra_indexes() -> list[str]:
    """The secondary indexes chronicle's events table has beyond those of 0001 (kept in step with tables.py)."""
    from chronicle.tables import events as events_t

    out = []
    for index in events_t.indexes:
        cols = [c.name for c in index.columns]
        if cols in (["document_id"], ["type"]):
            continue
        out.append(f"CREATE INDEX {index.name} ON events ({', '.join(cols)})")
    return out


def _short(fig: dict[str, Any]) -> str:
    if "median_ms" in fig:
        return f"median {fig['median_ms']:.1f} ms, p95 {fig['p95_ms']:.1f} ms, {fig['peak_rss_mb']:.0f} MB"
    if "events_per_s" in fig:
        return f"{fig['events_per_s']:,.0f} events/s ({fig['seconds']:.2f} s), {fig['peak_rss_mb']:.0f} MB"
    return str(fig)


def ratios(f: dict[str, Any]) -> dict[str, float | None]:
    def rate(key: str) -> float | None:
        return f.get(key, {}).get("events_per_s")

    def ms(key: str) -> float | None:
        return f.get(key, {}).get("median_ms")

    def div(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    return {
        "ingest_vs_raw_sqlite": div(rate("ingest"), rate("raw_sqlite")),
        "ingest_vs_eventsourcing": div(rate("ingest"), rate("eventsourcing")),
        "as_of_models_vs_raw_latest": div(ms("as_of_models"), ms("raw_latest")),
        "replay_vs_as_of_models": div(f.get("replay_models", {}).get("seconds", 0) * 1000, ms("as_of_models")),
        "replay_vs_raw_read": div(rate("replay_models"), rate("raw_read")),
        "diff_vs_as_of_models": div(ms("diff_models"), ms("as_of_models")),
        "as_of_models_us_per_row": f.get("as_of_models", {}).get("median_us_per_row"),
    }


def table(results: list[dict[str, Any]]) -> str:
    head = ("size", "backend", "ingest/s", "raw sqlite/s", "eventsourcing/s", "as-of models ms (p95)",
            "raw latest ms", "as-of report ms (p95)", "diff ms", "replay/s", "raw read/s", "rebuild s",
            "stored rebuild s", "log/s", "peak RSS MB")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def g(f: dict[str, Any], key: str, field: str, fmt: str = ",.0f") -> str:
        value = f.get(key, {}).get(field)
        return format(value, fmt) if isinstance(value, (int, float)) else "–"

    for f in results:
        rss = max((v.get("peak_rss_mb", 0) for v in f.values() if isinstance(v, dict) and "peak_rss_mb" in v),
                  default=0)
        lines.append("| " + " | ".join((
            f["size"], f["backend"], g(f, "ingest", "events_per_s"), g(f, "raw_sqlite", "events_per_s"),
            g(f, "eventsourcing", "events_per_s"),
            f"{g(f, 'as_of_models', 'median_ms', '.1f')} ({g(f, 'as_of_models', 'p95_ms', '.1f')})",
            g(f, "raw_latest", "median_ms", ".1f"),
            f"{g(f, 'as_of_report', 'median_ms', '.1f')} ({g(f, 'as_of_report', 'p95_ms', '.1f')})",
            g(f, "diff_models", "median_ms", ".1f"), g(f, "replay_models", "events_per_s"),
            g(f, "raw_read", "events_per_s"), g(f, "rebuild_all", "seconds", ".1f"),
            g(f, "rebuild_stored", "seconds", ".1f"), g(f, "log_ndjson", "events_per_s"), f"{rss:.0f}",
        )) + " |")
    lines += ["", "| size | backend | ingest ÷ raw sqlite3 | ingest ÷ eventsourcing | as-of ÷ raw latest "
              "| replay ÷ as-of | replay ÷ raw read | diff ÷ as-of | as-of µs per row |",
              "|---|---|---|---|---|---|---|---|---|"]
    for f in results:
        r = f["ratios"]
        lines.append("| " + " | ".join([f["size"], f["backend"]] + [
            "–" if r.get(k) is None else f"{r[k]:.2f}" for k in (
                "ingest_vs_raw_sqlite", "ingest_vs_eventsourcing", "as_of_models_vs_raw_latest",
                "replay_vs_as_of_models", "replay_vs_raw_read", "diff_vs_as_of_models")
        ] + ["–" if r.get("as_of_models_us_per_row") is None else f"{r['as_of_models_us_per_row']:.0f}"]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k events on both backends (under a minute)")
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=1, help="ingest runs per size (the best is kept)")
    parser.add_argument("--out", type=Path, help="JSON file (default: results/run-<time>.json)")
    parser.add_argument("--store", help="only the read steps, on this database URL, which must already hold "
                        "the corpus of the one size given (e.g. a 1M store ingested once, to compare code)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--events", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--opts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.step = args.child
        child(args)
        return
    sizes = ["10k"] if args.quick else args.sizes.split(",")
    backends = args.backends.split(",")
    RESULTS.mkdir(exist_ok=True)
    results = []

    def log(msg: str) -> None:
        print(msg, flush=True)

    if args.store:
        if len(sizes) != 1:
            raise SystemExit("--store takes one size: the one the store was ingested from")
        events = SIZES[sizes[0]]
        backend = args.store.split(":", 1)[0].split("+", 1)[0]
        log(f"{sizes[0]} events in {args.store}")
        f = {"size": sizes[0], "events": events, "backend": backend, "store": args.store}
        f.update(read_steps(args.store, generate(sizes[0]), events, args.quick, log))
        f["ratios"] = ratios(f)
        results.append(f)
    with tempfile.TemporaryDirectory(prefix="chronicle-bench-") as tmp:
        for size in ([] if args.store else sizes):
            for backend in backends:
                log(f"{size} events on {backend}")
                f = bench(size, backend, Path(tmp), args.repeat, args.quick, log)
                f["ratios"] = ratios(f)
                results.append(f)
    record = {
        "schema": "chronicle.bench/1",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "results": results,
    }
    out = args.out or RESULTS / f"run-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(results))
    print(f"\nfigures written to {out}")


if __name__ == "__main__":
    main()
