"""The licence table: each licence name to the openness it grants, matched exactly after normalising."""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.licences import LICENCES, claimed_openness, is_open, licence_openness, normalised

#: What each entry of the table must say, written out by hand.
EXPECTED = {
    "Apache-2.0": "open-source", "Apache 2.0": "open-source", "Apache 2": "open-source",
    "Apache License 2.0": "open-source", "Apache License, Version 2.0": "open-source",
    "MIT": "open-source", "MIT License": "open-source",
    "BSD": "open-source", "BSD-2-Clause": "open-source", "BSD-3-Clause": "open-source",
    "GPL-2.0": "open-source", "GPL-3.0": "open-source", "LGPL-3.0": "open-source", "MPL-2.0": "open-source",
    "CC-BY-4.0": "open-source", "CC BY 4.0": "open-source", "CC-BY-SA-4.0": "open-source",
    "CC BY-SA 4.0": "open-source", "CC0-1.0": "open-source", "CC0": "open-source",
    "Modified MIT": "open-weight", "Modified MIT License": "open-weight",
    "Llama 2 Community License": "open-weight", "Llama 2 Community License Agreement": "open-weight",
    "Llama 3 Community License": "open-weight", "Llama 3 Community License Agreement": "open-weight",
    "Llama 3.1 Community License": "open-weight", "Llama 3.1 Community License Agreement": "open-weight",
    "Llama 3.2 Community License": "open-weight", "Llama 3.2 Community License Agreement": "open-weight",
    "Llama 3.3 Community License": "open-weight", "Llama 3.3 Community License Agreement": "open-weight",
    "Llama 4 Community License": "open-weight", "Llama 4 Community License Agreement": "open-weight",
    "Qwen License": "open-weight", "Qwen License Agreement": "open-weight",
    "Tongyi Qianwen License": "open-weight", "Tongyi Qianwen License Agreement": "open-weight",
    "DeepSeek License": "open-weight", "DeepSeek License Agreement": "open-weight",
    "DeepSeek Model License": "open-weight",
    "Gemma Terms of Use": "open-weight", "Gemma License": "open-weight",
    "OpenRAIL": "open-weight", "OpenRAIL-M": "open-weight", "BigScience OpenRAIL-M": "open-weight",
    "BigCode OpenRAIL-M": "open-weight", "CreativeML OpenRAIL-M": "open-weight",
    "BigScience RAIL License v1.0": "open-weight",
    "CC-BY-NC-4.0": "open-weight non-commercial", "CC BY-NC 4.0": "open-weight non-commercial",
    "CC-BY-NC-SA-4.0": "open-weight non-commercial", "CC BY-NC-SA 4.0": "open-weight non-commercial",
    "CC-BY-NC-ND-4.0": "open-weight non-commercial", "CC BY-NC-ND 4.0": "open-weight non-commercial",
    "Qwen Research License": "open-weight non-commercial",
    "Qwen Research License Agreement": "open-weight non-commercial",
    "Tongyi Qianwen Research License": "open-weight non-commercial",
    "Tongyi Qianwen Research License Agreement": "open-weight non-commercial",
    "proprietary": "closed", "Proprietary License": "closed",
}


def test_the_table_holds_exactly_the_expected_entries() -> None:
    assert LICENCES == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_entry_gives_its_openness_in_any_case(name: str) -> None:
    assert licence_openness(name) == EXPECTED[name]
    assert licence_openness(name.upper()) == EXPECTED[name]
    assert licence_openness(f"  {name.lower()} ") == EXPECTED[name]


def test_no_two_names_that_read_alike_grant_different_openness() -> None:
    by_form: dict[str, set[str]] = {}
    for name, openness in LICENCES.items():
        by_form.setdefault(normalised(name), set()).add(openness)
    assert all(len(found) == 1 for found in by_form.values())


@pytest.mark.parametrize(("spelling", "openness"), [
    ("apache-2.0", "open-source"), ("APACHE 2.0", "open-source"), ("Apache_2.0", "open-source"),
    ("apache license 2.0", "open-source"), ("cc-by-nc-4.0", "open-weight non-commercial"),
    ("CC BY NC 4.0", "open-weight non-commercial"), ("llama-3.1-community-licence", "open-weight"),
    ("Llama 3.1 Community Licence Agreement", "open-weight"), ("modified-mit", "open-weight"),
    ("tongyi qianwen licence agreement", "open-weight"), ("PROPRIETARY", "closed"),
])
def test_case_spaces_hyphens_and_the_spelling_of_licence_do_not_matter(spelling: str, openness: str) -> None:
    assert licence_openness(spelling) == openness


@pytest.mark.parametrize("name", [
    "Llama", "Apache", "Apache 3.0", "MIT-0", "MIT or Apache", "a custom licence", "open", "Qwen", "GPL",
    "CC BY", "research only", "", " ", "Apache 2.0 (weights) / proprietary (data)",
])
def test_a_name_not_in_the_table_gives_no_openness(name: str) -> None:
    assert licence_openness(name) is None


@pytest.mark.parametrize("value", [None, 2, 2.0, True, ["MIT"], {"name": "MIT"}])
def test_what_is_not_text_gives_no_openness(value: Any) -> None:
    assert licence_openness(value) is None


@pytest.mark.parametrize(("facts", "openness"), [
    ({}, None),
    ({"license": "Apache 2.0"}, "open-source"),  # the licence alone
    ({"license": "some licence of its own"}, None),  # unknown: says nothing
    ({"license": "some licence of its own", "openness": "open-weight"}, "open-weight"),
    ({"openness": "open-weight", "license": "MIT"}, "open-weight"),  # agree on open: the source's finer word
    ({"openness": "open", "license": "CC BY-NC 4.0"}, "open"),
    ({"openness": "closed", "license": "MIT"}, "open-source"),  # a closed word does not hide an open licence
    ({"openness": "api", "license": "Llama 3 Community License"}, "open-weight"),
    ({"openness": "open-weight", "license": "proprietary"}, "closed"),  # nor an open word a closed one
    ({"open_weights": False, "license": "Apache-2.0"}, "open-source"),  # nor the flag
    ({"open_weights": True, "license": "proprietary"}, "closed"),
    ({"open_weights": True}, "open-weight"),
    ({"open_weights": False}, "closed"),
    ({"openness": "open-weight", "open_weights": False}, "open-weight"),  # a word beats the flag
    ({"openness": ""}, None),
])
def test_a_claims_openness(facts: dict[str, Any], openness: str | None) -> None:
    assert claimed_openness(facts) == openness


@pytest.mark.parametrize(("value", "expected"), [
    ("open-source", True), ("open-weight", True), ("open-weight non-commercial", True), ("open weights", True),
    ("open", True), ("Open-Weight", True), ("closed", False), ("api", False), ("hosted", False),
    ("unreleased", False), (None, False), (["closed", "open-source"], True), (["closed", "api"], False),
])
def test_what_counts_as_open(value: Any, expected: bool) -> None:
    assert is_open(value) is expected
