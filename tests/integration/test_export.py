"""chronicle export: events as NDJSON/CSV, a projection as JSON/CSV, TimelineJS."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from chronicle.cli import main
from chronicle.export import timeline_dates
from chronicle.fuzzydate import parse

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "store.db")
    assert CliRunner().invoke(main, ["--db", path, "ingest", str(REPO / "events")]).exit_code == 0
    return path


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_events_ndjson_is_the_whole_log_in_sequence_order(db: str) -> None:
    lines = [json.loads(line) for line in run(db, "export", "events").splitlines()]
    head = json.loads(run(db, "verify", "--format", "json"))["head_seq"]
    assert [e["seq"] for e in lines] == list(range(1, head + 1))
    # the same lines as `chronicle log --format ndjson`
    assert run(db, "export", "events") == run(db, "log", "--format", "ndjson")


def test_events_csv_is_filtered_like_log(db: str) -> None:
    text = run(db, "export", "events", "--format", "csv", "--type", "model_release", "--since", "2025-01",
               "--until", "2025-06")
    rows = list(csv.DictReader(io.StringIO(text)))
    logged = [json.loads(line) for line in run(db, "log", "--format", "ndjson", "--type", "model_release",
                                               "--since", "2025-01", "--until", "2025-06").splitlines()]
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in logged]
    assert rows and {r["type"] for r in rows} == {"model_release"}
    assert json.loads(rows[0]["facts"]) == logged[0]["facts"]


def test_output_to_a_file(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert run(db, "export", "events", "--format", "csv", "--after", "10", "--limit", "5", "-o", str(out)) == ""
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [int(r["seq"]) for r in rows] == [11, 12, 13, 14, 15]


def test_projection_json_and_csv_hold_the_same_rows(db: str) -> None:
    document = json.loads(run(db, "export", "projection", "models", "--as-of", "2025-06", "--format", "json"))
    assert document["schema"] == "chronicle.export-projection/1"
    assert document["basis"]["cutoff"] == "2025-06-30"
    as_of = json.loads(run(db, "as-of", "2025-06", "--projection", "models", "--format", "json"))
    assert document["rows"] == as_of["projections"]["models"]["rows"]
    rows = list(csv.DictReader(io.StringIO(run(db, "export", "projection", "models", "--as-of", "2025-06",
                                                "--format", "csv"))))
    assert [r["id"] for r in rows] == [r["id"] for r in document["rows"]]
    assert list(rows[0]) == document["columns"]
    assert {r["status"] for r in rows} <= {"happened", "possibly", "expected"}


def test_timelinejs_has_one_slide_per_event_with_its_evidence(db: str) -> None:
    document = json.loads(run(db, "export", "timelinejs"))
    events = [json.loads(line) for line in run(db, "log", "--format", "ndjson").splitlines()]
    assert [s["unique_id"] for s in document["events"]] == [e["event_id"] for e in events]
    by_id = {e["event_id"]: e for e in events}
    for slide in document["events"]:
        event = by_id[slide["unique_id"]]
        assert event["when"]["text"] in slide["display_date"]
        quote = event["quote"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;")
        assert quote.replace('"', "&quot;") in slide["text"]["text"]
        if event["certainty"] == "forecast":
            assert "(expected)" in slide["display_date"]


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2025-01-20", {"year": 2025, "month": 1, "day": 20}, None, ""),
        ("January 2025", {"year": 2025, "month": 1}, None, ""),
        ("2025", {"year": 2025}, None, ""),
        ("Q3 2025", {"year": 2025, "month": 7}, {"year": 2025, "month": 9}, "vague"),
        ("mid-2025", {"year": 2025, "month": 5}, {"year": 2025, "month": 8}, "vague"),
        ("H1 2025", {"year": 2025, "month": 1}, {"year": 2025, "month": 6}, "vague"),
        ("early March 2025", {"year": 2025, "month": 3, "day": 1}, {"year": 2025, "month": 3, "day": 10}, "some day"),
        ("by September 2024", {"year": 2024, "month": 9}, None, "by 2024-09-30"),
        ("since March 2025", {"year": 2025, "month": 3}, None, "since 2025-03-01"),
        ("around June 2025", {"year": 2025, "month": 5}, {"year": 2025, "month": 7}, "approximate"),
    ],
)
def test_timelinejs_dates_are_truncated_to_their_precision(text: str, start: dict[str, int],
                                                           end: dict[str, int] | None, label: str) -> None:
    got_start, got_end, got_label = timeline_dates(parse(text))
    assert (got_start, got_end) == (start, end)
    assert label in got_label and (label or not got_label)


def test_timelinejs_date_absent_from_the_text_is_labelled() -> None:
    when = parse("../2026-01-21")
    start, end, label = timeline_dates(when)
    assert start == {"year": 2026, "month": 1, "day": 21} and end is None
    assert "by 2026-01-21" in label


def test_timelinejs_leaves_out_retracted_events(db: str, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(db).read_bytes())
    target = "aisupremacy-china-ai-milestones-2025:r1-release"
    run(str(copy), "retract", target, "--reason", "test")
    ids = [s["unique_id"] for s in json.loads(run(str(copy), "export", "timelinejs"))["events"]]
    assert target not in ids
    assert not any(i.startswith(f"corrections-{date.today().isoformat()}") for i in ids)
