"""Fuzzy dates: what a text says about when, without inventing precision.

Every date chronicle keeps is a ``FuzzyDate``: the words, a canonical EDTF
string and inclusive bounds, read once by ``parse``. See DESIGN.md, "Fuzzy
dates" and "Three clocks".
"""

from chronicle.fuzzydate.calendar import chinese_new_year
from chronicle.fuzzydate.cutoff import context_date, framed_date, parse_cutoff, status
from chronicle.fuzzydate.edtf_subset import parse_edtf
from chronicle.fuzzydate.model import Anchor, FuzzyDate, Precision, Qualifier, Status
from chronicle.fuzzydate.reading import parse

__all__ = [
    "Anchor",
    "FuzzyDate",
    "Precision",
    "Qualifier",
    "Status",
    "chinese_new_year",
    "context_date",
    "framed_date",
    "parse",
    "parse_cutoff",
    "parse_edtf",
    "status",
]
