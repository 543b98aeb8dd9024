"""Licences and openness: what a model's licence says about how open it is.

``LICENCES`` is the one table chronicle reads a licence name through: SPDX
ids and the names sources give the common model licences, each with the
openness it grants. Names are matched on a normalised form (case, spaces,
hyphens, underscores and the spelling "licence"/"license" do not matter),
never guessed: a name that is not in the table gives no openness, and the
licence cell shows it as the source wrote it.

The openness words, most open first:

- ``open-source``: the terms let anyone use, study, change and share the
  model for any purpose (OSI-approved licences; CC BY and CC0);
- ``open-weight``: the weights can be downloaded and used, under conditions
  an open-source licence does not set (use restrictions, a cap on users,
  attribution above a size: the Llama, Qwen, DeepSeek, Gemma, OpenRAIL and
  modified MIT licences);
- ``open-weight non-commercial``: the weights can be downloaded, for no
  commercial use (CC BY-NC, research licences);
- ``closed``: the weights are not published ("proprietary").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: The facts a claim's openness is read from (see :func:`claimed_openness`).
OPENNESS_FACTS = frozenset({"openness", "license", "open_weights"})

OPEN_SOURCE = "open-source"
OPEN_WEIGHT = "open-weight"
NON_COMMERCIAL = "open-weight non-commercial"
CLOSED = "closed"

#: Licence name (as sources and SPDX spell it) -> the openness it grants.
LICENCES: dict[str, str] = {
    # Permissive and copyleft licences: open source.
    "Apache-2.0": OPEN_SOURCE,
    "Apache 2.0": OPEN_SOURCE,
    "Apache 2": OPEN_SOURCE,
    "Apache License 2.0": OPEN_SOURCE,
    "Apache License, Version 2.0": OPEN_SOURCE,
    "MIT": OPEN_SOURCE,
    "MIT License": OPEN_SOURCE,
    "BSD": OPEN_SOURCE,
    "BSD-2-Clause": OPEN_SOURCE,
    "BSD-3-Clause": OPEN_SOURCE,
    "GPL-2.0": OPEN_SOURCE,
    "GPL-3.0": OPEN_SOURCE,
    "LGPL-3.0": OPEN_SOURCE,
    "MPL-2.0": OPEN_SOURCE,
    "CC-BY-4.0": OPEN_SOURCE,
    "CC BY 4.0": OPEN_SOURCE,
    "CC-BY-SA-4.0": OPEN_SOURCE,
    "CC BY-SA 4.0": OPEN_SOURCE,
    "CC0-1.0": OPEN_SOURCE,
    "CC0": OPEN_SOURCE,
    # Weights open under conditions of their own.
    "Modified MIT": OPEN_WEIGHT,
    "Modified MIT License": OPEN_WEIGHT,
    "Llama 2 Community License": OPEN_WEIGHT,
    "Llama 2 Community License Agreement": OPEN_WEIGHT,
    "Llama 3 Community License": OPEN_WEIGHT,
    "Llama 3 Community License Agreement": OPEN_WEIGHT,
    "Llama 3.1 Community License": OPEN_WEIGHT,
    "Llama 3.1 Community License Agreement": OPEN_WEIGHT,
    "Llama 3.2 Community License": OPEN_WEIGHT,
    "Llama 3.2 Community License Agreement": OPEN_WEIGHT,
    "Llama 3.3 Community License": OPEN_WEIGHT,
    "Llama 3.3 Community License Agreement": OPEN_WEIGHT,
    "Llama 4 Community License": OPEN_WEIGHT,
    "Llama 4 Community License Agreement": OPEN_WEIGHT,
    "Qwen License": OPEN_WEIGHT,
    "Qwen License Agreement": OPEN_WEIGHT,
    "Tongyi Qianwen License": OPEN_WEIGHT,
    "Tongyi Qianwen License Agreement": OPEN_WEIGHT,
    "DeepSeek License": OPEN_WEIGHT,
    "DeepSeek License Agreement": OPEN_WEIGHT,
    "DeepSeek Model License": OPEN_WEIGHT,
    "Gemma Terms of Use": OPEN_WEIGHT,
    "Gemma License": OPEN_WEIGHT,
    "OpenRAIL": OPEN_WEIGHT,
    "OpenRAIL-M": OPEN_WEIGHT,
    "BigScience OpenRAIL-M": OPEN_WEIGHT,
    "BigCode OpenRAIL-M": OPEN_WEIGHT,
    "CreativeML OpenRAIL-M": OPEN_WEIGHT,
    "BigScience RAIL License v1.0": OPEN_WEIGHT,
    # Weights open for no commercial use.
    "CC-BY-NC-4.0": NON_COMMERCIAL,
    "CC BY-NC 4.0": NON_COMMERCIAL,
    "CC-BY-NC-SA-4.0": NON_COMMERCIAL,
    "CC BY-NC-SA 4.0": NON_COMMERCIAL,
    "CC-BY-NC-ND-4.0": NON_COMMERCIAL,
    "CC BY-NC-ND 4.0": NON_COMMERCIAL,
    "Qwen Research License": NON_COMMERCIAL,
    "Qwen Research License Agreement": NON_COMMERCIAL,
    "Tongyi Qianwen Research License": NON_COMMERCIAL,
    "Tongyi Qianwen Research License Agreement": NON_COMMERCIAL,
    # Weights not published.
    "proprietary": CLOSED,
    "Proprietary License": CLOSED,
}

_IGNORED = re.compile(r"[\s\-_]+")


def normalised(name: str) -> str:
    """The form licence names are matched on: "Apache 2.0", "apache-2.0" and "APACHE_2.0" are one."""
    return _IGNORED.sub("", name.casefold().replace("licence", "license"))


_BY_FORM: dict[str, str] = {normalised(name): openness for name, openness in LICENCES.items()}


def licence_openness(name: Any) -> str | None:
    """The openness a licence grants, or None for a name not in ``LICENCES`` (or not text)."""
    return _BY_FORM.get(normalised(name)) if isinstance(name, str) else None


def is_open(value: Any) -> bool:
    """Whether an openness (or any of several) means the weights can be had: open-source or open-weight.

    Open weights for non-commercial use count as open: the weights are
    published, and the word ("open-weight non-commercial") says the rest.
    """
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v.lower().startswith("open") for v in values)


def claimed_openness(facts: Mapping[str, Any]) -> str | None:
    """The openness one claim gives a model, from its ``openness``, ``license`` and ``open_weights`` facts.

    The licence decides *whether* the model is open, the source's own word
    says *how*: a stated openness is kept when it agrees with the licence
    on whether the weights are open (it is the finer statement, "open-weight"
    beside an MIT licence: weights out, training data not), and the
    licence's openness is given when they disagree, so that "closed" or an
    ``open_weights: false`` flag never hides an open licence. A licence not
    in ``LICENCES`` decides nothing. The open-weights flag, the coarsest
    statement, counts only when neither says anything.
    """
    stated = facts.get("openness")
    stated = str(stated) if stated is not None and stated != "" else None
    licensed = licence_openness(facts.get("license"))
    if licensed is not None and (stated is None or is_open(stated) != is_open(licensed)):
        return licensed
    if stated is not None:
        return stated
    if "open_weights" in facts:
        return OPEN_WEIGHT if facts["open_weights"] else CLOSED
    return None
