"""chronicle installed from its wheel (not editable) migrates and works on its own."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests_support import copy_corpus  # type: ignore[import-not-found]

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_built_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, REPO)
    [wheel] = dist.glob("chronicle-*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel)
    chronicle = env / "bin" / "chronicle"
    corpus = copy_corpus(tmp_path / "corpus")
    workdir = tmp_path / "work"
    workdir.mkdir()
    # Run outside the repository so nothing can come from the source tree.
    out = _run(chronicle, "ingest", corpus, cwd=workdir)
    assert out.splitlines()[-1] == "appended 2, already present 0, refused 0; entities added 4, changed 0"
    log = _run(chronicle, "log", "--format", "csv", cwd=workdir).splitlines()
    assert [line.split(",")[1] for line in log[1:]] == ["test-doc:r1-release", "test-doc:qwen-downloads"]
    assert (workdir / "chronicle.db").is_file()
    site = _run(python, "-c", "import chronicle, pathlib; print(pathlib.Path(chronicle.__file__).parent)").strip()
    assert "site-packages" in site
    assert (Path(site) / "migrations" / "versions" / "0001_initial.py").is_file()


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
