"""Reading a document's text: refusing what is not text, and its front matter."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from chronicle.errors import ChronicleError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class Source:
    """A document's text, where its body starts, and what its front matter says."""

    name: str
    text: str
    sha256: str
    body_start: int = 0
    meta: dict[str, str] = field(default_factory=dict)


def read_source(path: Path) -> Source:
    """Read ``path`` as UTF-8 text; refuse missing, binary, non-UTF-8 or empty files."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ChronicleError(f"{path}: no such file", "give the path of a plain-text article") from None
    except IsADirectoryError:
        raise ChronicleError(f"{path}: is a folder, not a file", "give the path of a plain-text article") from None
    except OSError as exc:
        raise ChronicleError(f"{path}: cannot read ({exc.strerror or exc})", "check the file's permissions") from None
    if b"\x00" in data:
        raise ChronicleError(f"{path}: is a binary file, not text",
                             "extract reads plain text; convert the document to a UTF-8 .txt first")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ChronicleError(f"{path}: is not UTF-8 text (byte {exc.start})",
                             "save the document as UTF-8 plain text") from None
    if not text.strip():
        raise ChronicleError(f"{path}: is empty", "give a file that holds the article's text")
    body_start, meta = _front_matter(text)
    if not text[body_start:].strip():
        raise ChronicleError(f"{path}: has front matter but no text", "give a file that holds the article's text")
    return Source(path.name, text, hashlib.sha256(data).hexdigest(), body_start, meta)


def _front_matter(text: str) -> tuple[int, dict[str, str]]:
    m = _FRONT_MATTER.match(text)
    if m is None:
        return 0, {}
    try:
        data = yaml.safe_load(m[1])
    except yaml.YAMLError:
        return 0, {}
    if not isinstance(data, dict):
        return 0, {}
    return m.end(), {str(k): str(v) for k, v in data.items() if v is not None}
