"""Files written for a user are whole or not there: a failure leaves no partial file and the old one as it was."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from chronicle.errors import ChronicleError
from chronicle.outputs import write_files, write_text


def _failing_after(first: str) -> Iterator[str]:
    yield first
    raise ChronicleError("the store failed halfway")


def test_writes_the_whole_text(tmp_path: Path) -> None:
    write_text(tmp_path / "out.csv", ["a,b\n", "1,2\n"])
    assert (tmp_path / "out.csv").read_bytes() == b"a,b\n1,2\n"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_failure_while_the_text_is_made_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ChronicleError, match="the store failed halfway"):
        write_text(tmp_path / "out.ndjson", _failing_after("{}\n" * 1000))
    assert os.listdir(tmp_path) == []


def test_a_failure_keeps_the_file_that_was_there(tmp_path: Path) -> None:
    (tmp_path / "out.ndjson").write_text("old\n")
    with pytest.raises(ChronicleError):
        write_text(tmp_path / "out.ndjson", _failing_after("new\n"))
    assert os.listdir(tmp_path) == ["out.ndjson"]
    assert (tmp_path / "out.ndjson").read_text() == "old\n"


def test_several_files_all_or_none(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("old\n")
    with pytest.raises(ChronicleError, match=f"cannot write {tmp_path / 'missing' / 'b.yaml'}"):
        write_files({tmp_path / "a.yaml": ["new\n"], tmp_path / "missing" / "b.yaml": ["new\n"]})
    assert os.listdir(tmp_path) == ["a.yaml"]
    assert (tmp_path / "a.yaml").read_text() == "old\n"


def test_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ChronicleError) as raised:
        write_text(tmp_path / "nowhere" / "x.html", ["<p>"])
    assert (raised.value.message, raised.value.hint) == (
        f"cannot write {tmp_path / 'nowhere' / 'x.html'}: No such file or directory",
        "create the folder first, or write elsewhere")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_disk() -> None:
    with pytest.raises(ChronicleError) as raised:
        write_text(Path("/dev/full"), ["x" * 100_000])
    assert (raised.value.message, raised.value.hint) == (
        "cannot write /dev/full: No space left on device", "free some space on that disk, or write elsewhere")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_file_keeps_its_mode_and_a_link_its_target(tmp_path: Path) -> None:
    target = tmp_path / "private.html"
    target.write_text("old")
    target.chmod(0o600)
    (tmp_path / "link.html").symlink_to(target)
    write_text(tmp_path / "link.html", ["new"])
    assert (tmp_path / "link.html").is_symlink()
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["link.html", "private.html"]
