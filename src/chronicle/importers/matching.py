"""Names a source uses, matched to entity slugs; new entities for names nobody knows.

Matching is tolerant of case, spaces, hyphens and punctuation ("DeepSeek-R1",
"DeepSeek R1" and "deepseek r1" are one name) and looks at names and aliases,
within the kinds asked for (a model name never matches an org). A name that
matches two entities is ambiguous and matches none. New slugs are
deterministic: the same names in the same order always give the same slugs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from chronicle.events import Entity

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_NOT_SLUG = re.compile(r"[^0-9a-z.]+")


def name_key(name: str) -> str:
    """A name reduced to lowercase letters and digits: what matching compares."""
    return _NOT_ALNUM.sub("", name.casefold())


_PARENTHETICAL = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_ORG_SUFFIX = re.compile(r"\s+(AI|Inc\.?|Ltd\.?|LLC)$", re.IGNORECASE)


def org_variants(name: str) -> list[str]:
    """Other ways a source writes an org's name, in the order to try them.

    "Massachusetts Institute of Technology (MIT)" is also "Massachusetts
    Institute of Technology" and "MIT"; "Beijing Academy of Artificial
    Intelligence / BAAI" is both halves; "Meta AI" is also "Meta".
    """
    found = [name]
    match = _PARENTHETICAL.match(name)
    if match:
        found += [match.group(1), match.group(2)]
    for item in list(found):
        if " / " in item:
            found += [part.strip() for part in item.split(" / ")]
    found += [_ORG_SUFFIX.sub("", item) for item in list(found)]
    return [v for v in dict.fromkeys(found) if v]


def slugify(name: str) -> str:
    """A slug from a name: lowercase, runs of other characters become one hyphen."""
    slug = _NOT_SLUG.sub("-", name.casefold()).strip("-.")
    slug = re.sub(r"\.{2,}", ".", slug)
    return slug or "unnamed"


class EntityMatcher:
    """Resolves names to slugs against known entities, creating the missing ones."""

    def __init__(self, known: Iterable[Entity]) -> None:
        self.known: dict[str, Entity] = {e.slug: e for e in known}
        self.created: dict[str, Entity] = {}
        self.matched: set[str] = set()
        self._index: dict[tuple[str, str], set[str]] = {}
        self._names: dict[tuple[str, str], set[str]] = {}  # names only, without aliases
        for entity in self.known.values():
            self._add_to_index(entity)

    def _add_to_index(self, entity: Entity) -> None:
        self._names.setdefault((entity.kind, name_key(entity.name)), set()).add(entity.slug)
        for name in (entity.name, *entity.aliases):
            key = name_key(name)
            if key:
                self._index.setdefault((entity.kind, key), set()).add(entity.slug)

    def find(self, name: str, kinds: tuple[str, ...]) -> str | None:
        """The one entity of ``kinds`` with this name or alias, else None.

        Where several have it, the one whose name (not alias) it is wins;
        if that is not a single entity either, the name is ambiguous.
        """
        key = name_key(name)
        found: set[str] = set()
        named: set[str] = set()
        for kind in kinds:
            found |= self._index.get((kind, key), set())
            named |= self._names.get((kind, key), set())
        if len(found) == 1:
            return next(iter(found))
        return next(iter(named)) if len(named) == 1 else None

    def resolve(self, name: str, kind: str, **attributes: str | None) -> str:
        """The slug for ``name``: a known entity's, or a new entity's.

        ``attributes`` (country, org) are set on new entities only: an
        existing entity's attributes are never changed here.
        """
        slug = None
        for variant in org_variants(name) if kind == "org" else [name]:
            slug = self.find(variant, (kind,))
            if slug is not None:
                break
        if slug is not None:
            if slug not in self.created:
                self.matched.add(slug)
            return slug
        slug = self._free_slug(slugify(name), kind)
        entity = Entity(slug=slug, kind=kind, name=name.strip(), country=attributes.get("country"),
                        org=attributes.get("org"), family=attributes.get("family"))
        self.created[slug] = entity
        self._add_to_index(entity)
        return slug

    def fill(self, slug: str, **attributes: str | None) -> None:
        """Give a new entity an attribute it lacks (a later row may know its country)."""
        entity = self.created.get(slug)
        if entity is None:
            return
        missing = {k: v for k, v in attributes.items() if v is not None and getattr(entity, k) is None}
        if missing:
            self.created[slug] = replace(entity, **missing)  # type: ignore[arg-type]

    def _free_slug(self, base: str, kind: str) -> str:
        taken = self.known.keys() | self.created.keys()
        if base not in taken:
            return base
        candidate = f"{base}-{kind}"
        number = 2
        while candidate in taken:
            candidate = f"{base}-{kind}-{number}"
            number += 1
        return candidate

    @property
    def entities(self) -> Mapping[str, Entity]:
        return {**self.known, **self.created}
