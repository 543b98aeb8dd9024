"""Sentences with their character offsets into the whole text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (possibly followed by a closing quote or bracket)
# when whitespace and an upper-case letter, a digit or an opening quote follow;
# a line break always ends one (headings, list items, paragraphs).
_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Ms|Mrs|Dr|Prof|Inc|Corp|Ltd|Co|vs|etc|e\.g|i\.e|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|No|St))\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's text and its ``[start, end)`` offsets; ``paragraph`` counts blocks."""

    start: int
    end: int
    text: str
    paragraph: int


def split_sentences(text: str, start: int = 0) -> list[Sentence]:
    """The sentences of ``text[start:]``, trimmed, with offsets into ``text``."""
    found: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text[start:]):
        line_start = start + line.start()
        if found and "\n\n" in text[found[-1].end:line_start].replace("\r", ""):
            paragraph += 1
        piece_start = line_start
        line_end = start + line.end()
        for m in _END.finditer(text, line_start, line_end):
            head = text[piece_start:m.end()]
            if _ABBREVIATIONS.search(head.rstrip("\"'”’)]")):
                continue
            _add(found, text, piece_start, m.end(), paragraph)
            piece_start = m.end()
        _add(found, text, piece_start, line_end, paragraph)
    return found


def _add(found: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # Markdown markers are layout, not words of the claim.
    while start < end and text[start] in "#*->•" and (start + 1 == end or text[start + 1] in " #*"):
        start += 1
        while start < end and text[start].isspace():
            start += 1
    if end > start and any(c.isalpha() for c in text[start:end]):
        found.append(Sentence(start, end, text[start:end], paragraph))
