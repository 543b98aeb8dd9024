"""A draft as YAML text: the header comment, the document, the events.

Written by hand rather than by a YAML dumper so that the file reads like the
curated ones (flow style for short values, double-quoted strings) and the
same draft always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chronicle.extract.draft import Draft
from chronicle.outputs import write_files
from chronicle.render import dumps

_PLAIN = re.compile(r"[a-z][a-z0-9._-]*")
_YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf"}


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _YAML_WORDS:
        return text
    # JSON strings are valid double-quoted YAML scalars; ``dumps`` escapes every
    # control character, C1 too, which YAML refuses to read raw.
    return dumps(text, indent=None)


def events_yaml(draft: Draft, proposals_file: str | None) -> str:
    """The events file of ``draft``; ``proposals_file`` names where proposals went."""
    lines = [
        f"# Draft events drafted by `chronicle extract` from {draft.document['text']}.",
        "# Review every event: fix its type, subject, date and facts, delete what is wrong,",
        "# then remove `status: draft` (or ingest with --allow-drafts).",
    ]
    lines += [f"# {note}" for note in draft.notes]
    events = draft.events
    if draft.proposals:
        count = f"{len(draft.proposals)} proposed entit{'y' if len(draft.proposals) == 1 else 'ies'}"
        if proposals_file:
            lines.append(f"# {count} (not in entities.yaml): see {proposals_file}")
        else:
            # Without a file for the proposals, keep the draft loadable: leave
            # out the claims about them and say so.
            proposed = {p.slug for p in draft.proposals}
            events = [{k: ([s for s in v if s not in proposed] if k == "entities" else v) for k, v in e.items()}
                      for e in events if e["subject"] not in proposed]
            events = [{k: v for k, v in e.items() if k != "entities" or v} for e in events]
            left = len(draft.events) - len(events)
            lines.append(f"# {count} ({', '.join(sorted(proposed))}) and {left} event(s) about them are left out; "
                         "write with -o to keep them.")
    lines.append("document:")
    for key, value in draft.document.items():
        lines.append(f"  {key}: {_scalar(value)}")
    if not events:
        lines.append("events: []")
        return "\n".join(lines) + "\n"
    lines.append("events:")
    for event in events:
        first = True
        for key, value in event.items():
            prefix = "  - " if first else "    "
            first = False
            if key == "facts":
                lines.append(f"{prefix}facts:")
                lines += [f"      {name}: {_scalar(v)}" for name, v in value.items()]
            else:
                lines.append(f"{prefix}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def proposals_yaml(draft: Draft, events_file: str) -> str:
    """The proposed entities, as an entities file to review beside the draft."""
    lines = [
        f"# proposed: entities named in {draft.document['text']} that entities.yaml does not know,",
        f"# used by the draft {events_file}. Check each name, kind and slug (merge it into",
        "# an existing entity as an alias if it is one), then move it into entities.yaml.",
        "entities:",
    ]
    lines += [f"  - {_scalar(p.record())}{p.hint()}" for p in draft.proposals]
    return "\n".join(lines) + "\n"


def output_names(out: str) -> Sequence[str]:
    """The draft's file name and its proposals' file name beside it."""
    stem = out[:-5] if out.endswith(".yaml") else out[:-4] if out.endswith(".yml") else out
    return out, f"{stem}.entities.yaml"


def save(draft: Draft, out: Path) -> list[Path]:
    """Write the draft (and its proposals beside it) to ``out``; all or nothing.

    Each file is written to a temporary name and renamed into place only when
    every file has been written, so a failure leaves no partial output
    (:func:`chronicle.outputs.write_files`).
    """
    events_name, proposals_name = output_names(str(out))
    texts = {Path(events_name): events_yaml(draft, Path(proposals_name).name if draft.proposals else None)}
    if draft.proposals:
        texts[Path(proposals_name)] = proposals_yaml(draft, Path(events_name).name)
    write_files({path: [text] for path, text in texts.items()})
    return list(texts)
