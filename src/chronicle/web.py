"""Read-only HTTP JSON over the queries: ``chronicle serve``.

Each route parses its parameters, calls one library function and returns the
document the CLI prints with ``--format json``. The store is opened once, at
start-up; no request migrates or writes. Every answer carries an ETag derived
from its basis (and the route and parameters), so an unchanged store answers a
repeated question with 304 Not Modified.
"""

from __future__ import annotations

import errno
import hashlib
import re
import socket
from collections.abc import Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from chronicle import __version__, catalog, database, queries
from chronicle import export as exporting
from chronicle.errors import ChronicleError, ConfigError, NotFoundError
from chronicle.projections import REGISTRY
from chronicle.render import dumps
from chronicle.store import Store
from chronicle.tables import MAX_SEQ

JSON = "application/json"
TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no")


class BadParameter(Exception):
    """A request parameter chronicle cannot use: answered 400, naming the parameter."""

    def __init__(self, parameter: str | None, message: str, hint: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.parameter, self.message, self.hint, self.status = parameter, message, hint, status


# Which parameter a query error is about, from the option name the library puts first.
_ERROR_PARAMETERS = {"WHEN": "when", "A": "a", "B": "b", "--known-at": "known_at",
                     "--known-between": "known_between", "--at-seq": "at_seq"}


def _about(exc: ChronicleError) -> str | None:
    head = exc.message.split(":", 1)[0].split(" ", 1)[0]
    return _ERROR_PARAMETERS.get(head)


def _error(parameter: str | None, message: str, hint: str | None, status: int) -> Response:
    body = {"schema": "chronicle.error/1", "error": {"parameter": parameter, "message": message, "hint": hint}}
    return Response(dumps(body) + "\n", status_code=status, media_type=JSON)


def _etag(document: dict[str, Any], request: Request) -> str:
    key = {"basis": document.get("basis"), "path": request.url.path,
           "query": sorted(request.query_params.multi_items())}
    return '"' + hashlib.sha256(dumps(key, indent=None).encode()).hexdigest()[:32] + '"'


# An entity tag in a list: an optional weakness mark, then the opaque tag (commas may be inside it).
_ENTITY_TAG = re.compile(r'(?:W/)?("[^"]*")')


def none_match(header: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag``: ``*``, or a list of tags compared weakly.

    RFC 9110 (13.1.2) has If-None-Match use the weak comparison: ``W/"x"``
    and ``"x"`` match, since a cache may hold either for the same answer.
    """
    if header is None:
        return False
    if header.strip() == "*":
        return True
    return etag.removeprefix("W/") in _ENTITY_TAG.findall(header)


def _answer(request: Request, document: dict[str, Any]) -> Response:
    etag = _etag(document, request)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if none_match(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(dumps(document) + "\n", media_type=JSON, headers=headers)


# -- parameters ----------------------------------------------------------------------------------

#: The parameters a request may give more than once (``style: form, explode: true`` in the OpenAPI description).
REPEATABLE = frozenset({"projection", "known_between"})


def _known(request: Request, allowed: Sequence[str]) -> None:
    params = request.query_params
    for name in params:
        if name not in allowed:
            raise BadParameter(name, f"unknown parameter {name!r}",
                               f"this route takes {', '.join(allowed) if allowed else 'no parameters'}")
        # Starlette keeps the last of a repeated parameter: one that does not
        # repeat is refused, rather than answered for a value chosen silently.
        given = params.getlist(name)
        if len(given) > 1 and name not in REPEATABLE:
            raise BadParameter(name, f"{name} is given {len(given)} times", f"give {name} once")


def _int(request: Request, name: str, default: int | None, low: int = 0, high: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a whole number, not {raw!r}") from None
    if value < low or (high is not None and value > high):
        raise BadParameter(name, f"{name} must be between {low} and {high}" if high else f"{name} must be at least {low}")
    return value


def _bool(request: Request, name: str) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw.lower() in FALSE:
        return False
    if raw == "" or raw.lower() in TRUE:
        return True
    raise BadParameter(name, f"{name} must be true or false, not {raw!r}")


def _projections(request: Request) -> list[str]:
    names = request.query_params.getlist("projection")
    for name in names:
        if name not in REGISTRY:
            raise BadParameter("projection", f"no projection {name!r}", f"choose from {', '.join(REGISTRY)}")
    return names


def _text(request: Request, name: str, default: str | None = None) -> str | None:
    raw = request.query_params.get(name)
    if raw is not None and not raw.strip():
        raise BadParameter(name, f"{name} is empty")
    return raw if raw is not None else default


def _filters(request: Request) -> queries.Filters:
    return queries.Filters(country=_text(request, "country"), open_only=_bool(request, "open"),
                           certain=_bool(request, "certain"))


# -- routes ---------------------------------------------------------------------------------------

Handler = Callable[[Store, Request], dict[str, Any]]

AS_OF_PARAMS = ("projection", "known_at", "at_seq", "country", "open", "certain")


def health(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ())
    return {"schema": "chronicle.health/1", "basis": catalog.basis(store), "ok": True,
            "revision": database.current_revision(store.engine), "version": __version__}


def as_of(store: Store, request: Request) -> dict[str, Any]:
    _known(request, AS_OF_PARAMS)
    return queries.as_of(store, request.path_params["when"], projections=_projections(request),
                         known_at=_text(request, "known_at"), at_seq=_int(request, "at_seq", None),
                         filters=_filters(request))


def diff(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ("a", "b", "known_between", *AS_OF_PARAMS))
    between = request.query_params.getlist("known_between")
    if len(between) == 1:
        between = between[0].split(",")
    if between and len(between) != 2:
        raise BadParameter("known_between", "known_between takes two dates, K1 and K2",
                           "known_between=2025-06&known_between=2026-01 or known_between=2025-06,2026-01")
    a, b = _text(request, "a"), _text(request, "b")
    if between and b is not None:
        raise BadParameter("b", "with known_between give at most one date (a, the cutoff)")
    if not between and (a is None or b is None):
        raise BadParameter("a" if a is None else "b", "diff needs two dates a and b", "e.g. /diff?a=2025-01&b=2025-12")
    return queries.diff(store, a, b, projections=_projections(request), known_at=_text(request, "known_at"),
                        known_between=(between[0], between[1]) if between else None,
                        at_seq=_int(request, "at_seq", None),
                        filters=queries.Filters(_text(request, "country"), _bool(request, "open"), False))


def events(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ("after", "limit"))
    after = _int(request, "after", 0, high=MAX_SEQ)
    limit = _int(request, "limit", 100, low=1, high=catalog.MAX_PAGE)
    assert after is not None and limit is not None
    return catalog.events_page(store, after, limit)


def projections(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ())
    return {"schema": "chronicle.projections/1", "basis": catalog.basis(store),
            "projections": [{"name": p.name, "version": p.version, "title": p.title, "columns": list(p.columns)}
                            for p in REGISTRY.values()]}


def projection(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ("as_of", "known_at", "at_seq"))
    name = request.path_params["name"]
    if name not in REGISTRY:
        raise BadParameter("name", f"no projection {name!r}", f"choose from {', '.join(REGISTRY)}", status=404)
    return exporting.projection(store, name, _text(request, "as_of", "today") or "today",
                                known_at=_text(request, "known_at"), at_seq=_int(request, "at_seq", None))


def conflicts(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ("as_of", "known_at", "at_seq", "all"))
    return queries.conflicts(store, when=_text(request, "as_of", "today") or "today",
                             known_at=_text(request, "known_at"), at_seq=_int(request, "at_seq", None),
                             include_settled=_bool(request, "all"))


def documents(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ())
    return catalog.sources(store)


def entities(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ("kind",))
    return catalog.entities(store, _text(request, "kind"))


def event(store: Store, request: Request) -> dict[str, Any]:
    _known(request, ())
    return catalog.event(store, request.path_params["event_id"])


def openapi(store: Store, request: Request) -> dict[str, Any]:
    from chronicle.openapi import document

    return document()


ROUTES: list[tuple[str, Handler]] = [
    ("/health", health), ("/openapi.json", openapi), ("/as-of/{when}", as_of), ("/diff", diff),
    ("/events", events), ("/events/{event_id:path}", event), ("/projections", projections),
    ("/projections/{name}", projection), ("/conflicts", conflicts), ("/documents", documents),
    ("/entities", entities),
]


def _endpoint(store: Store, handler: Handler) -> Callable[[Request], Response]:
    def endpoint(request: Request) -> Response:
        try:
            return _answer(request, handler(store, request))
        except BadParameter as exc:
            return _error(exc.parameter, exc.message, exc.hint, exc.status)
        except NotFoundError as exc:
            return _error(None, exc.message, exc.hint, 404)
        except ChronicleError as exc:
            return _error(_about(exc), exc.message, exc.hint, 400)

    return endpoint


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "no such route" if exc.status_code == 404 else str(exc.detail)
    return _error(None, message, "see /openapi.json for the routes" if exc.status_code == 404 else None,
                  exc.status_code)


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port`` for the server, or an error naming the port.

    Bound before the server starts, so that a port in use is said in one
    line before anything announces that it is serving, and so that nothing
    can take the port between the check and the serving.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on {host}: {exc.strerror}",
                          "give --host an address of this machine, such as 127.0.0.1") from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen()
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is in use",
                              "stop what listens there, or choose another port with --port") from exc
        raise ConfigError(f"cannot listen on {host} port {port}: {exc.strerror}",
                          "choose another port with --port, or another --host") from exc
    return sock


def create_app(store: Store) -> Starlette:
    """The HTTP API over an opened store (GET only: nothing here writes)."""
    routes = [Route(path, _endpoint(store, handler), methods=["GET"]) for path, handler in ROUTES]
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
