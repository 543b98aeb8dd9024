"""Files written for a user (``-o``): whole, or not at all.

A page, an export or a draft is written under a temporary name beside its
target and renamed onto it once every byte is written. A failure on the way
(a missing folder, a full disk, an error while the text is still being
produced) removes the temporary file: the target is left as it was, never
half-written, and the failure is one error naming the path.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from chronicle.errors import ChronicleError

_HINTS = {
    errno.ENOSPC: "free some space on that disk, or write elsewhere",
    errno.EDQUOT: "free some space on that disk, or write elsewhere",
    errno.ENOENT: "create the folder first, or write elsewhere",
    errno.ENOTDIR: "create the folder first, or write elsewhere",
    errno.EACCES: "write to a folder you may write to",
    errno.EPERM: "write to a folder you may write to",
    errno.EROFS: "write to a folder you may write to",
    errno.EISDIR: "give a file name, not a folder",
}


def cannot_write(path: Path, exc: OSError) -> ChronicleError:
    """The one-line error for a file that could not be written."""
    return ChronicleError(f"cannot write {path}: {exc.strerror or exc}",
                          _HINTS.get(exc.errno or 0, "check that the folder exists and is writable"))


def write_text(path: Path, chunks: Iterable[str]) -> None:
    """Write the text ``chunks`` make to ``path``, whole or not at all (see :func:`write_files`)."""
    write_files({path: chunks})


def write_files(texts: Mapping[Path, Iterable[str]]) -> None:
    """Write each file of ``texts`` whole; if any fails, none is changed.

    Every file goes to a temporary name first; only when all are written
    are they renamed into place. A path that exists and is not a regular
    file (``/dev/stdout``, a named pipe) is written to directly: there is
    nothing to rename onto, and nothing there to leave half-written.
    """
    placed: list[tuple[Path, Path, Path]] = []  # (temporary file, the file it becomes, the path given)
    path = Path()
    try:
        for path, chunks in texts.items():
            target = _regular_target(path)
            if target is None:
                _write(chunks, os.open(path, os.O_WRONLY | os.O_TRUNC))
                continue
            partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
            # O_EXCL: never through a file someone else put there; 0o666 less
            # the umask, as any new file, unless the target had its own mode.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            placed.append((partial, target, path))
            if target.exists():
                os.chmod(descriptor, stat.S_IMODE(target.stat().st_mode))
            _write(chunks, descriptor)
        for partial, target, path in placed:
            os.replace(partial, target)
    except BaseException as exc:
        for partial, _, _ in placed:
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise cannot_write(path, exc) from exc
        raise


def _regular_target(path: Path) -> Path | None:
    """The file to rename onto (through a symbolic link), or None for a device, pipe or socket."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    return target if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else None


def _write(chunks: Iterable[str], descriptor: int) -> None:
    with open(descriptor, "w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
