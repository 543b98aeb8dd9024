"""How fact values read in a table: compact, unit-aware, deterministic."""

from __future__ import annotations

from typing import Any

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
_OPS = {"=": "", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "~": "~"}


def number(value: float | int) -> str:
    for scale, suffix in _SCALES:
        if abs(value) >= scale:
            scaled = value / scale
            text = f"{scaled:.2f}".rstrip("0").rstrip(".")
            return text + suffix
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def quantity(q: dict[str, Any]) -> str:
    """``{"value": 6000000, "unit": "USD", "op": "<"}`` reads ``<$6M``."""
    op = _OPS.get(q.get("op", "="), q.get("op", ""))
    unit, value = q["unit"], q["value"]
    if unit == "USD":
        return f"{op}${number(value)}"
    if unit == "percent":
        return f"{op}{number(value)}%"
    if unit == "count":
        return f"{op}{number(value)}"
    if unit == "params":
        return f"{op}{number(value)} params"
    if unit == "rank":
        return f"{op}#{number(value)}"
    return f"{op}{number(value)} {unit}"


#: How a value reads when its source does not simply assert it ("reportedly beats GPT-5").
_STANCE_WORDS = {"reportedly": "reportedly {}", "claimed": "{} (claimed)", "anticipated": "{} (anticipated)",
                 "delayed": "{} (delayed)", "denied": "{} (denied)"}


def hedged(text: str, stance: str) -> str:
    """``text`` with its source's stance in words; an asserted claim's text as it is."""
    form = _STANCE_WORDS.get(stance)
    return text if form is None or not text else form.format(text)


def display(value: Any) -> str:
    """Any fact or cell value as table text; several values joined with ' | '."""
    if value is None:
        return ""
    if isinstance(value, dict) and "unit" in value and "value" in value:
        return quantity(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " | ".join(display(v) for v in value)
    return str(value)
