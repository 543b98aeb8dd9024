"""The store's contract, on every backend: append-only, idempotent, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import FrozenInstanceError, replace
from datetime import date

import pytest
import sqlalchemy as sa
from builders import doc, event

from chronicle.errors import ConflictError
from chronicle.events import UPCASTERS, Document, Event
from chronicle.fuzzydate import parse
from chronicle.store import LogFilter, Store
from chronicle.verify import verify


def test_append_then_read_back_everything(store: Store) -> None:
    first = event("r1", facts={"parameters": {"value": 671000000000, "unit": "params", "op": "="}},
                  entities=("deepseek",))
    result = store.append([first, event("v3", subject="deepseek-v3")], document=doc())
    assert result.appended == ["doc-a:r1", "doc-a:v3"]
    assert (result.present, result.refused, result.first_seq, result.last_seq) == ([], [], 1, 2)
    stored = list(store.read())
    assert [(e.seq, e.event_id, e.stream_version) for e in stored] == [(1, "doc-a:r1", 1), (2, "doc-a:v3", 1)]
    assert replace(stored[0], seq=None, stream_version=None, recorded_at=None) == first
    assert store.head() == 2


def test_appending_the_same_event_again_is_a_no_op(store: Store) -> None:
    store.append([event("r1")], document=doc())
    again = store.append([event("r1"), event("r2")], document=doc())
    assert (again.appended, again.present) == (["doc-a:r2"], ["doc-a:r1"])
    assert [e.event_id for e in store.read()] == ["doc-a:r1", "doc-a:r2"]


def test_same_id_with_other_content_is_refused_naming_the_fields(store: Store) -> None:
    store.append([event("r1", when="2025-01")], document=doc())
    changed = event("r1", when="2025-02", quote="another quote")
    result = store.append([event("new-one"), changed], document=doc())
    assert result.appended == []
    [refusal] = result.refused
    assert refusal.event_id == "doc-a:r1"
    assert set(refusal.fields) == {"when_text", "when_edtf", "earliest", "latest", "quote"}
    # All or nothing: the good event in the same batch was not appended either.
    assert [e.event_id for e in store.read()] == ["doc-a:r1"]


def test_a_document_with_other_content_is_refused(store: Store) -> None:
    store.append([], document=doc())
    result = store.append([event("r1")], document=doc(title="Another title"))
    assert [(r.event_id, r.fields) for r in result.refused] == [("document doc-a", ("title",))]
    assert store.head() == 0


def test_an_event_whose_document_is_missing_is_refused(store: Store) -> None:
    result = store.append([event("r1", document="nowhere")])
    assert [(r.event_id, r.reason) for r in result.refused] == [
        ("nowhere:r1", "document nowhere is not in the store")
    ]
    assert store.head() == 0


def test_stream_versions_count_per_subject(store: Store) -> None:
    store.append([event("a"), event("b", subject="qwen"), event("c")], document=doc())
    versions = [(e.subject, e.stream_version) for e in store.read()]
    assert versions == [("deepseek-r1", 1), ("qwen", 1), ("deepseek-r1", 2)]


def test_expected_version_guards_a_stream(store: Store) -> None:
    store.append([event("a")], document=doc())
    store.append([event("b")], expected_versions={"deepseek-r1": 1, "qwen": 0})
    with pytest.raises(ConflictError, match="stream deepseek-r1 is at version 2, not the expected 1"):
        store.append([event("c")], expected_versions={"deepseek-r1": 1})
    assert store.head() == 2


def test_read_filters(store: Store) -> None:
    store.append([], document=doc("old", published="2025-03-01"))
    store.append([event("a", document="old", when="2025-01")])
    store.append([
        event("b", when="2025-06", type="funding", subject="moonshot"),
        event("c", when="2025-38"),
        event("d", when="../2024-09"),
    ], document=doc())

    def ids(**kw: object) -> list[str]:
        return [e.event_id for e in store.read(LogFilter(**kw))]  # type: ignore[arg-type]

    assert ids(types=("funding",)) == ["doc-a:b"]
    assert ids(subjects=("deepseek-r1",), after=1) == ["doc-a:c", "doc-a:d"]
    assert ids(documents=("old",)) == ["old:a"]
    assert ids(since=date(2025, 7, 1)) == ["doc-a:c"]
    assert ids(until=date(2024, 12, 31)) == ["doc-a:d"]
    assert ids(known_at=date(2025, 12, 31)) == ["old:a"]
    assert ids(at_seq=2, limit=1) == ["old:a"]
    # A read can collect the documents its events cite, and only theirs.
    cited: set[str] = set()
    assert [e.event_id for e in store.read(LogFilter(types=("funding",)), documents=cited)] == ["doc-a:b"]
    assert cited == {"doc-a"}
    everything = list(store.read(documents=cited))
    assert cited == {e.document for e in everything} == {"doc-a", "old"}


def test_hostile_filter_values_are_only_data(store: Store) -> None:
    store.append([event("a")], document=doc())
    hostile = "x' OR '1'='1"
    assert list(store.read(LogFilter(types=(hostile,), subjects=(hostile,), documents=(hostile,)))) == []
    with pytest.raises(Exception, match="no event"):
        store.get(hostile)
    assert store.head() == 1


def _raw(store: Store, sql: str) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(sql)


@pytest.mark.parametrize("sql", ["UPDATE events SET quote = 'changed'", "DELETE FROM events",
                                 "UPDATE documents SET title = 'x'"])
def test_the_database_refuses_to_change_the_log(store: Store, sql: str) -> None:
    store.append([event("a")], document=doc())
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        _raw(store, sql)
    assert [e.evidence.quote for e in store.read()] == ["quote for a"]


def _drop_triggers(store: Store) -> None:
    if store.dialect == "sqlite":
        _raw(store, "DROP TRIGGER events_refuse_update")
        _raw(store, "DROP TRIGGER events_refuse_delete")
    else:
        _raw(store, "DROP TRIGGER events_refuse_change ON events")


def _three(store: Store) -> None:
    store.append([event("a"), event("b"), event("c")], document=doc())


def test_verify_passes_on_an_intact_log(store: Store) -> None:
    _three(store)
    report = verify(store)
    assert (report.ok, report.events, report.head_seq) == (True, 3, 3)


def test_verify_names_an_edited_row(store: Store) -> None:
    _three(store)
    _drop_triggers(store)
    _raw(store, "UPDATE events SET quote = 'forged' WHERE seq = 2")
    report = verify(store)
    assert not report.ok
    assert report.bad_seq == 2
    assert report.problem == "seq 2 (doc-a:b) was edited: its contents do not match its hash"


def test_verify_names_a_deleted_row(store: Store) -> None:
    _three(store)
    _drop_triggers(store)
    _raw(store, "DELETE FROM events WHERE seq = 2")
    report = verify(store)
    assert (report.ok, report.bad_seq) == (False, 2)
    assert report.problem == "the sequence has a hole: seq 2 missing before seq 3 (doc-a:c)"


def test_verify_names_a_replaced_row(store: Store) -> None:
    _three(store)
    _drop_triggers(store)
    # Rewrite row 2 with a self-consistent hash: only the chain link gives it away.
    from chronicle.hashchain import row_hash
    with store.engine.begin() as conn:
        row = dict(conn.execute(sa.text("SELECT * FROM events WHERE seq = 2")).mappings().one())
        row["quote"] = "forged"
        row["prev_hash"] = "f" * 64
        conn.execute(sa.text("UPDATE events SET quote = :q, prev_hash = :p, hash = :h WHERE seq = 2"),
                     {"q": row["quote"], "p": row["prev_hash"], "h": row_hash(row["prev_hash"], row)})
    report = verify(store)
    assert report.bad_seq == 2
    assert "prev_hash differs" in (report.problem or "")


def test_context_dates_and_open_bounds_round_trip(store: Store) -> None:
    e = replace(event("a"), when=parse("../2024-09"))
    store.append([e], document=doc())
    [back] = store.read()
    assert back.when == e.when
    assert (back.when.earliest, back.when.latest) == (None, date(2024, 9, 30))


def test_batches_sharing_a_transaction_are_each_all_or_nothing(store: Store) -> None:
    store.append([event("e1", document="doc-b")], document=doc("doc-b"))
    batches = [
        ([event("e1", document="doc-a"), event("e2", document="doc-a", subject="qwen")], doc("doc-a")),
        # A stored event with other content: this batch alone appends nothing.
        ([event("e3", document="doc-b"), event("e1", document="doc-b", when="2024-03")], doc("doc-b")),
        # A document stored with other content: refused as well.
        ([event("e4", document="doc-b")], doc("doc-b", title="Another title")),
        ([event("e1", document="doc-c"), event("e5", document="doc-c")], doc("doc-c")),
        # A new document whose batch is refused is not stored either.
        ([event("e6", document="doc-d"), event("e1", document="doc-b", when="2024-03")], doc("doc-d")),
    ]
    results = list(store.append_files(batches, group_events=1000))
    assert [len(r.appended) for r in results] == [2, 0, 0, 2, 0]
    assert [bool(r.refused) for r in results] == [False, True, True, False, True]
    assert sorted(d.id for d in store.documents()) == ["doc-a", "doc-b", "doc-c"]
    assert (results[0].first_seq, results[3].first_seq, results[3].last_seq) == (2, 4, 5)
    stored = list(store.read())
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
    assert [e.stream_version for e in stored if e.subject == "deepseek-r1"] == [1, 2, 3, 4]
    assert verify(store).ok


def test_an_append_between_groups_is_seen_by_the_next_group(store: Store) -> None:
    def batches() -> Iterator[tuple[list[Event], Document]]:
        yield [event("e1", document="doc-a")], doc("doc-a")
        # Another writer appends to the same stream between two groups.
        store.append([event("e1", document="doc-b")], document=doc("doc-b"))
        yield [event("e1", document="doc-c"), event("e2", document="doc-c", subject="qwen")], doc("doc-c")

    results = list(store.append_files(batches(), group_events=1))
    assert [r.first_seq for r in results] == [1, 3]
    assert [(e.seq, e.stream_version) for e in store.read(LogFilter(subjects=("deepseek-r1",)))] == [
        (1, 1), (2, 2), (3, 3)]
    assert verify(store).ok


def test_a_full_read_gives_the_events_get_gives(store: Store) -> None:
    """Reads build events from rows without the constructors; they must be the same events."""
    store.append([
        event("a", facts={"parameters": {"value": 7, "unit": "params", "op": "="}}, entities=("x", "y")),
        event("b", subject="qwen-3", when="mid 2024", certainty="forecast"),
        replace(event("c", type="other"), when=parse("../2024-09")),
        event("d", facts={"license": "MIT"}, entities=("x", "y")),
    ], document=doc())
    read = list(store.read())
    assert read == [store.get(e.event_id) for e in read]
    assert [type(e) for e in read] == [Event] * 4
    assert read[0].facts is not read[3].facts  # each event owns its facts
    assert read[0].entities == read[3].entities == ("x", "y")
    with pytest.raises(FrozenInstanceError):
        read[0].seq = 9  # type: ignore[misc]


def test_reads_upcast_old_payloads(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.append([event("a", facts={"license": "MIT"})], document=doc())
    monkeypatch.setitem(UPCASTERS, ("model_release", 1), lambda facts: {**facts, "openness": "open"})
    [back] = store.read()
    assert (back.facts, back.schema_version) == ({"license": "MIT", "openness": "open"}, 2)
    assert store.get(back.event_id) == back


def test_one_transaction_keeps_everything_out_until_the_batches_end(store: Store) -> None:
    from chronicle.events import Entity

    seen: list[tuple[int, int, int]] = []

    def after_group(conn: sa.Connection, before: int, after: int, events: list[Event]) -> None:
        seen.append((before, after, len(events)))

    def batches(fail: bool) -> Iterator[tuple[list[Event], Document]]:
        for n in range(4):
            name = f"doc-{n}"
            yield [event(f"e{k}", document=name) for k in range(3)], doc(name)
        if fail:
            raise ValueError("a later file is bad")

    def first(conn: sa.Connection) -> None:
        store.put_entities_on(conn, [Entity("deepseek", "org", "DeepSeek")])

    # The consumer gets results as groups go in, but a failure of the batches
    # themselves rolls back every group and what ``first`` wrote.
    results = store.append_files(batches(True), group_events=3, after_group=after_group, one_transaction=True,
                                 first=first)
    with pytest.raises(ValueError, match="later file"):
        for result in results:
            assert result.ok
    assert (store.head(), store.documents(), store.entities()) == (0, [], [])
    assert seen == [(0, 3, 3), (3, 6, 3), (6, 9, 3), (9, 12, 3)]  # one call per group, not one for all

    seen.clear()
    results = list(store.append_files(batches(False), group_events=3, after_group=after_group,
                                      one_transaction=True, first=first))
    assert [r.first_seq for r in results] == [1, 4, 7, 10]
    assert store.head() == 12 and [e.slug for e in store.entities()] == ["deepseek"]
    assert seen == [(0, 3, 3), (3, 6, 3), (6, 9, 3), (9, 12, 3)]
    assert verify(store).ok


def test_first_runs_once_even_without_batches(store: Store) -> None:
    from chronicle.events import Entity

    calls: list[int] = []

    def first(conn: sa.Connection) -> None:
        calls.append(1)
        store.put_entities_on(conn, [Entity("qwen", "org", "Qwen")])

    assert list(store.append_files([], first=first, one_transaction=True)) == []
    assert calls == [1] and [e.slug for e in store.entities()] == ["qwen"]


def test_stance_and_note_round_trip_are_chained_and_part_of_identity(store: Store) -> None:
    hedged = replace(event("a"), stance="reportedly", note="the article says 'reportedly'")
    plain = event("b")
    assert store.append([hedged, plain], document=doc()).appended == ["doc-a:a", "doc-a:b"]
    back = {e.event_id: e for e in store.read()}
    assert (back["doc-a:a"].stance, back["doc-a:a"].note) == ("reportedly", "the article says 'reportedly'")
    assert (back["doc-a:b"].stance, back["doc-a:b"].note) == ("asserted", None)
    assert back["doc-a:a"] == store.get("doc-a:a")
    assert verify(store).ok
    # The same id with another stance, or another note, is other content.
    result = store.append([replace(hedged, stance="asserted")], document=doc())
    assert [(r.event_id, r.fields) for r in result.refused] == [("doc-a:a", ("stance",))]
    result = store.append([replace(hedged, note=None)], document=doc())
    assert [(r.event_id, r.fields) for r in result.refused] == [("doc-a:a", ("note",))]
    assert store.append([hedged], document=doc()).present == ["doc-a:a"]
