"""Entities: a gazetteer from entities.yaml, and proposals for unknown names.

Names match whatever the case of their inner letters, with or without the
hyphens, spaces and dots between their parts ("DeepSeek R1", "DeepSeek-R1",
"Deepseek-r1") and with a possessive ("Alibaba's"). Short all-capital names
("US", "MIT", "IRON") and one-word names that are also English words match
only as written, so that "benchmarks" never becomes Benchmark Capital.
The longest match wins where names overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chronicle.errors import ChronicleError
from chronicle.eventfiles import load_yaml
from chronicle.events import Entity

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)*")
_SEP = r"(?:['’]s\s|[\s\-–_.'’])?"
_BOUNDARY_AFTER = r"(?![A-Za-z0-9]|[.\-]\d|-[A-Z])"


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in the text: its slug, offsets and whether it is proposed."""

    slug: str
    kind: str
    start: int
    end: int
    proposed: bool = False
    implied: bool = False  # not named, but owner of a name ("Doubao" implies ByteDance)


def load_entities(path: Path) -> list[Entity]:
    """The entities of an entities file, or a clear error."""
    from chronicle.validate import validate_entities

    data, problems = load_yaml(path)
    if not problems:
        found, problems = validate_entities(path, data, {})
        if not problems:
            return found
    raise ChronicleError(f"{path}: not a usable entities file ({problems[0]})",
                         "give --entities the events/entities.yaml of the corpus")


def _pattern(name: str, exact: bool) -> str:
    tokens = _TOKEN.findall(name)
    if not tokens:
        return re.escape(name)
    body = _SEP.join(re.escape(t) for t in tokens)
    if exact:
        return f"(?-i:{body})"
    # The first letter keeps its case: "Meta" is a name, "meta" a word.
    first = tokens[0]
    if first[0].isalpha():
        head = f"(?-i:{re.escape(first[0])}){re.escape(first[1:])}"
        body = _SEP.join([head, *(re.escape(t) for t in tokens[1:])])
    return body


def _exact(name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", name)
    return (name.isupper() and len(letters) <= 5) or len(letters) <= 2


class Gazetteer:
    """Finds the known entities named in a text."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: dict[str, Entity] = {e.slug: e for e in entities}
        names: list[tuple[str, str]] = []
        for e in self.entities.values():
            for name in (e.name, *e.aliases):
                # Descriptions in brackets are not words the text uses.
                name = re.sub(r"\s*\(.*?\)", "", name).strip()
                if name:
                    names.append((name, e.slug))
        names.sort(key=lambda n: -len(n[0]))
        self._names = [
            (slug, re.compile("(?:" + _pattern(name, _exact(name)) + r")(?:['’]s)?" + _BOUNDARY_AFTER, re.I))
            for name, slug in names
        ]
        parts = [_pattern(name, _exact(name)) for name, _ in names]
        self._regex = re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(parts) + r")(?:['’]s)?" + _BOUNDARY_AFTER, re.I
        ) if parts else None

    def find(self, text: str, start: int, end: int) -> list[Mention]:
        """Known entities in ``text[start:end]``, longest match first, in order."""
        if self._regex is None:
            return []
        found: list[Mention] = []
        pos = start
        while pos < end:
            m = self._regex.search(text, pos, end)
            if m is None:
                break
            slug, stop = self._longest_at(text, m.start(), end)
            found.append(Mention(slug, self.entities[slug].kind, m.start(), stop))
            pos = stop
        return found

    def _longest_at(self, text: str, at: int, end: int) -> tuple[str, int]:
        # The alternation takes the first name that fits; a shorter name can
        # reach further ("OpenAI's o1" against "OpenAI"), so compare the ends.
        best: tuple[str, int] | None = None
        for slug, regex in self._names:
            m = regex.match(text, at, end)
            if m is not None and (best is None or m.end() > best[1]):
                best = (slug, m.end())
        assert best is not None
        return best


# -- proposals -----------------------------------------------------------------------

_CAP = r"[A-Z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*"
_ORG_CUES = r"(?:AI|Labs?|Laboratory|Technologies|Technology|Robotics|Intelligence|Inc\.?|Group|Capital|Ventures|University|Institute|Academy)"
_ORG = re.compile(rf"\b(?:{_CAP}\s+){{1,3}}{_ORG_CUES}\b")
# A model name: a capitalised word with a version ("GLM-5", "Qwen3.5", "Kimi K3", "X-V3", "Hunyuan-T1").
_MODEL = re.compile(r"\b(?:[A-Z][A-Za-z]+\s)?[A-Z][A-Za-z]*[\-\s]?[A-Z]?\d+(?:\.\d+)*(?:-[A-Z][A-Za-z]+)?\b(?!\s*(?:%|percent|million|billion|days|years))")
_PERSON = re.compile(r"(?:\b(?:CEO|founder|co-founder|chief scientist|researcher|professor|analyst|said|says|according to)\s+)"
                     r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b")
_NOT_NAMES = {"The", "This", "That", "These", "In", "By", "On", "At", "For", "And", "But", "With", "From", "As", "It",
              "Domestic", "Chinese", "American", "Western", "Global", "Generative", "Open", "Other", "Many",
              "Some", "Leading", "Major", "Emerging", "Frontier", "Agentic", "Physical", "Embodied", "Sovereign"}
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December", "Q1", "Q2", "Q3", "Q4", "H1", "H2"}


def slugify(name: str) -> str:
    """A slug for a name: lowercase letters, digits, dots and hyphens."""
    slug = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")
    return slug or "entity"


@dataclass(frozen=True, slots=True)
class Proposal:
    """A name the gazetteer does not know, drafted as an entity to review."""

    slug: str
    kind: str
    name: str
    org: str | None = None
    family: str | None = None

    def record(self) -> dict[str, Any]:
        # org and family are left to the reviewer (see ``hint``): an entities
        # file may only name entities already in the store.
        return {"slug": self.slug, "kind": self.kind, "name": self.name, "aliases": []}

    def hint(self) -> str:
        parts = [f"{k}: {v}" for k, v in (("org", self.org), ("family", self.family)) if v]
        return f"  # probably {', '.join(parts)}" if parts else ""


def propose(text: str, start: int, end: int, known: Mapping[str, Entity], taken: list[Mention],
            blocked: Sequence[tuple[int, int]] = ()) -> list[tuple[Proposal, Mention]]:
    """Names that look like organisations, models or people and are not known.

    A model name may contain a known family's name ("Kimi K3" holds "Kimi"):
    the proposal then records that family and its org. ``blocked`` spans
    (dates) are never names.
    """
    found: list[tuple[Proposal, Mention]] = []

    def free(a: int, b: int, kind: str) -> bool:
        for m in taken:
            if b <= m.start or a >= m.end:
                continue
            inside = a <= m.start and m.end <= b and (m.end - m.start) < (b - a)
            if not (kind == "model" and inside and m.kind in ("model-family", "org")):
                return False
        return (all(b <= m.start or a >= m.end for _, m in found)
                and all(b <= x or a >= y for x, y in blocked))

    for kind, regex, group in (("person", _PERSON, "name"), ("org", _ORG, 0), ("model", _MODEL, 0)):
        for m in regex.finditer(text, start, end):
            a, b = m.span(group)
            name = m[group]
            words = name.split()
            while words and words[0] in _NOT_NAMES:
                a += len(words[0]) + 1
                words = words[1:]
            name = " ".join(words)
            if not name or words[0] in _MONTHS or re.fullmatch(r"[A-Z]?\d+(?:\.\d+)*", name) or not free(a, b, kind):
                continue
            if kind == "model" and (re.fullmatch(r"(?:19|20)\d\d", name.split()[-1]) or not re.search(r"[A-Za-z]", name)):
                continue
            slug = slugify(name)
            if slug in known:
                continue
            org = family = None
            if kind == "model":
                inner = [known[m.slug] for m in taken if a <= m.start and m.end <= b and m.slug in known]
                family = next((e.slug for e in inner if e.kind == "model-family"), None)
                org = next((e.org for e in inner if e.kind == "model-family"), None) or \
                    next((e.slug for e in inner if e.kind == "org"), None)
            found.append((Proposal(slug, kind, name, org, family), Mention(slug, kind, a, b, proposed=True)))
    return found
