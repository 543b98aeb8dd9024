"""Numbers with units: money, percentages, parameters, counts, token prices.

Each finding is a ``Quantity`` in the units of ``chronicle.events.UNITS``,
with the comparison the words give ("over" is ``>``, "nearly" is ``~``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "b": 1e9, "bn": 1e9,
          "trillion": 1e12, "t": 1e12, "tn": 1e12}
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "a": 1, "hundreds of": 100, "dozens of": 12}
_OPS = [
    (r"more than|over|above|exceeding|in excess of|upwards of|surpassing|beyond", ">"),
    (r"at least|no less than", ">="),
    (r"less than|under|below|fewer than", "<"),
    (r"up to|at most|no more than", "<="),
    (r"nearly|almost|approximately|about|around|roughly|some|close to|an estimated|~", "~"),
]
_OP = "(?:(?P<op>" + "|".join(p for p, _ in _OPS) + r")\s+)?"
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(_WORD_NUMBERS) + ")"
_SCALE_WORDS = r"(?:\s*(?P<scale>thousand|million|billion|trillion|mn|bn|tn|[kKmMbBtT])\b)?"

_MONEY = re.compile(rf"{_OP}(?P<cur>US\$|\$|€|¥|RMB\s?|USD\s?|CNY\s?|EUR\s?){_NUMBER}{_SCALE_WORDS}"
                    rf"(?:\s+(?:(?P<cur2>yuan|dollars|euros)))?", re.I)
_MONEY_WORDS = re.compile(rf"{_OP}{_NUMBER}{_SCALE_WORDS}\s+(?P<cur2>yuan|dollars|euros|USD|CNY|RMB)\b", re.I)
_PER_MTOK = re.compile(r"\s*(?:per|/|a|for each)\s*(?:one\s+)?(?:million|1M|M|1,000,000)\s+(?P<side>input|output)?\s*tokens", re.I)
_PERCENT = re.compile(rf"{_OP}(?P<num>\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(?P<high>\d+(?:\.\d+)?))?\s*(?:%|percent\b|per cent\b)", re.I)
_PARAMS = re.compile(rf"{_OP}{_NUMBER}(?:\s*(?P<scale>trillion|billion|million|[BbTtMm])\b|(?P<glued>[BT])\b)[\s-]*"
                     r"(?:(?P<active>active\s+)?param(?:eter)?s?\b)", re.I)
_PARAMS_GLUED = re.compile(r"(?<![\w$.])(?P<num>\d+(?:\.\d+)?)(?P<scale>[BT])\b(?![\w-]*\s*(?:tokens|dollars|yuan))")
_COUNT = re.compile(rf"(?<![\w.,]){_OP}{_NUMBER}{_SCALE_WORDS}\+?\s+(?:(?:new|global|cumulative|total|monthly|daily|weekly)\s+)*"
                    r"(?P<what>downloads|monthly active users|daily active users|active users|users|derivatives?"
                    r"|derivative models|models|tokens)\b", re.I)
_MULTIPLE = re.compile(r"(?P<word>one-(?:half|third|quarter|fifth|sixth|seventh|eighth|ninth|tenth))\s+(?:of\s+)?the\s+(?:price|cost)"
                       r"|(?P<num>\d+(?:\.\d+)?|two|three|four|five|ten)[\s-]*(?:x|times)\b", re.I)
_FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in the text: its kind, value, unit, op and offsets."""

    kind: str  # money, price, percent, params, downloads, users, derivatives, tokens, ratio
    value: float
    unit: str
    op: str
    start: int
    end: int
    side: str | None = None  # input/output, for prices; "active" for parameters
    note: str | None = None

    def fact(self, sign: int = 1) -> dict[str, object]:
        """The quantity as a fact value, ``{value, unit, op}``."""
        value = self.value * sign
        clean: float | int = int(value) if float(value).is_integer() else round(value, 6)
        out: dict[str, object] = {"value": clean, "unit": self.unit}
        if self.op != "=":
            out["op"] = self.op
        return out


def _op(word: str | None) -> str:
    if not word:
        return "="
    for pattern, op in _OPS:
        if re.fullmatch(pattern, word, re.I):
            return op
    return "="  # pragma: no cover


def _number(raw: str, scale: str | None) -> float:
    raw = raw.lower()
    value = float(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else float(raw.replace(",", ""))
    if scale:
        value *= _SCALE.get(scale.lower(), 1)
    return value


def _currency(code: str | None, word: str | None) -> str:
    key = (code or word or "").strip().lower()
    if key in ("€", "eur", "euros"):
        return "EUR"
    if key in ("¥", "rmb", "cny", "yuan"):
        return "CNY"
    return "USD"


def find_quantities(text: str, start: int, end: int) -> list[Quantity]:
    """Every quantity in ``text[start:end]``, in order, without overlaps."""
    found: list[Quantity] = []
    span = text[:end]
    for m in _MONEY.finditer(span, start):
        found.append(_money(m, text, end))
    for m in _MONEY_WORDS.finditer(span, start):
        found.append(_money(m, text, end))
    for m in _PERCENT.finditer(span, start):
        op = _op(m["op"])
        note = None
        if m["high"]:
            op, note = ">=", f"a range, {m['num']}-{m['high']}%: the lower end is kept"
        found.append(Quantity("percent", float(m["num"]), "percent", op, m.start(), m.end(), note=note))
    for m in _PARAMS.finditer(span, start):
        side = "active" if m["active"] else None
        scale = m["scale"] or m["glued"]
        found.append(Quantity("params", _number(m["num"], scale), "params", _op(m["op"]), m.start(), m.end(), side))
    for m in _PARAMS_GLUED.finditer(span, start):
        found.append(Quantity("params", _number(m["num"], m["scale"]), "params", "=", m.start(), m.end()))
    for m in _COUNT.finditer(span, start):
        what = m["what"].lower()
        kind = ("downloads" if what == "downloads" else "tokens" if what == "tokens"
                else "derivatives" if what.startswith("derivative") or what == "models" else "users")
        found.append(Quantity(kind, _number(m["num"], m["scale"]), "tokens" if kind == "tokens" else "count",
                              _op(m["op"]), m.start(), m.end()))
    for m in _MULTIPLE.finditer(span, start):
        if m["word"]:
            value = 1 / _FRACTIONS[m["word"].split("-")[1].lower()]
            found.append(Quantity("ratio", round(value, 4), "ratio", "~", m.start(), m.end()))
        else:
            found.append(Quantity("ratio", _number(m["num"], None), "ratio", "=", m.start(), m.end()))
    return _without_overlaps(found)


def _money(m: re.Match[str], text: str, end: int) -> Quantity:
    value = _number(m["num"], m["scale"])
    unit = _currency(m.groupdict().get("cur"), m["cur2"])
    per = _PER_MTOK.match(text, m.end(), end)
    if per is not None:
        return Quantity("price", value, f"{'CNY' if unit == 'CNY' else 'USD'}/Mtok", _op(m["op"]),
                        m.start(), per.end(), per["side"].lower() if per["side"] else None)
    return Quantity("money", value, unit, _op(m["op"]), m.start(), m.end())


def _without_overlaps(found: list[Quantity]) -> list[Quantity]:
    # Longer findings win ("$0.55 per million input tokens" over "$0.55").
    kept: list[Quantity] = []
    for q in sorted(found, key=lambda q: (-(q.end - q.start), q.start)):
        if all(q.end <= k.start or q.start >= k.end for k in kept):
            kept.append(q)
    return sorted(kept, key=lambda q: q.start)
