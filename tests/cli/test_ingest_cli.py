"""`chronicle ingest` and the read commands, through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]


def test_ingest_then_again_appends_nothing(run: Run, corpus: Path) -> None:
    first = run("ingest", str(corpus))
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1] == (
        "appended 2, already present 0, refused 0; entities added 4, changed 0"
    )
    second = run("ingest", str(corpus))
    assert second.exit_code == 0
    assert second.output.splitlines()[-1] == (
        "appended 0, already present 2, refused 0; entities added 0, changed 0"
    )


def test_ingest_json_summary(run: Run, corpus: Path) -> None:
    out = json.loads(run("ingest", str(corpus), "--format", "json").output)
    assert (out["schema"], out["appended"], out["files"][0]["document"]) == ("chronicle.ingest/1", 2, "test-doc")


def test_dry_run_appends_nothing(run: Run, corpus: Path) -> None:
    result = run("ingest", "--dry-run", str(corpus))
    assert result.output.splitlines()[-1] == "valid: 1 file(s), 2 event(s); nothing appended"
    assert run("log", "--format", "ndjson").output == ""


def _break(corpus: Path, old: str, new: str) -> None:
    path = corpus / "test-doc.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


BAD = [
    ("type: downloads", "type: rumour", "test-doc.yaml:20: type: unknown type 'rumour'; see docs/events-format.md for the types"),
    ("subject: qwen", "subject: qwen-9", "test-doc.yaml:21: subject: unknown entity 'qwen-9' (add it to entities.yaml)"),
    ('edtf: "2025-01"', 'edtf: "2025-13"', "test-doc.yaml:15: when.edtf: cannot read date '2025-13'"),
    ('edtf: "2025-01"', 'edtf: "2025-02"', "test-doc.yaml:15: when.edtf: '2025-02' disagrees with the text 'in January 2025', which reads as '2025-01'"),
    ('    quote: "Qwen passed 700 million downloads"\n', "", "test-doc.yaml:19: quote: missing: give the words of the document that carry the claim"),
    ('quote: "Qwen passed 700 million downloads"', 'quote: "' + "word " * 26 + '"',
     "test-doc.yaml:24: quote: 26 words; a quote is at most 25"),
    ('quote: "Qwen passed 700 million downloads"', 'quote: "Qwen passed 800 million downloads"',
     "test-doc.yaml:24: quote: not a verbatim substring of doc.txt"),
    ("sha256: ", "sha256: " + "ab" * 32 + "\n  # ",
     "test-doc.yaml:9: document.sha256: does not match"),
    ("id: qwen-downloads", "id: r1-release", "test-doc.yaml:19: id: duplicate local id 'r1-release' (first on line 11)"),
    ("unit: count", "unit: USD", "test-doc.yaml:23: facts.downloads: unit 'USD' does not fit; use one of count"),
    ("openness: open-weight", "weights: open", "test-doc.yaml:17: facts.weights: unknown fact; see FACTS in chronicle.events for the names"),
    ("url: https://example.org/a", "url: javascript:alert(document.domain)",
     "test-doc.yaml:5: document.url: 'javascript:alert(document.domain)' is not an http(s) address: "
     "give the https:// link, or null when the text gives none"),
    ("url: https://example.org/a", "url: data:text/html,hi", "test-doc.yaml:5: document.url: 'data:text/html,hi' is not"),
    ("url: https://example.org/a", "url: file:///etc/passwd", "test-doc.yaml:5: document.url: 'file:///etc/passwd' is not"),
    ("url: https://example.org/a", "url: //example.org/a", "test-doc.yaml:5: document.url: '//example.org/a' is not"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD, ids=[b[2].split(": ")[1] + "-" + str(i) for i, b in enumerate(BAD)])
def test_a_bad_file_appends_nothing_and_names_file_line_field(
    run: Run, corpus: Path, old: str, new: str, message: str
) -> None:
    _break(corpus, old, new)
    result = run("ingest", str(corpus))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: ") and lines[0].endswith(f" in {corpus / 'test-doc.yaml'}; nothing was appended")
    assert any(line.replace(str(corpus) + "/", "").startswith(message) for line in lines[1:]), result.output
    assert run("log", "--format", "ndjson").output == ""


def test_every_problem_of_a_file_is_reported_at_once(run: Run, corpus: Path) -> None:
    _break(corpus, "type: downloads", "type: rumour")
    _break(corpus, "subject: deepseek-r1", "subject: nobody")
    result = run("ingest", str(corpus))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("Error: 2 problems in ")


def test_malformed_yaml_is_a_clean_error(run: Run, corpus: Path) -> None:
    (corpus / "broken.yaml").write_text("document: [unclosed\n")
    result = run("ingest", str(corpus))
    assert result.exit_code == 1
    assert f"{corpus / 'broken.yaml'}:2: yaml:" in result.output
    assert "Traceback" not in result.output


def test_a_key_given_twice_is_refused_naming_file_line_and_key(run: Run, corpus: Path) -> None:
    # YAML itself would keep the last value without a word: a file where the analyst wrote two
    # subjects (or two countries) for one claim is not read as either.
    _break(corpus, "    subject: deepseek-r1\n", "    subject: deepseek-r1\n    subject: qwen\n")
    entities = corpus / "entities.yaml"
    entities.write_text(entities.read_text().replace("    country: CN\n", "    country: CN\n    country: US\n", 1))
    result = run("ingest", str(corpus))
    assert (result.exit_code, result.output) == (1, (
        f"Error: 2 problems in {entities}, {corpus / 'test-doc.yaml'}; nothing was appended\n"
        f"{entities}:6: yaml: duplicate key 'country' (first on line 5); keep one\n"
        f"{corpus / 'test-doc.yaml'}:14: yaml: duplicate key 'subject' (first on line 13); keep one\n"))
    assert run("log", "--format", "ndjson").output == ""


def test_missing_path(run: Run, tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no such file or folder: {tmp_path / 'nowhere'}\nHint: give events files or folders of them\n"
    )


def test_changed_content_is_refused_with_the_fields(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    _break(corpus, 'openness: open-weight', 'openness: closed')
    result = run("ingest", str(corpus))
    assert result.exit_code == 1
    assert "refused test-doc:r1-release: already stored with other content (a correction is a new event) (fields: facts)" in result.output
    assert "Error: 1 event(s) refused; nothing was appended" in result.output


def test_log_formats(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    table = run("log").output.splitlines()
    assert table[0].split() == ["seq", "when", "type", "subject", "certainty", "event_id"]
    assert table[2].split() == ["1", "2025-01", "model_release", "deepseek-r1", "reported", "test-doc:r1-release"]
    assert table[3].split() == ["2", "../2026-01-21", "downloads", "qwen", "reported", "test-doc:qwen-downloads"]
    lines = run("log", "--format", "ndjson").output.splitlines()
    first = json.loads(lines[0])
    assert {"seq", "event_id", "type", "subject", "when", "certainty", "facts", "document", "quote"} <= set(first)
    assert first["when"] == {"anchor": "absolute", "earliest": "2025-01-01", "edtf": "2025-01", "latest": "2025-01-31",
                             "precision": "month", "qualifier": "none", "text": "in January 2025"}
    assert json.loads(lines[1])["facts"] == {"downloads": {"op": ">", "unit": "count", "value": 700000000}}
    csv_out = run("log", "--format", "csv", "--type", "downloads").output.splitlines()
    assert csv_out[0].startswith("seq,event_id,type,subject,when_text,when_edtf,earliest,latest,precision")
    assert len(csv_out) == 2
    doc = json.loads(run("log", "--format", "json", "--after", "1").output)
    assert (doc["schema"], doc["basis"], [e["seq"] for e in doc["events"]]) == ("chronicle.log/1", {"store_seq": 2}, [2])
    assert run("log", "--since", "2025-02", "--until", "2025-12", "--format", "ndjson").output.count("\n") == 1


def test_log_output_is_byte_identical_across_runs(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    assert run("log", "--format", "json").output == run("log", "--format", "json").output


def test_log_bad_date_option(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    result = run("log", "--since", "2025-13")
    assert result.exit_code == 1
    assert result.output.startswith("Error: --since: cannot read date '2025-13'")


def test_read_commands_do_not_create_a_store(run: Run, tmp_path: Path) -> None:
    result = run("log")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no store at {tmp_path / 'store.db'}\n"
        "Hint: ingest events first (`chronicle ingest events/`) or pass --db\n"
    )
    assert not (tmp_path / "store.db").exists()


def test_show(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    out = [" ".join(line.split()) for line in run("show", "test-doc:r1-release").output.splitlines()]
    assert "quote DeepSeek released R1 in January 2025" in out
    assert "when in January 2025 → 2025-01" in out
    assert "title A test article" in out
    assert "fact openness open-weight" in out
    data = json.loads(run("show", "test-doc:r1-release", "--format", "json").output)
    assert data["document"]["publisher"] == "Test Publisher"
    assert data["event"]["offsets"] == [7, 43]
    missing = run("show", "test-doc:nope")
    assert (missing.exit_code, missing.output) == (
        1, "Error: no event 'test-doc:nope' in the store\nHint: list event ids with `chronicle log`\n")


def test_sources_and_counts(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    out = run("sources").output.splitlines()
    assert out[2].split()[:4] == ["test-doc", "2026-01-21", "Test", "Publisher"]
    counts = run("sources", "--counts", "--format", "csv").output
    assert counts == (
        "document,type,events\ntest-doc,downloads,1\ntest-doc,model_release,1\n"
        "(all),downloads,1\n(all),model_release,1\n(all),(all),2\n"
    )


def test_entities(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    data = json.loads(run("entities", "--format", "json", "--kind", "model").output)
    assert data["entities"] == [{"aliases": ["R1"], "country": None, "family": None, "kind": "model",
                                 "name": "DeepSeek-R1", "org": "deepseek", "slug": "deepseek-r1"}]


def test_verify_ok_and_db_commands(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    out = run("verify").output
    assert out.startswith("ok: 2 events, sequence 1..2 without holes, hash chain intact (head ")
    assert run("db", "current").output == "0007 (head)\n"
    assert run("db", "upgrade").output == "at revision 0007\n"
    history = run("db", "history").output.splitlines()
    assert [line.split()[0] for line in history[2:9]] == ["0007", "0006", "0005", "0004", "0003", "0002", "0001"]


def test_verify_fails_naming_the_row(run: Run, corpus: Path, tmp_path: Path) -> None:
    import sqlite3

    run("ingest", str(corpus))
    conn = sqlite3.connect(tmp_path / "store.db")
    conn.execute("DROP TRIGGER events_refuse_update")
    conn.execute("UPDATE events SET quote = 'forged' WHERE seq = 1")
    conn.commit()
    conn.close()
    result = run("verify")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: verify failed: seq 1 (test-doc:r1-release) was edited: its contents do not match its hash"
    )


def test_validation_shared_with_a_second_process_gives_the_same_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronicle import ingest as ingesting
    from chronicle.errors import ValidationError
    from chronicle.store import open_store
    from generated import write_corpus

    folder = tmp_path / "corpus"
    write_corpus(folder, documents=7, per_document=30, name="par")
    answers = []
    for parallel in (False, True):
        monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0 if parallel else 1 << 60)
        monkeypatch.setattr(ingesting, "second_core", lambda: True)
        store = open_store(str(tmp_path / f"{parallel}.db"))
        report = ingesting.ingest(store, [folder]).to_dict()
        answers.append(([e.to_dict() | {"recorded_at": None} for e in store.read()], report["files"]))
        store.close()
    assert answers[0] == answers[1] and len(answers[0][0]) == 7 * 30

    # Problems come in file order, whichever process found them.
    for n in (2, 5):
        path = folder / f"par-{n:03d}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("type: model_release", "type: nonsense", 1),
                        encoding="utf-8")
    messages = []
    for parallel in (False, True):
        monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0 if parallel else 1 << 60)
        with pytest.raises(ValidationError) as raised:
            ingesting.ingest(open_store(str(tmp_path / f"bad-{parallel}.db")), [folder])
        messages.append([str(p) for p in raised.value.problems])
    assert messages[0] == messages[1] and len(messages[0]) == 2
