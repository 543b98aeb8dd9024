"""A seeded generator of realistic synthetic corpora, in chronicle's own file format.

It writes ``entities.yaml`` and one events file per document, the way an
analyst's repository looks, only larger:

- entities in the tens of thousands at 1M events (orgs, models, people,
  products, chips, countries, agencies), models and people tied to orgs;
- event types in roughly the seed corpus's proportions (half "other",
  then releases, benchmark claims, usage shares, ...), each with the facts
  its type needs;
- date precisions in roughly the seed corpus's proportions: most events
  carry no date of their own (they take the document's), then years,
  months, thirds ("mid-2025"), quarters, days, open bounds and ranges;
- late arrivals: one document in eight is an archive (a database import, a
  retrospective) published late about events years older than what the
  store already holds when it arrives.

Files are named in publication order, so ``chronicle ingest DIR`` appends
them in that order. The same size and seed always give the same bytes.

    python benchmarks/generate.py --size 100k [--seed 7] [--out DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "results" / "corpora"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
EVENTS_PER_DOCUMENT = 100
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2026, 6, 30)
ARCHIVE_SHARE = 0.125
#: The stances other than "asserted" that generated claims take.
HEDGES = ("reportedly", "claimed", "anticipated", "delayed", "denied")

#: Event types and weights, close to the seed corpus (182 events).
TYPES = (
    ("other", 84), ("model_release", 23), ("benchmark_claim", 13), ("usage_share", 11),
    ("research_output", 6), ("price", 5), ("product_launch", 5), ("chip_hardware", 5), ("policy", 4),
    ("ipo", 4), ("license", 3), ("market_reaction", 3), ("app_ranking", 2), ("downloads", 2),
    ("partnership", 2), ("training_cost", 2), ("talent_move", 2), ("model_announcement", 1), ("funding", 1),
    ("valuation", 1), ("revenue", 1), ("infrastructure", 1), ("user_count", 1),
)
#: Date forms and weights, close to the seed corpus: most claims are dated only by their document.
DATES = (("context", 121), ("year", 16), ("month", 12), ("third", 12), ("bound", 10), ("day", 4),
         ("quarter", 3), ("range", 4))
MODEL_TYPES = {"model_release", "model_announcement", "benchmark_claim", "license", "downloads",
               "training_cost", "price", "research_output"}
ORG_TYPES = {"funding", "valuation", "revenue", "ipo", "user_count", "market_reaction", "infrastructure",
             "partnership", "usage_share", "app_ranking"}
KINDS = (("model", 40), ("org", 15), ("person", 20), ("product", 12), ("chip", 6), ("agency", 4),
         ("model-family", 3))
COUNTRIES = ("CN", "CN", "CN", "US", "US", "FR", "GB", "JP", "KR", "AE")
OPENNESS = ("open-weight", "open-source", "closed", "open weights")
LICENSES = ("MIT", "Apache-2.0", "Llama", "proprietary", "Qwen License")


@dataclass(frozen=True)
class Plan:
    events: int
    entities: int
    documents: int
    seed: int


def plan(events: int, seed: int) -> Plan:
    # About 50 events per entity, at least a thousand, and 20,000 at 1M events.
    entities = max(1_000, min(20_000, events // 50))
    return Plan(events, entities, -(-events // EVENTS_PER_DOCUMENT), seed)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> list[str]:
    names = [n for n, _ in table]
    weights = [w for _, w in table]
    return rng.choices(names, weights, k=1)


class Corpus:
    def __init__(self, p: Plan) -> None:
        self.p = p
        self.rng = random.Random(p.seed)
        self.by_kind: dict[str, list[str]] = {}
        self.lines: list[str] = ["entities:"]
        rng = self.rng
        orgs: list[str] = []
        for n in range(p.entities):
            kind = _weighted(rng, KINDS)[0] if n >= 20 else "org"
            slug = f"{kind.replace('-', '')}-{n:05d}"
            fields = [f"slug: {slug}", f"kind: {kind}", f"name: {kind.title()} {n}"]
            if kind in ("org", "agency"):
                fields.append(f"country: {rng.choice(COUNTRIES)}")
                if kind == "org":
                    orgs.append(slug)
            elif kind in ("model", "model-family", "product", "chip") and orgs:
                fields.append(f"org: {rng.choice(orgs)}")
            self.lines.append("  - {" + ", ".join(fields) + ", aliases: []}")
            self.by_kind.setdefault(kind, []).append(slug)
        self.all = [s for kind in self.by_kind.values() for s in kind]
        #: A model is released once: the first report fixes the day, later ones repeat it.
        self.released: dict[str, date] = {}

    def release_day(self, model: str, around: date) -> date:
        rng = self.rng
        day = self.released.setdefault(model, max(FIRST_DAY, around - timedelta(days=rng.randrange(0, 90))))
        # A few sources get it wrong by a month or more: real disagreements.
        if rng.random() < 0.05:
            return min(max(day + timedelta(days=rng.choice((-1, 1)) * rng.randrange(31, 150)), FIRST_DAY),
                       date(2027, 12, 31))
        return day

    def pick(self, kind: str) -> str:
        # Popularity is skewed: a few subjects draw many claims (rank ~ Pareto).
        pool = self.by_kind[kind]
        return pool[min(len(pool) - 1, int(self.rng.paretovariate(1.2)) - 1 + self.rng.randrange(len(pool)) // 4)]

    def subject(self, kind_of_event: str) -> str:
        rng = self.rng
        if kind_of_event in MODEL_TYPES:
            return self.pick("model")
        if kind_of_event in ORG_TYPES:
            return self.pick("org")
        if kind_of_event == "talent_move":
            return self.pick("person")
        if kind_of_event in ("chip_hardware",):
            return self.pick("chip")
        if kind_of_event == "product_launch":
            return self.pick("product")
        if kind_of_event == "policy":
            return self.pick("agency")
        return self.pick(rng.choice(("model", "org", "org", "person", "product")))


def _when(rng: random.Random, around: date, forecast: bool, exact: bool = False) -> str | None:
    """A date form in the seed corpus's proportions, near ``around`` (on it, when ``exact``)."""
    form = _weighted(rng, DATES)[0]
    if form == "context":
        return None
    shift = timedelta(days=0 if exact else rng.randrange(0, 400) if forecast else -rng.randrange(0, 500))
    day = min(max(around + shift, FIRST_DAY), date(2027, 12, 31))
    y, m = day.year, day.month
    if form == "year":
        return f'{{edtf: "{y}"}}'
    if form == "month":
        return f'{{edtf: "{y}-{m:02d}"}}'
    if form == "third":
        return f'{{text: "{("early", "mid", "late")[(m - 1) // 4]} {y}"}}'
    if form == "quarter":
        return f'{{text: "Q{(m - 1) // 3 + 1} {y}"}}'
    if form == "day":
        return f'{{edtf: "{day.isoformat()}"}}'
    if form == "bound":
        return f'{{edtf: "../{y}-{m:02d}"}}' if rng.random() < 0.7 else f'{{edtf: "{y}-{m:02d}/.."}}'
    end = day + timedelta(days=rng.randrange(20, 120))
    return f'{{edtf: "{y}-{m:02d}/{end.year}-{end.month:02d}"}}'


def _facts(c: Corpus, kind: str) -> list[str]:
    rng = c.rng
    if kind in ("model_release", "model_announcement"):
        out = [f"openness: {rng.choice(OPENNESS)}"]
        if rng.random() < 0.5:
            out.append(f"parameters: {{value: {rng.choice((7, 14, 32, 70, 235, 671))}000000000, unit: params}}")
        if rng.random() < 0.2:
            out.append(f"license: {rng.choice(LICENSES)}")
        return out
    if kind == "license":
        return [f"license: {rng.choice(LICENSES)}"]
    if kind == "benchmark_claim":
        return [f"matched_model: [{c.pick('model')}]", f"benchmark: {rng.choice(('MMLU', 'GPQA', 'SWE-bench'))}"]
    if kind == "usage_share":
        return [f"share: {{value: {rng.randrange(1, 60)}, unit: percent}}",
                f"platform: {rng.choice(('OpenRouter', 'Hugging Face'))}"]
    if kind == "downloads":
        return [f"downloads: {{value: {rng.randrange(1, 900)}000000, unit: count, op: '>'}}"]
    if kind == "price":
        return [f"price_input: {{value: {rng.randrange(1, 300) / 100}, unit: USD/Mtok}}"]
    if kind == "training_cost":
        return [f"training_cost: {{value: {rng.randrange(1, 100)}000000, unit: USD, op: '~'}}"]
    if kind == "funding":
        return [f"amount: {{value: {rng.randrange(1, 50)}00000000, unit: USD}}"]
    if kind == "valuation":
        return [f"valuation: {{value: {rng.randrange(1, 90)}000000000, unit: USD}}"]
    if kind == "revenue":
        return [f"revenue: {{value: {rng.randrange(1, 90)}0000000, unit: CNY}}"]
    if kind == "user_count":
        return [f"users: {{value: {rng.randrange(1, 500)}000000, unit: count}}"]
    if kind == "app_ranking":
        return [f"rank: {{value: {rng.randrange(1, 20)}, unit: rank}}", "market: US App Store"]
    if kind == "ipo":
        return [f"exchange: {rng.choice(('HKEX', 'STAR Market', 'NASDAQ'))}"]
    if kind == "talent_move":
        return [f"from_org: {c.pick('org')}", f"to_org: {c.pick('org')}", "role: researcher"]
    return []


def _document(c: Corpus, n: int) -> tuple[str, str]:
    rng = c.rng
    span = (LAST_DAY - FIRST_DAY).days
    # Publication dates rise with the file number (the order of ingest) ...
    published = FIRST_DAY + timedelta(days=min(span, int(span * (n + rng.random()) / c.p.documents)))
    around = published
    archive = n > c.p.documents // 10 and rng.random() < ARCHIVE_SHARE
    if archive:
        # ... but an archive, published now, is about events long before what is stored.
        around = FIRST_DAY + timedelta(days=rng.randrange(0, max(1, (published - FIRST_DAY).days // 2)))
    doc_id = f"doc-{n:06d}"
    kind = "database" if archive else rng.choice(("news", "news", "news", "primary"))
    out = [
        "document:",
        f"  id: {doc_id}",
        f"  title: {'Archive' if archive else 'Report'} {n}",
        f"  publisher: Publisher {n % 97}",
        f"  url: https://example.org/{doc_id}",
        f"  published: {published.isoformat()}",
        f"  kind: {kind}",
        "events:",
    ]
    count = min(EVENTS_PER_DOCUMENT, c.p.events - n * EVENTS_PER_DOCUMENT)
    for k in range(count):
        kind_of_event = _weighted(rng, TYPES)[0]
        certainty = "reported" if rng.random() < 0.8 else rng.choice(("forecast", "opinion"))
        if archive and certainty == "forecast":
            certainty = "reported"
        subject = c.subject(kind_of_event)
        out += [f"  - id: e{k:03d}", f"    type: {kind_of_event}", f"    subject: {subject}"]
        if rng.random() < 0.3:
            out.append(f"    entities: [{rng.choice(c.all)}]")
        if kind_of_event in ("model_release", "model_announcement"):
            when = _when(rng, c.release_day(subject, around), certainty == "forecast", exact=True)
        else:
            when = _when(rng, around, certainty == "forecast")
        if when is None and archive:
            # An archive's claims carry their own (old) dates.
            when = f'{{edtf: "{around.year}-{around.month:02d}"}}'
        if when is not None:
            out.append(f"    when: {when}")
        if certainty != "reported":
            out.append(f"    certainty: {certainty}")
        # One claim in eleven is hedged or negated, by position (the random stream stays as it was).
        position = n * EVENTS_PER_DOCUMENT + k
        if position % 11 == 0:
            out.append(f"    stance: {HEDGES[position // 11 % len(HEDGES)]}")
        facts = _facts(c, kind_of_event)
        if facts:
            out.append("    facts:")
            out += [f"      {f}" for f in facts]
        out.append(f'    quote: "claim {k} of document {n} about {subject}"')
    return doc_id, "\n".join(out) + "\n"


def generate(size: str | int, seed: int = 7, out: Path | None = None) -> Path:
    """Write the corpus (once; later calls reuse it) and return its folder."""
    events = SIZES[size] if isinstance(size, str) else size
    p = plan(events, seed)
    folder = out or CACHE / f"{events}-seed{seed}"
    done = folder / ".complete"
    if done.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "events").mkdir(parents=True)
    c = Corpus(p)
    (folder / "events" / "entities.yaml").write_text("\n".join(c.lines) + "\n", encoding="utf-8")
    for n in range(p.documents):
        doc_id, text = _document(c, n)
        (folder / "events" / f"{doc_id}.yaml").write_text(text, encoding="utf-8")
    done.write_text(f"{events} events, {p.entities} entities, {p.documents} documents, seed {seed}\n")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="10k", help="1k, 10k, 100k, 1m or a number of events")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    size = args.size if args.size in SIZES else int(args.size)
    print(generate(size, args.seed, args.out))


if __name__ == "__main__":
    main()
