"""`chronicle log` and `chronicle show`: reading the log back."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from chronicle import catalog
from chronicle.cli import main
from chronicle.cli.common import RAW_CSV, format_option, log_filter, log_filter_options, store_from
from chronicle.export import EVENT_COLUMNS, flat
from chronicle.render import dumps, ndjson_lines, render_rows

LOG_COLUMNS = ["seq", "when", "type", "subject", "certainty", "event_id"]


@main.command()
@log_filter_options
@click.option("--follow", is_flag=True, help="Keep printing new events as they are appended (NDJSON; Ctrl-C stops).")
@click.option("--poll", type=click.FloatRange(min=0.01), default=0.5, show_default=True, metavar="SECONDS",
              help="With --follow: how often to look for new events.")
@format_option(("table", "json", "csv", "ndjson"))
@RAW_CSV
@click.pass_context
def log(ctx: click.Context, types: tuple[str, ...], subjects: tuple[str, ...], documents: tuple[str, ...],
        since: str | None, until: str | None, after: int | None, limit: int | None, follow: bool, poll: float,
        fmt: str, raw_csv: bool) -> None:
    """Print stored events in sequence order.

    With --follow, print every event after --after, then each new one as it
    commits, one NDJSON line each, without ever skipping one: a pipeline can
    subscribe to the log and resume from the last seq it saw.

    \b
    Example:
        chronicle log --type model_release --since 2025-01 --until 2025-06
        chronicle log --after 120 --format ndjson
        chronicle log --after 120 --follow --format ndjson | my-pipeline
    """
    if follow and fmt != "ndjson":
        raise click.UsageError("--follow prints NDJSON: add --format ndjson")
    if follow and (types or subjects or documents or since or until or limit):
        raise click.UsageError("--follow takes only --after (filter the stream downstream)")
    store = store_from(ctx)
    if follow:
        # Ctrl-C (or SIGTERM) is how a follower stops. The signal only raises a
        # flag, so the stop never lands in the middle of a read or a line: the
        # follower finishes what it has read, prints it whole and ends.
        stopping = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for line in ndjson_lines(e.to_dict() for e in store.follow(after or 0, poll_interval=poll,
                                                                         stop=stopping.is_set)):
                click.echo(line, nl=False)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return
    flt = log_filter(types, subjects, documents, since, until, after, limit)
    events = store.read(flt)
    if fmt == "ndjson":
        for line in ndjson_lines(e.to_dict() for e in events):
            click.echo(line, nl=False)
    elif fmt == "json":
        items = [e.to_dict() for e in events]
        click.echo(dumps({"schema": "chronicle.log/1", "basis": {"store_seq": store.head()}, "events": items}))
    else:
        rows = [flat(e) for e in events]
        click.echo(render_rows(rows, LOG_COLUMNS if fmt == "table" else EVENT_COLUMNS, fmt, raw_csv=raw_csv), nl=False)


@main.command()
@click.argument("event_id")
@format_option(("table", "json"))
@click.pass_context
def show(ctx: click.Context, event_id: str, fmt: str) -> None:
    """Show one event with its evidence and its document.

    \b
    Example:
        chronicle show deepseek-china-ai-2025:r1-release
    """
    store = store_from(ctx)
    record = catalog.event(store, event_id)
    if fmt == "json":
        click.echo(dumps(record))
        return
    event = store.get(event_id)
    document = store.document(event.document)
    row = flat(event)
    when, reading = event.when, record["reading"]
    pairs = [
        ("event", event.event_id), ("seq", event.seq), ("type", event.type), ("subject", event.subject),
        ("entities", ", ".join(event.entities)), ("when", f"{when.text or '(context)'} → {when.edtf}"),
        ("bounds", f"{row['earliest'] or '..'} – {row['latest'] or '..'} ({when.precision.value})"),
        ("reading", f"{reading['earliest'] or '..'} – {reading['latest'] or '..'}: {reading['reason']}"),
        ("certainty", event.certainty), ("stance", event.stance), ("note", event.note or ""),
        *[(f"fact {k}", dumps(v, indent=None) if isinstance(v, dict) else v) for k, v in sorted(event.facts.items())],
        ("quote", event.evidence.quote),
        ("offsets", f"{event.evidence.start}–{event.evidence.end}" if event.evidence.start is not None else ""),
        ("document", document.id), ("title", document.title), ("publisher", document.publisher),
        ("published", document.dated.edtf + ("" if document.published else " (undated: window)")),
        ("url", document.url), ("recorded", event.recorded_at),
        *[_correction_line(c, event_id) for c in record["corrections"]],
    ]
    click.echo(render_rows([{"field": k, "value": v} for k, v in pairs], ["field", "value"], "table"), nl=False)


def _correction_line(correction: dict[str, Any], event_id: str) -> tuple[str, str]:
    """A correction of the event shown, as a field and its value: what it did, the other claim, why, and which event."""
    kind, said = correction["type"], f"{correction['reason']} ({correction['event']}, seq {correction['seq']})"
    if kind == "claim_ranked":
        return f"ranked {correction['rank_value']}", said
    if kind == "event_retracted":
        return "retracted", said
    if correction.get("replacement") == event_id:
        return "replaces", f"{correction['target']}: {said}"
    return "superseded by", f"{correction['replacement']}: {said}"
