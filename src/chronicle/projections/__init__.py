"""The projections chronicle knows, registered in one place."""

from __future__ import annotations

from chronicle.errors import ChronicleError
from chronicle.projections.base import (
    EXPECTED,
    HAPPENED,
    POSSIBLY,
    STATUS_MARK,
    Basis,
    Claim,
    Context,
    Projection,
    State,
)
from chronicle.projections.models import Models
from chronicle.projections.orgs import Orgs
from chronicle.projections.series import Metrics, Talent, Timeline

#: Name -> projection, in report order.
REGISTRY: dict[str, Projection] = {p.name: p for p in (Models(), Orgs(), Metrics(), Talent(), Timeline())}
#: What `chronicle as-of` shows without --projection.
REPORT = ("models", "orgs", "metrics", "talent")


def get(name: str) -> Projection:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ChronicleError(f"no projection {name!r}", f"choose from {', '.join(REGISTRY)}") from None


__all__ = ["EXPECTED", "HAPPENED", "POSSIBLY", "REGISTRY", "REPORT", "STATUS_MARK", "Basis", "Claim",
           "Context", "Projection", "State", "get"]
