"""The OpenAPI 3 description of ``chronicle serve``, served at ``/openapi.json``.

Written out by hand, route by route, so that it says what each parameter
means; a test checks that it lists every route the app serves and every
parameter each route accepts.
"""

from __future__ import annotations

from typing import Any

from chronicle import __version__

_STR, _INT, _BOOL = {"type": "string"}, {"type": "integer", "minimum": 0}, {"type": "boolean"}


def _p(name: str, where: str, schema: dict[str, Any], description: str, *, required: bool = False,
       repeat: bool = False) -> dict[str, Any]:
    if repeat:
        schema = {"type": "array", "items": schema}
    param: dict[str, Any] = {"name": name, "in": where, "schema": schema, "description": description,
                             "required": required or where == "path"}
    if repeat:
        param.update(style="form", explode=True)
    return param


_PROJECTION = _p("projection", "query", {"type": "string", "enum": ["models", "orgs", "metrics", "talent", "timeline"]},
                 "Only this projection (repeatable). Default: models, orgs, metrics, talent.", repeat=True)
_KNOWN_AT = _p("known_at", "query", _STR, "Only evidence published by the end of this date (knowledge time).")
_AT_SEQ = _p("at_seq", "query", _INT, "The store as it was at this sequence number (record time).")
_COUNTRY = _p("country", "query", _STR, "Only models and orgs of this country (ISO code, e.g. CN).")
_OPEN = _p("open", "query", _BOOL, "Only open-weight / open-source models (by the sources' words or licences).")
_CERTAIN = _p("certain", "query", _BOOL, "Hide rows that only possibly happened or are only expected.")

#: path -> (summary, schema name of the answer, parameters)
ROUTES: dict[str, tuple[str, str, list[dict[str, Any]]]] = {
    "/health": ("The store answers: its head and schema revision.", "health", []),
    "/openapi.json": ("This description.", "", []),
    "/as-of/{when}": ("What was true at the end of WHEN (2025, 2025-06, 2025-Q2, 2025-06-15, today).", "as-of", [
        _p("when", "path", _STR, "The cutoff: the end of this period."),
        _PROJECTION, _KNOWN_AT, _AT_SEQ, _COUNTRY, _OPEN, _CERTAIN]),
    "/diff": ("What changed between the answers at a and b, or in knowledge between two dates.", "diff", [
        _p("a", "query", _STR, "The first cutoff (with known_between: the cutoff, default today)."),
        _p("b", "query", _STR, "The second cutoff."),
        _p("known_between", "query", _STR, "Two knowledge dates K1, K2 (repeat the parameter or join them with a comma).",
           repeat=True),
        _PROJECTION, _KNOWN_AT, _AT_SEQ, _COUNTRY, _OPEN, _CERTAIN]),
    "/events": ("A page of events after a sequence number; ask again with after=next_after to follow the log.",
                "events-page", [
        _p("after", "query", _INT, "Only events after this sequence number (default 0)."),
        _p("limit", "query", {"type": "integer", "minimum": 1, "maximum": 1000}, "At most this many events (default 100)."),
    ]),
    "/events/{event_id}": ("One event with its document.", "event", [
        _p("event_id", "path", _STR, "The event's id (document id:local id).")]),
    "/projections": ("The projections: name, version, title, columns.", "projections", []),
    "/projections/{name}": ("One projection's rows at a date.", "export-projection", [
        _p("name", "path", {"type": "string", "enum": ["models", "orgs", "metrics", "talent", "timeline"]},
           "The projection."),
        _p("as_of", "query", _STR, "The cutoff (default today)."), _KNOWN_AT, _AT_SEQ]),
    "/conflicts": ("Claims on the same subject and fact that disagree, side by side.", "conflicts", [
        _p("as_of", "query", _STR, "The cutoff (default today)."), _KNOWN_AT, _AT_SEQ,
        _p("all", "query", _BOOL, "Also conflicts a ranking has settled.")]),
    "/documents": ("The documents in the store, with their events counted.", "sources", []),
    "/entities": ("The entities the store knows.", "entities", [
        _p("kind", "query", _STR, "Only entities of this kind (org, model, person, ...).")]),
}


def _operation(path: str, summary: str, schema: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    ok: dict[str, Any] = {"description": f"A chronicle.{schema}/1 document." if schema else "OpenAPI 3 JSON.",
                          "content": {"application/json": {"schema": {"type": "object"}}}}
    if schema:
        ok["headers"] = {"ETag": {"description": "Derived from the answer's basis, the route and the parameters.",
                                  "schema": _STR}}
    error = {"description": "A chronicle.error/1 document naming the parameter.",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    responses: dict[str, Any] = {"200": ok}
    if schema:
        responses["304"] = {"description": "Not modified: the If-None-Match ETag still holds."}
        responses["400"] = error
        responses["404"] = error
    op_id = path.strip("/").replace("/", "_").replace("{", "").replace("}", "").replace("-", "_").replace(".", "_")
    return {"get": {"operationId": op_id or "root", "summary": summary, "parameters": params, "responses": responses}}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document (no basis: it describes the API, not the store)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "chronicle", "version": __version__,
                 "description": "Read-only JSON over chronicle's answers. Every answer names its schema "
                                "(docs/json.md) and carries its basis; ETags are derived from the basis."},
        "paths": {path: _operation(path, *spec) for path, spec in ROUTES.items()},
        "components": {"schemas": {"Error": {
            "type": "object", "required": ["schema", "error"],
            "properties": {"schema": {"const": "chronicle.error/1"}, "error": {
                "type": "object", "required": ["parameter", "message"],
                "properties": {"parameter": {"type": ["string", "null"]}, "message": {"type": "string"},
                               "hint": {"type": ["string", "null"]}}}}}}},
    }
