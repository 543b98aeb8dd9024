"""JSON Schema files for every JSON document chronicle prints.

A document names its schema as ``"schema": "chronicle.<name>/<version>"``;
the file describing it is ``<name>.schema.json`` in this package.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SUFFIX = ".schema.json"


def names() -> list[str]:
    """Every schema's name (``as-of``, ``diff``, ...)."""
    return sorted(p.name[: -len(SUFFIX)] for p in resources.files(__name__).iterdir() if p.name.endswith(SUFFIX))


def load(name: str) -> dict[str, Any]:
    """The JSON Schema for ``name``; also accepts a document's ``chronicle.<name>/1`` tag."""
    if name.startswith("chronicle."):
        name = name[len("chronicle."):].rsplit("/", 1)[0]
    data: dict[str, Any] = json.loads(resources.files(__name__).joinpath(name + SUFFIX).read_text("utf-8"))
    return data
