"""How fast chronicle reads dates, beside the `edtf` package on the same strings.

Parses 100,000 mixed strings (ISO/EDTF forms and English phrases) and prints
parses per second for each kind. The `edtf` package is timed on a sample of
the ISO/EDTF strings only (it reads no English and is far slower), and the
sample size is printed with its figure.

    .venv/bin/python benchmarks/bench_fuzzydate.py
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import date

from chronicle.fuzzydate import parse

TOTAL = 100_000
PHRASE_SHARE = 0.2
EDTF_SAMPLE = 2_000
SUBYEAR_CODES = [21, 22, 23, 24, *range(33, 42)]
MONTHS = ["January", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "October", "Nov", "December"]


def edtf_string(rng: random.Random) -> str:
    year = rng.randint(1950, 2049)
    month = rng.randint(1, 12)
    kind = rng.random()
    if kind < 0.15:
        core = f"{year}"
    elif kind < 0.4:
        core = f"{year}-{month:02d}"
    elif kind < 0.7:
        core = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
    elif kind < 0.85:
        core = f"{year}-{rng.choice(SUBYEAR_CODES)}"
    else:
        start = f"{year}-{month:02d}"
        end = f"{year + rng.randint(0, 3)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return rng.choice([f"{start}/{end}", f"../{end}", f"{start}/.."]) if end >= start else f"../{end}"
    return core + rng.choice(["", "", "", "~", "?"])


def phrase(rng: random.Random) -> str:
    year = rng.randint(1950, 2049)
    month = rng.choice(MONTHS)
    return rng.choice(
        [
            f"{month} {rng.randint(1, 28)}, {year}",
            f"{rng.randint(1, 28)} {month} {year}",
            f"{month} {year}",
            f"Q{rng.randint(1, 4)} {year}",
            f"H{rng.randint(1, 2)} {year}",
            f"{rng.choice(['early ', 'mid-', 'late '])}{year}",
            f"{rng.choice(['early', 'mid', 'late'])} {month} {year}",
            f"the {rng.choice(['first', 'second', 'third', 'fourth'])} quarter of {year}",
            f"{rng.choice(['summer', 'winter', 'spring', 'autumn'])} {year}",
            f"by {month} {year}",
            f"since {month} {year}",
            f"around {month} {year}",
            f"within a month of {month} {year}",
        ]
    )


def rate(fn: Callable[[str], object], texts: Sequence[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return len(texts) / (time.perf_counter() - start)


def edtf_package_rate(texts: Sequence[str]) -> tuple[float, int]:
    """The edtf package's parses/s, counting the strings it refuses (it reads
    no qualified sub-year codes) at the cost of a refusal."""
    import edtf

    refused = 0
    start = time.perf_counter()
    for text in texts:
        try:
            edtf.parse_edtf(text)
        except edtf.EDTFParseException:
            refused += 1
    return len(texts) / (time.perf_counter() - start), refused


def main() -> None:
    rng = random.Random(2025)
    n_phrases = int(TOTAL * PHRASE_SHARE)
    edtf_texts = [edtf_string(rng) for _ in range(TOTAL - n_phrases)]
    phrase_texts = [phrase(rng) for _ in range(n_phrases)]
    mixed = edtf_texts + phrase_texts
    rng.shuffle(mixed)

    # A fresh process: phrases read without a publication date are cached, so
    # the mixed run pays for every first reading and reuses repeats.
    mixed_rate = rate(parse, mixed)
    edtf_rate = rate(parse, edtf_texts)
    # With a publication date the phrase cache is bypassed: every reading is cold.
    published = date(2026, 1, 21)
    phrase_rate = rate(lambda text: parse(text, published=published), phrase_texts)
    sample = edtf_texts[:EDTF_SAMPLE]
    package_rate, refused = edtf_package_rate(sample)
    ours_on_sample = rate(parse, sample)

    print(f"chronicle    {len(mixed):>7,} mixed strings       {mixed_rate:>10,.0f} parses/s")
    print(f"chronicle    {len(edtf_texts):>7,} ISO/EDTF strings    {edtf_rate:>10,.0f} parses/s")
    print(f"chronicle    {len(phrase_texts):>7,} English phrases     {phrase_rate:>10,.0f} parses/s (uncached)")
    print(f"chronicle    {len(sample):>7,} ISO/EDTF sample     {ours_on_sample:>10,.0f} parses/s")
    print(
        f"edtf package {len(sample):>7,} ISO/EDTF sample     {package_rate:>10,.0f} parses/s"
        f" (the first {EDTF_SAMPLE:,} ISO/EDTF strings; it refused {refused})"
    )


if __name__ == "__main__":
    main()
