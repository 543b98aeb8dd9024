"""`chronicle extract`: a draft events file from a plain-text article."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from chronicle.cli import main
from chronicle.cli.common import format_option
from chronicle.errors import ChronicleError
from chronicle.render import dumps, render_rows

EVALUATION_COLUMNS = ["document", "drafts", "curated", "curated_dated", "matched", "precision",
                      "recall_dated", "recall_all", "date_accuracy"]


def _entities_path(given: Path | None) -> Path:
    if given is not None:
        return given
    default = Path("events") / "entities.yaml"
    if default.is_file():
        return default
    raise ChronicleError("no entities file: events/entities.yaml is not in this folder",
                         "give the corpus's entities with --entities PATH")


def _seeds_dir(given: Path | None) -> Path:
    if given is not None:
        return given
    for raw in os.environ.get("CHRONICLE_DOCUMENTS", "").split(os.pathsep):
        if raw and Path(raw).is_dir():
            return Path(raw)
    default = Path.cwd().parent / "shared" / "seeds"
    if default.is_dir():
        return default
    raise ChronicleError("the seed documents' texts were not found", "give their folder with --documents DIR")


@main.command("extract")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--published", metavar="DATE", help="Publication date (default: the front matter or a dateline).")
@click.option("--title", metavar="T", help="Title (default: the front matter, else the first line).")
@click.option("--url", metavar="U", help="The document's address.")
@click.option("--publisher", metavar="P", help="The publisher or site, as the text states it.")
@click.option("--doc-id", metavar="ID", help="Document id (default: a slug of the title).")
@click.option("--entities", "entities_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Known entities (default: events/entities.yaml).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the draft here (proposed entities go to OUT.entities.yaml); default: stdout.")
@click.option("--evaluate", "run_evaluation", is_flag=True,
              help="Instead: extract every curated document and score the drafts against events/.")
@click.option("--events", "events_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("events"),
              show_default=True, help="With --evaluate: the curated events folder.")
@click.option("--documents", "documents_dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --evaluate: the folder of the documents' texts.")
@format_option(("table", "json"))
def extract(file: Path | None, published: str | None, title: str | None, url: str | None, publisher: str | None,
            doc_id: str | None, entities_file: Path | None, output: Path | None, run_evaluation: bool,
            events_dir: Path, documents_dir: Path | None, fmt: str) -> None:
    """Draft an events file from the plain-text article FILE, offline.

    Every drafted event is marked `status: draft` with a confidence: review
    it, then ingest. Names not in entities.yaml that look like organisations,
    models or people are proposed in OUT.entities.yaml. With --evaluate,
    score the extractor on the curated documents instead.

    \b
    Example:
        chronicle extract article.txt --published 2025-12-15 -o events/article.yaml
        chronicle ingest --dry-run events/article.yaml events/article.entities.yaml events/entities.yaml
        chronicle extract --evaluate --documents ../shared/seeds
    """
    # The extractor (its patterns compiled on import) is loaded only by this command.
    from chronicle.extract.draft import Options, extract_file
    from chronicle.extract.entities import load_entities
    from chronicle.extract.evaluate import evaluate
    from chronicle.extract.writer import events_yaml, save

    if run_evaluation:
        scores = evaluate(events_dir, _seeds_dir(documents_dir), date.today())
        rows = [s.to_dict() for s in scores]
        if fmt == "json":
            click.echo(dumps({"schema": "chronicle.extract-evaluation/1", "documents": rows}))
        else:
            click.echo(render_rows(rows, EVALUATION_COLUMNS, "table").rstrip("\n"))
        return
    if file is None:
        raise ChronicleError("no FILE given", "give the article to read, e.g. chronicle extract article.txt")
    options = Options(published=published, title=title, url=url, publisher=publisher, doc_id=doc_id)
    draft = extract_file(file, load_entities(_entities_path(entities_file)), options)
    if output is None:
        click.echo(events_yaml(draft, None), nl=False)
        return
    written = save(draft, output)
    click.echo(f"drafted {len(draft.events)} event(s) from {file.name}: {', '.join(str(p) for p in written)}", err=True)
