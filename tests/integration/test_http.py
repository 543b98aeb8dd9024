"""chronicle serve: a real server on a free port, real HTTP requests."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from chronicle import schemas
from chronicle.cli import main
from chronicle.openapi import ROUTES as DESCRIBED
from chronicle.web import REPEATABLE
from chronicle.web import ROUTES as SERVED
from tests_support import Server, free_port

REPO = Path(__file__).resolve().parents[2]


def _ingest(db: str, *paths: Path) -> None:
    result = CliRunner().invoke(main, ["--db", db, "ingest", *map(str, paths)])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = str(tmp_path_factory.mktemp("http") / "store.db")
    _ingest(db, REPO / "events")
    s = Server(db)
    yield s
    s.stop()


#: Schemas past their first version.
VERSIONS = {"as-of": 2}


def _valid(document: Any, name: str) -> None:
    assert document["schema"] == f"chronicle.{name}/{VERSIONS.get(name, 1)}"
    jsonschema.validate(document, schemas.load(name), cls=jsonschema.Draft202012Validator)


OK = [
    ("/health", "health"),
    ("/as-of/2025-06", "as-of"),
    ("/as-of/2025-12?projection=models&projection=orgs&country=CN&open=true&known_at=2025-12-31", "as-of"),
    ("/diff?a=2025-01&b=2025-12&projection=models", "diff"),
    ("/diff?a=2025-12&known_between=2025-06,2026-01", "diff"),
    ("/events?after=0&limit=5", "events-page"),
    ("/events?after=9223372036854775807", "events-page"),
    ("/events/aisupremacy-china-ai-milestones-2025:r1-release", "event"),
    ("/projections", "projections"),
    ("/projections/talent?as_of=2025-12", "export-projection"),
    ("/conflicts?all=1", "conflicts"),
    ("/documents", "sources"),
    ("/entities?kind=org", "entities"),
]


@pytest.mark.parametrize(("path", "name"), OK, ids=[p for p, _ in OK])
def test_routes_answer_documents_that_validate(server: Server, path: str, name: str) -> None:
    status, headers, body = server.get(path)
    assert status == 200, body
    assert headers["content-type"] == "application/json"
    _valid(body, name)
    assert headers["etag"]


def test_as_of_over_http_is_the_cli_answer(server: Server, tmp_path: Path) -> None:
    _, _, body = server.get("/as-of/2025-06?projection=models")
    db = server.proc.args[4]  # type: ignore[index]
    cli = CliRunner().invoke(main, ["--db", db, "as-of", "2025-06", "--projection", "models", "--format", "json"])
    assert body == json.loads(cli.stdout)


def test_http_answers_read_openness_from_licences_and_series_as_series(server: Server) -> None:
    _, _, body = server.get("/as-of/2025-12?projection=models&country=CN&open=true")
    qwen3 = next(r for r in body["projections"]["models"]["rows"] if r["id"] == "qwen3")
    assert (qwen3["license"], qwen3["openness"], qwen3["open"]) == ("Apache 2.0", "open-source", True)
    _, _, body = server.get("/conflicts")
    found = {(c["subject"], c["fact"]): c for c in body["conflicts"]}
    assert ("qwen", "downloads") not in found and ("deepseek-r1", "matched_model") in found
    assert ("china", "share") not in found  # a series, and a platform's count beside a global one


BAD = [
    ("/as-of/Q9", "when"),
    ("/as-of/2025?at_seq=x", "at_seq"),
    ("/as-of/2025?at_seq=99999", "at_seq"),
    ("/as-of/2025?projection=nope", "projection"),
    ("/as-of/2025?open=maybe", "open"),
    ("/as-of/2025?known_at=someday", "known_at"),
    ("/as-of/2025?colour=red", "colour"),
    ("/diff?a=2025-01", "b"),
    ("/diff?a=2025&b=2025-13", "b"),
    ("/diff?known_between=2025", "known_between"),
    ("/events?after=-1", "after"),
    ("/events?after=9223372036854775808", "after"),
    ("/events?limit=0", "limit"),
    ("/events?limit=100000", "limit"),
    ("/conflicts?as_of=", "as_of"),
    ("/events?after=1&after=2", "after"),
    ("/as-of/2025?known_at=2025&known_at=2026", "known_at"),
    ("/diff?a=2025&a=2025-06&b=2026", "a"),
]


@pytest.mark.parametrize(("path", "parameter"), BAD, ids=[p for p, _ in BAD])
def test_bad_parameters_answer_400_naming_the_parameter(server: Server, path: str, parameter: str) -> None:
    status, headers, body = server.get(path)
    assert status == 400
    assert headers["content-type"] == "application/json"
    _valid(body, "error")
    assert body["error"]["parameter"] == parameter


def test_a_repeated_parameter_is_refused_unless_it_repeats(server: Server) -> None:
    status, _, body = server.get("/events?after=1&limit=5&after=2")
    assert (status, body) == (400, {"schema": "chronicle.error/1", "error": {
        "parameter": "after", "message": "after is given 2 times", "hint": "give after once"}})
    _, doc = server.get("/openapi.json")[1:]
    described = {p["name"] for item in doc["paths"].values() for p in item["get"]["parameters"]
                 if p["schema"].get("type") == "array"}
    assert described == REPEATABLE


@pytest.mark.parametrize("path", ["/nowhere", "/projections/nope", "/events/no:such-event"])
def test_unknown_routes_and_ids_answer_404_json(server: Server, path: str) -> None:
    status, _, body = server.get(path)
    assert status == 404
    _valid(body, "error")


def test_etag_is_derived_from_the_basis_and_honours_if_none_match(server: Server) -> None:
    _, first, _ = server.get("/as-of/2025-06")
    _, again, _ = server.get("/as-of/2025-06")
    assert first["etag"] == again["etag"]
    assert server.get("/as-of/2025-06?at_seq=10")[1]["etag"] != first["etag"]
    assert server.get("/as-of/2025-07")[1]["etag"] != first["etag"]
    status, headers, body = server.get("/as-of/2025-06", {"If-None-Match": first["etag"]})
    assert (status, body) == (304, None)
    assert headers["etag"] == first["etag"]


@pytest.mark.parametrize(("wanted", "status"), [
    ('W/"{tag}"', 304),
    ('"{tag}"', 304),
    ('"other", W/"{tag}"', 304),
    ('W/"a,b" ,"{tag}"', 304),
    ("*", 304),
    ('"other"', 200),
    ('W/"other"', 200),
    ("{tag}", 200),
])
def test_if_none_match_compares_weakly_over_a_list(server: Server, wanted: str, status: int) -> None:
    _, first, _ = server.get("/as-of/2025-06")
    tag = first["etag"].strip('"')
    got, headers, body = server.get("/as-of/2025-06", {"If-None-Match": wanted.format(tag=tag)})
    assert got == status
    assert headers["etag"] == first["etag"]
    assert (body is None) == (status == 304)


def test_events_pages_follow_the_log_without_skipping(server: Server) -> None:
    seen: list[int] = []
    after = 0
    while True:
        _, _, page = server.get(f"/events?after={after}&limit=50")
        seen += [e["seq"] for e in page["events"]]
        after = page["next_after"]
        if not page["more"]:
            break
    assert seen == list(range(1, page["basis"]["store_seq"] + 1))


def test_openapi_describes_every_route(server: Server) -> None:
    status, _, doc = server.get("/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3.")
    served = {path.replace(":path}", "}") for path, _ in SERVED}
    assert served == set(doc["paths"]) == set(DESCRIBED)
    for path, item in doc["paths"].items():
        names = {p["name"] for p in item["get"]["parameters"]}
        assert {seg[1:-1] for seg in path.split("/") if seg.startswith("{")} <= names


def test_writes_are_refused(server: Server) -> None:
    request = urllib.request.Request(server.base + "/events", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(request, timeout=30)
    assert exc.value.code == 405


def test_listens_on_localhost_by_default() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "[default: 127.0.0.1]" in result.output


def test_a_missing_store_is_an_error_at_start_up(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "serve", "--port", str(free_port())])
    assert result.exit_code == 1
    assert "no store at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_a_port_in_use_is_one_error_before_anything_is_announced(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    _ingest(db, REPO / "events" / "entities.yaml")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["--db", db, "serve", "--port", str(port)])
    assert (result.exit_code, result.output) == (
        1, f"Error: port {port} on 127.0.0.1 is in use\n"
           "Hint: stop what listens there, or choose another port with --port\n")


def test_port_0_serves_on_a_port_the_system_chose(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    _ingest(db, REPO / "events" / "entities.yaml")
    proc = subprocess.Popen([sys.executable, "-m", "chronicle", "--db", db, "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        announced = proc.stderr.readline()
        port = int(announced.rsplit(":", 1)[1].split()[0])
        assert announced == f"chronicle: serving sqlite:///{db} on http://127.0.0.1:{port} (Ctrl-C stops)\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=30) as response:
            assert json.loads(response.read())["ok"] is True
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.mark.postgres
def test_serves_a_postgresql_store(store_url: str) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("the SQLite server is covered above")
    _ingest(store_url, REPO / "events" / "entities.yaml", REPO / "events" / "deepseekai-chinese-ai-rising.yaml")
    s = Server(store_url)
    try:
        status, _, body = s.get("/as-of/2025-12?projection=models")
        assert status == 200
        _valid(body, "as-of")
        _, _, page = s.get("/events?limit=1000")
        assert [e["seq"] for e in page["events"]] == list(range(1, body["basis"]["store_seq"] + 1))
    finally:
        s.stop()
