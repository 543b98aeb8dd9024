"""Properties of fuzzy dates over generated inputs, and an oracle: the `edtf` package."""

from __future__ import annotations

import time
from datetime import date, timedelta

import edtf
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.fuzzydate import FuzzyDate, Status, parse, parse_cutoff, status
from chronicle.fuzzydate.calendar import month_end

SUBYEAR_CODES = [21, 22, 23, 24, *range(33, 42)]
MONTH_NAMES = ["January", "Feb", "march", "Sept", "December"]
years = st.integers(min_value=1900, max_value=2100)


@st.composite
def iso_dates(draw: st.DrawFn) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD, always a real calendar period."""
    year = draw(years)
    kind = draw(st.sampled_from(["year", "month", "day"]))
    if kind == "year":
        return f"{year:04d}"
    month = draw(st.integers(1, 12))
    if kind == "month":
        return f"{year:04d}-{month:02d}"
    day = draw(st.integers(1, month_end(year, month).day))
    return f"{year:04d}-{month:02d}-{day:02d}"


@st.composite
def points(draw: st.DrawFn) -> str:
    """One EDTF date: ISO or a sub-year code, optionally qualified."""
    if draw(st.booleans()):
        core = draw(iso_dates())
    else:
        core = f"{draw(years):04d}-{draw(st.sampled_from(SUBYEAR_CODES))}"
    return core + draw(st.sampled_from(["", "", "~", "?", "%"]))


@st.composite
def intervals(draw: st.DrawFn, ends: st.SearchStrategy[str]) -> str:
    """A/B with A not after B, either end possibly open."""
    a, b = draw(ends), draw(ends)
    pa, pb = parse(a), parse(b)
    assert pa.earliest and pb.earliest and pa.latest and pb.latest
    if pb.latest < pa.earliest:
        a, b = b, a
    if draw(st.integers(0, 3)) == 0:
        a = ".."
    if draw(st.integers(0, 3)) == 0:
        b = ".."
    return f"{a}/{b}"


@st.composite
def phrases(draw: st.DrawFn) -> str:
    """English phrases, possibly wrapped in an operator."""
    year = draw(years)
    month = draw(st.sampled_from(MONTH_NAMES))
    base = draw(
        st.sampled_from(
            [
                f"{month} {year}",
                f"{month} 1, {year}",
                f"Q{draw(st.integers(1, 4))} {year}",
                f"H{draw(st.integers(1, 2))} {year}",
                f"{draw(st.sampled_from(['early', 'mid', 'late']))} {year}",
                f"{draw(st.sampled_from(['early', 'mid-', 'late']))} {month} {year}",
                f"{draw(st.sampled_from(['spring', 'summer', 'autumn', 'winter']))} {year}",
                f"the end of {year}",
            ]
        )
    )
    operator = draw(st.sampled_from(["", "", "by ", "before ", "after ", "since ", "within a month of "]))
    return operator + base


edtf_strings = st.one_of(points(), intervals(points()))
any_strings = st.one_of(edtf_strings, phrases())


def reading(x: FuzzyDate) -> tuple[object, ...]:
    return (x.edtf, x.earliest, x.latest, x.precision, x.qualifier)


@settings(max_examples=300, deadline=None)
@given(any_strings)
def test_earliest_never_after_latest(text: str) -> None:
    x = parse(text)
    if x.earliest is not None and x.latest is not None:
        assert x.earliest <= x.latest


@settings(max_examples=300, deadline=None)
@given(any_strings)
def test_canonical_edtf_round_trips(text: str) -> None:
    x = parse(text)
    again = parse(x.edtf)
    assert reading(again) == reading(x)
    assert again.edtf == x.edtf


_ORDER = {Status.NOT_YET: 0, Status.POSSIBLY: 1, Status.HAPPENED: 2}


@settings(max_examples=300, deadline=None)
@given(any_strings, st.dates(date(1890, 1, 1), date(2110, 12, 31)), st.integers(0, 4000))
def test_status_only_moves_forward_as_the_cutoff_does(text: str, cutoff: date, later_by: int) -> None:
    x = parse(text)
    later = cutoff + timedelta(days=later_by)
    assert _ORDER[status(x, cutoff)] <= _ORDER[status(x, later)]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["in December", "in March", "on Tuesday", "on Sunday", "in the summer", "in Q3", "in late May"]),
    st.dates(date(2016, 1, 1), date(2034, 12, 31)),
    st.booleans(),
)
def test_relative_words_fall_on_the_side_of_publication_their_tense_says(
    text: str, published: date, future: bool
) -> None:
    x = parse(text, published=published, future=future)
    assert x.earliest is not None and x.latest is not None
    if future:
        assert x.latest >= published
    else:
        assert x.earliest <= published


@settings(max_examples=200, deadline=None)
@given(iso_dates())
def test_a_cutoff_is_the_last_day_of_the_period_it_names(text: str) -> None:
    assert parse_cutoff(text) == parse(text).latest


# The oracle: the `edtf` package reads the same strings. Its strict bounds
# ignore qualifiers (chronicle widens ~ and %), it writes open ends as
# infinities, and it reads sub-year codes only unqualified and outside
# intervals, so the
# generated strings keep to what both implement.
def _oracle_bounds(text: str) -> tuple[date | None, date | None]:
    parsed = edtf.parse_edtf(text)

    def day(value: object) -> date | None:
        if isinstance(value, time.struct_time):
            return date(value.tm_year, value.tm_mon, value.tm_mday)
        return None  # an open end

    return day(parsed.lower_strict()), day(parsed.upper_strict())


@st.composite
def unqualified_points(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(iso_dates())
    return f"{draw(years):04d}-{draw(st.sampled_from(SUBYEAR_CODES))}"


oracle_strings = st.one_of(unqualified_points(), intervals(iso_dates()))


@settings(max_examples=100, deadline=None)
@given(oracle_strings)
def test_bounds_agree_with_the_edtf_package(text: str) -> None:
    ours = parse(text)
    lower, upper = _oracle_bounds(text)
    if ours.earliest is not None:
        assert ours.earliest == lower
    if ours.latest is not None:
        assert ours.latest == upper


@settings(max_examples=60, deadline=None)
@given(iso_dates(), st.sampled_from("~?%"))
def test_qualified_bounds_contain_the_edtf_packages_strict_bounds(core: str, mark: str) -> None:
    ours = parse(core + mark)
    lower, upper = _oracle_bounds(core + mark)
    assert ours.earliest is not None and ours.latest is not None
    assert lower is not None and upper is not None
    assert ours.earliest <= lower and upper <= ours.latest
    if mark == "?":
        assert (ours.earliest, ours.latest) == (lower, upper)
