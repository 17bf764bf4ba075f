"""A read-only SPARQL 1.1 Protocol endpoint over the ontology.

``kgtools serve`` answers

* ``GET /sparql?query=…`` and ``POST /sparql`` (an ``application/sparql-query``
  body, or a form-encoded ``query=``), also at ``/query``;
* ``GET /queries`` (the stored queries, as JSON) and ``GET|POST /queries/NAME?param=…``
  (a stored query with its parameters bound as RDF terms);
* ``GET /`` a page to write and run queries in a browser (no external scripts).

Results are negotiated from the ``Accept`` header (or a ``format=`` parameter):
SPARQL JSON, XML, CSV and TSV for SELECT and ASK; Turtle, N-Triples, JSON-LD
and RDF/XML for CONSTRUCT and DESCRIBE.

The endpoint is read-only: SPARQL Update (also as ``update=`` or
``application/sparql-update``), ``LOAD`` and ``SERVICE`` are refused with
403. Each query runs in a worker process that holds its own Oxigraph store;
a query that overruns the timeout has its worker killed (Oxigraph cannot
stop a query from another thread) and a fresh worker takes its place, so a
runaway query never blocks the others. A result with more rows than the
limit is refused with 413.

Examples
--------
>>> negotiate("text/csv;q=0.9, application/sparql-results+json")
['json', 'csv']
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kgtools.errors import KgtoolsError, UnknownTermError
from kgtools.query import (MEDIA_TYPES, QueryError, RefusedError, ResultTooLarge, bind_parameters,
                           catalog, check_read_only)

#: Media types a client may ask for, and the formats that satisfy them, best first.
_ACCEPTED = {media: [fmt] for fmt, media in MEDIA_TYPES.items()}
_ACCEPTED.update({
    "application/json": ["json", "jsonld"],
    "application/sparql-results+json": ["json"],
    "application/xml": ["xml", "rdfxml"],
    "text/xml": ["xml", "rdfxml"],
    "application/turtle": ["turtle"],
    "application/x-turtle": ["turtle"],
    "text/plain": ["ntriples", "tsv"],
    "application/x-json+ld": ["jsonld"],
})
_ALIASES = {"json-ld": "jsonld", "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "rdf": "rdfxml",
            "rdf+xml": "rdfxml", "sparql-results+json": "json", "sparql-results+xml": "xml"}
_DEFAULT_FORMATS = ["json", "turtle"]
MAX_BODY = 1 << 20
#: The browser page served at ``/`` (plain HTML and script, no external resources), read at each request.
_PAGE = Path(__file__).parent / "serve_assets" / "endpoint.html"


class QueryTimeout(QueryError):
    """A query ran longer than the endpoint allows, and was stopped."""


class NotAcceptable(QueryError):
    """No format the client accepts can hold the result."""


def negotiate(accept: str | None) -> list[str]:
    """The formats a client accepts, best first, from an HTTP ``Accept`` header.

    ``*/*``, or no header, accepts SPARQL JSON results and Turtle.

    Examples
    --------
    >>> negotiate(None)
    ['json', 'turtle']
    >>> negotiate("text/turtle")
    ['turtle']
    """
    if not accept:
        return list(_DEFAULT_FORMATS)
    ranked = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media, quality = parts[0].lower(), 1.0
        for param in parts[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media))
    formats: list[str] = []
    for _, _, media in sorted(ranked):
        choices = _DEFAULT_FORMATS if media in ("*/*", "application/*", "text/*") else _ACCEPTED.get(media, [])
        formats += [f for f in choices if f not in formats]
    return formats


# --------------------------------------------------------------------------- workers
def _worker_main(conn, inputs, store_dir) -> None:
    """A worker process: opens its own store, then answers jobs until told to stop."""
    from kgtools.ontology import Ontology
    from kgtools.query import GRAPH_FORMATS, OxigraphEngine, serialize_result

    if store_dir:
        import pyoxigraph as ox

        engine = OxigraphEngine(ox.Store.read_only(str(store_dir)))
    else:
        engine = OxigraphEngine.from_ontology(Ontology.load(*inputs))
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        text, bindings, formats, max_rows = job
        try:
            result = engine.run(text, bindings, max_rows=max_rows)
            fitting = [f for f in formats if (f in GRAPH_FORMATS) == (result.kind == "graph")]
            if not fitting:
                raise NotAcceptable(f"a {'graph' if result.kind == 'graph' else 'solutions'} result cannot be "
                                    f"written as {', '.join(formats) or 'the accepted media types'}")
            conn.send(("ok", fitting[0], serialize_result(result, fitting[0])))
        except KgtoolsError as err:
            conn.send(("error", type(err).__name__, err.message))
        except Exception as err:  # a worker must answer, whatever the query did
            conn.send(("error", "QueryError", str(err)))


class _Worker:
    def __init__(self, context, inputs, store_dir):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, inputs, store_dir), daemon=True)
        self.process.start()
        child.close()
        try:
            ready = self.conn.poll(120) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise KgtoolsError("a query worker failed to start")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryService:
    """Runs read-only queries in a pool of worker processes, with a timeout and a row limit.

    ``inputs`` are the RDF files (default: the packaged ontology); with
    ``store`` (a directory) the workers open that Oxigraph store read-only,
    after it has been filled once from the inputs.

    Examples
    --------
    >>> service = QueryService(workers=1, timeout=5)
    >>> fmt, body = service.run_stored("subforms", {"form": "idiopathic calcinosis cutis"}, ["csv"])
    >>> sorted(line.split(",")[1] for line in body.decode().splitlines()[1:])
    ['idiopathic calcinosis of the scrotum', 'tumoral calcinosis']
    >>> service.run("DROP ALL")
    Traceback (most recent call last):
    ...
    kgtools.query.RefusedError: SPARQL Update (DROP) is refused: this store is read-only
    >>> service.close()
    """

    def __init__(self, inputs: tuple = (), store: str | Path | None = None, workers: int = 2,
                 timeout: float = 10.0, max_rows: int = 10_000):
        from kgtools.ontology import Ontology

        if workers < 1 or timeout <= 0 or max_rows < 1:
            raise KgtoolsError("workers, timeout and max rows must be positive")
        self.onto = Ontology.load(*inputs)  # for resolving parameters by label
        self.inputs = tuple(str(p) for p in inputs)
        self.store = str(store) if store else None
        if self.store:
            from kgtools.query import OxigraphEngine

            # Fill the store once and let it go (which closes it); the workers then open it
            # read-only, side by side.
            OxigraphEngine.from_ontology(self.onto, self.store)
        self.timeout = timeout
        self.max_rows = max_rows
        self.queries = catalog()
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        starters = [threading.Thread(target=self._add_worker) for _ in range(workers)]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        if self._idle.qsize() < workers:
            self.close()
            raise KgtoolsError("query workers failed to start")

    def _add_worker(self) -> None:
        try:
            worker = _Worker(self._context, self.inputs, self.store)
        except KgtoolsError:
            return
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def run(self, text: str, bindings: dict | None = None, formats: list[str] | None = None) -> tuple[str, bytes]:
        """Run a query; return the chosen format and the serialised result.

        Raises :class:`RefusedError` for updates and SERVICE, :class:`QueryTimeout`
        when the query overruns (its worker is replaced), :class:`ResultTooLarge`,
        :class:`NotAcceptable`, or :class:`QueryError`.
        """
        check_read_only(text)
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker is busy; try again in {self.timeout:g} s") from None
        try:
            worker.conn.send((text, bindings or {}, formats or list(_DEFAULT_FORMATS), self.max_rows))
            finished = worker.conn.poll(self.timeout)
            reply = worker.conn.recv() if finished else None
        except (EOFError, OSError):
            finished, reply = False, None
        if reply is None:
            worker.kill()
            threading.Thread(target=self._add_worker, daemon=True).start()
            if finished:
                raise QueryError("the query worker stopped unexpectedly")
            raise QueryTimeout(f"the query was stopped after {self.timeout:g} s (the endpoint's time limit)")
        self._idle.put(worker)
        status, first, second = reply
        if status == "ok":
            return first, second
        errors = {"RefusedError": RefusedError, "ResultTooLarge": ResultTooLarge, "NotAcceptable": NotAcceptable}
        raise errors.get(first, QueryError)(second)

    def run_stored(self, name: str, params: dict, formats: list[str] | None = None) -> tuple[str, bytes]:
        """Run a stored query by name with parameters given as strings."""
        if name not in self.queries:
            raise LookupError(name)
        query = self.queries[name]
        return self.run(query.text, bind_parameters(self.onto, query, params), formats)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.kill()


# --------------------------------------------------------------------------- HTTP
_STATUS = {
    RefusedError: HTTPStatus.FORBIDDEN,
    QueryTimeout: HTTPStatus.SERVICE_UNAVAILABLE,
    ResultTooLarge: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    NotAcceptable: HTTPStatus.NOT_ACCEPTABLE,
    UnknownTermError: HTTPStatus.BAD_REQUEST,
}


class _Handler(BaseHTTPRequestHandler):
    server_version = "kgtools-sparql"
    service: QueryService  # set on the subclass made by make_server

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    # ------------------------------------------------------------ replies
    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _formats(self, params: dict) -> list[str]:
        wanted = params.pop("format", None)
        if wanted:
            # A format name (csv) or a media type (text/csv); some clients send several.
            formats = []
            for value in wanted if isinstance(wanted, list) else [wanted]:
                for name in value.lower().split(","):
                    name = _ALIASES.get(name.strip(), name.strip())
                    choices = [name] if name in MEDIA_TYPES else _ACCEPTED.get(name, [])
                    formats += [f for f in choices if f not in formats]
            if formats:
                return formats
            # Names this endpoint does not know: the Accept header decides.
        formats = negotiate(self.headers.get("Accept"))
        if not formats:
            raise NotAcceptable(f"none of the accepted media types can be written ({self.headers.get('Accept')}); "
                                f"available: {', '.join(MEDIA_TYPES.values())}")
        return formats

    def _answer(self, action) -> None:
        try:
            fmt, body = action()
        except LookupError as err:
            self._error(HTTPStatus.NOT_FOUND, f"no stored query {err.args[0]!r}; GET /queries lists them")
        except KgtoolsError as err:
            self._error(_STATUS.get(type(err), HTTPStatus.BAD_REQUEST), err.message)
        else:
            media = MEDIA_TYPES[fmt]
            charset = "" if fmt in ("xml", "rdfxml") else "; charset=utf-8"
            self._send(HTTPStatus.OK, media + charset, body)

    # ------------------------------------------------------------ requests
    def _params(self, body: bytes | None = None) -> dict:
        query = urllib.parse.urlsplit(self.path).query
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        if body is not None:
            pairs += urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        params: dict = {}
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        return {k: v[0] if len(v) == 1 else v for k, v in params.items()}

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "Content-Length is not a number")
            return None
        if length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            return None
        return self.rfile.read(length)

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._route(None)

    def do_HEAD(self) -> None:  # noqa: N802
        self._route(None)

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        if body is None:
            return
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
        if content_type == "application/sparql-query":
            params = self._params()
            params["query"] = body.decode("utf-8", "replace")
            return self._route(params)
        if content_type in ("application/x-www-form-urlencoded", ""):
            return self._route(self._params(body))
        self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    f"unsupported Content-Type {content_type!r}: send application/sparql-query or a form")

    def _refuse_method(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        body = b"read-only endpoint: only GET and POST queries are served\n"
        self.send_header("Allow", "GET, HEAD, POST")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_DELETE = do_PATCH = _refuse_method  # noqa: N815 - the base class's names

    def _route(self, params: dict | None) -> None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/") or "/"
        params = self._params() if params is None else params
        if path == "/":
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _PAGE.read_bytes())
        if path == "/favicon.ico":  # browsers ask; there is none
            return self._send(HTTPStatus.NO_CONTENT, "image/x-icon", b"")
        if path == "/queries":
            listing = [q.as_dict() for q in self.service.queries.values()]
            return self._send(HTTPStatus.OK, "application/json", json.dumps(listing, indent=1).encode("utf-8"))
        if path in ("/sparql", "/query"):
            if "update" in params:
                return self._error(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
            text = params.pop("query", None)
            if not text or not isinstance(text, str):
                return self._error(HTTPStatus.BAD_REQUEST, "give one query: ?query=… or a POST body")
            return self._answer(lambda: self.service.run(text, formats=self._formats(params)))
        if path.startswith("/queries/"):
            name = urllib.parse.unquote(path[len("/queries/"):])
            return self._answer(lambda: self.service.run_stored(name, params, self._formats(params)))
        self._error(HTTPStatus.NOT_FOUND, f"no such path {path!r}: try /, /sparql, /queries or /queries/NAME")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        # A client that hangs up early is no error of the server's.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(service: QueryService, host: str = "127.0.0.1", port: int = 7879, verbose: bool = False):
    """An HTTP server (not yet serving) for a :class:`QueryService`; port 0 picks a free port.

    Call ``serve_forever()`` on it (in a thread if need be), then ``shutdown()``.

    Examples
    --------
    >>> import threading, urllib.request
    >>> service = QueryService(workers=1)
    >>> server = make_server(service, port=0)
    >>> threading.Thread(target=server.serve_forever, daemon=True).start()
    >>> url = "http://127.0.0.1:%d/queries/statistics?format=csv" % server.server_address[1]
    >>> b"forms,12" in urllib.request.urlopen(url).read()
    True
    >>> server.shutdown(); service.close()
    """
    handler = type("Handler", (_Handler,), {"service": service})
    try:
        server = _Server((host, port), handler)
    except OSError as err:
        raise KgtoolsError(f"cannot listen on {host}:{port} ({err.strerror})") from None
    server.verbose = verbose
    return server

