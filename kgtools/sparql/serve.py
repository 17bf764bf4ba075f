"""A read-only SPARQL 1.1 Protocol endpoint over the ontology.

``kgtools serve`` answers

* ``GET /sparql?query=…`` and ``POST /sparql`` (an ``application/sparql-query``
  body, or a form-encoded ``query=``), also at ``/query``; ``GET /sparql``
  without a query gives the SPARQL 1.1 Service Description (Turtle);
* ``GET /queries`` (the stored queries with their typed parameters and SPARQL text, as JSON) and ``GET|POST /queries/NAME?param=…``
  (a stored query with its parameters bound as RDF terms);
* ``GET /`` a page to write and run queries in a browser (no external scripts).

Results are negotiated from the ``format=``/``output=`` parameters, by the
query's form (``xml`` is SPARQL XML for SELECT and ASK, RDF/XML for CONSTRUCT
and DESCRIBE; ``json`` is SPARQL JSON or JSON-LD), or else from the ``Accept``
header: SPARQL JSON, XML, CSV and TSV for SELECT and ASK; Turtle, N-Triples,
JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE.

Every way a query arrives takes one path: the body is read only up to
:data:`MAX_BODY` bytes whatever ``Content-Length`` says (chunked bodies too),
with a read timeout; a POST must say its ``Content-Type`` (400), in UTF-8
(415 for another ``charset``). Then the query runs in a worker of
:class:`~kgtools.sparql.workers.QueryService`, which refuses updates, ``LOAD`` and
``SERVICE`` (403) on the parsed query, stops a query over the time limit
(503), answers 503 with ``Retry-After`` at once when it is full, and refuses
results over the row limit (413). Relative IRIs in a query resolve against
the URL it was sent to.

The endpoint serves a dataset: each input file as a named graph, and their
union as the default graph. ``default-graph-uri`` and ``named-graph-uri``
make the query's dataset of the graphs they name (SPARQL 1.1 Protocol
§2.1.4), over the query's own ``FROM``; a graph that is not served is an
empty graph, never fetched.

Browsers on other origins may read the answers (CORS): every answer says
which origins may (``*`` unless :func:`make_server` is told fewer, or none),
and ``OPTIONS`` answers their preflight. Other methods than GET, HEAD, POST
and OPTIONS get 405 with ``Allow``.

Examples
--------
>>> negotiate("text/csv;q=0.9, application/sparql-results+json")
['json', 'csv']
"""

from __future__ import annotations

import json
import re
import socket
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kgtools.errors import KgtoolsError, UnknownTermError
from kgtools.sparql.query import MEDIA_TYPES, Dataset, RefusedError, ResultTooLarge
from kgtools.sparql.workers import Busy, NotAcceptable, QueryService, QueryTimeout

#: Media types a client may ask for, and the formats that satisfy them, best first.
_ACCEPTED = {media: [fmt] for fmt, media in MEDIA_TYPES.items()}
_ACCEPTED.update({
    "application/json": ["json", "jsonld"],
    "application/sparql-results+json": ["json"],
    "application/xml": ["xml", "rdfxml"],
    "text/xml": ["xml", "rdfxml"],
    "application/turtle": ["turtle"],
    "application/x-turtle": ["turtle"],
    "text/n3": ["turtle"],
    "text/rdf+n3": ["turtle"],
    "text/plain": ["ntriples", "tsv"],
    "application/x-json+ld": ["jsonld"],
})
#: Names a ``format=``/``output=`` parameter may give, and the formats they mean, by query form:
#: the worker keeps the first that fits the result (``xml`` is RDF/XML for a graph, ``json`` JSON-LD).
_FORMAT_NAMES = {
    "json": ["json", "jsonld"], "xml": ["xml", "rdfxml"], "csv": ["csv"], "tsv": ["tsv"],
    "turtle": ["turtle"], "ttl": ["turtle"], "n3": ["turtle"], "nt": ["ntriples"], "ntriples": ["ntriples"],
    "n-triples": ["ntriples"], "jsonld": ["jsonld"], "json-ld": ["jsonld"], "rdf": ["rdfxml"], "rdfxml": ["rdfxml"],
    "rdf+xml": ["rdfxml"], "rdf/xml": ["rdfxml"], "sparql-results+json": ["json"], "sparql-results+xml": ["xml"],
}
_DEFAULT_FORMATS = ["json", "turtle"]
#: The largest request body read, in bytes; a longer one is refused with 413 before it is read. (Parsing
#: a query takes up to a hundred times its size for a moment: 256 KiB keeps each worker within ~35 MB.)
MAX_BODY = 256 << 10
#: The browser page served at ``/`` (plain HTML and script, no external resources), read at each request.
_PAGE = Path(__file__).parent / "serve_assets" / "endpoint.html"
#: Seconds a client may stay silent (idle between requests, or slow to send one) before it is let go.
READ_TIMEOUT = 20.0
#: Seconds a browser may keep the answer to a CORS preflight.
CORS_MAX_AGE = 86400


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
    for position, item in enumerate(accept.split(",")[:100]):
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


def service_description(endpoint: str, graphs: Iterable[str] = ()) -> list:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``, serving the named ``graphs``
    (IRIs) and their union as the default graph, as :mod:`pyoxigraph` triples.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> print(ox.serialize(service_description("http://127.0.0.1:7879/sparql"), format=ox.RdfFormat.N_TRIPLES)
    ...       .decode().splitlines()[0])
    <http://127.0.0.1:7879/sparql> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/sparql-service-description#Service> .
    """
    import pyoxigraph as ox

    sd = "http://www.w3.org/ns/sparql-service-description#"
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, graph = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, a, ox.NamedNode(sd + "Service")),
        ox.Triple(service, ox.NamedNode(sd + "endpoint"), service),
        ox.Triple(service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, a, ox.NamedNode(sd + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(sd + "defaultGraph"), graph),
        ox.Triple(graph, a, ox.NamedNode(sd + "Graph")),
        ox.Triple(service, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
    ]
    for name in dict.fromkeys(graphs):
        named, its_graph = ox.BlankNode(), ox.BlankNode()
        triples += [ox.Triple(dataset, ox.NamedNode(sd + "namedGraph"), named),
                    ox.Triple(named, a, ox.NamedNode(sd + "NamedGraph")),
                    ox.Triple(named, ox.NamedNode(sd + "name"), ox.NamedNode(name)),
                    ox.Triple(named, ox.NamedNode(sd + "graph"), its_graph),
                    ox.Triple(its_graph, a, ox.NamedNode(sd + "Graph"))]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(service, ox.NamedNode(sd + "resultFormat"),
                                 ox.NamedNode("http://www.w3.org/ns/formats/" + name)))
    return triples


# --------------------------------------------------------------------------- HTTP
_STATUS = {
    RefusedError: HTTPStatus.FORBIDDEN,
    QueryTimeout: HTTPStatus.SERVICE_UNAVAILABLE,
    Busy: HTTPStatus.SERVICE_UNAVAILABLE,
    ResultTooLarge: HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    NotAcceptable: HTTPStatus.NOT_ACCEPTABLE,
    UnknownTermError: HTTPStatus.BAD_REQUEST,
}
_ALLOW = "GET, HEAD, POST, OPTIONS"


class _Refusal(Exception):
    """A request answered with an error status before any query runs."""

    def __init__(self, status: int, message: str, close: bool = False):
        super().__init__(message)
        self.status, self.message, self.close = status, message, close


class _Handler(BaseHTTPRequestHandler):
    server_version = "kgtools-sparql"
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT  # on the socket: an idle or slow client is let go
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart (Nagle and delayed ACK)
    service: QueryService  # set on the subclass made by make_server
    cors: tuple = ()  # the origins whose pages may read the answers ("*": any); set by make_server too

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    # ------------------------------------------------------------ replies
    def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in {**self._cors(), **(headers or {})}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), headers)

    def _cors(self) -> dict:
        """The CORS headers of every answer: which origin may read it."""
        if "*" in self.cors:
            return {"Access-Control-Allow-Origin": "*"}
        if not self.cors:
            return {}
        origin = self.headers.get("Origin")
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin in self.cors else {"Vary": "Origin"}

    # ------------------------------------------------------------ requests
    def __getattr__(self, name: str):
        # Every method the handler has no do_X for (TRACE, PUT, made-up ones) is refused the same way.
        if name.startswith("do_"):
            return self._refuse_method
        raise AttributeError(name)

    def _refuse_method(self) -> None:
        self.close_connection = True  # its body, if any, is not read
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only endpoint: only GET, HEAD, POST and OPTIONS are served",
                    {"Allow": _ALLOW})

    def do_OPTIONS(self) -> None:
        """The methods served, and a browser's CORS preflight answered (when its origin may read the answers)."""
        if self.headers.get("Content-Length") not in (None, "0") or self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # a body is not read
        cors = self._cors()
        headers = {"Allow": _ALLOW}
        if "Access-Control-Allow-Origin" in cors:
            headers.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                            "Access-Control-Allow-Headers": "Content-Type, Accept",
                            "Access-Control-Max-Age": str(CORS_MAX_AGE)})
        self.send_response(HTTPStatus.NO_CONTENT)
        for name, value in {**cors, **headers}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        """The one path of every request: bounded body, parameters, route, answer."""
        try:
            params = self._params()
        except _Refusal as refusal:
            self.close_connection = self.close_connection or refusal.close
            return self._error(refusal.status, refusal.message)
        self._route(params)

    def _body(self) -> bytes:
        """The request body, read only up to :data:`MAX_BODY` bytes, whatever the headers claim."""
        if self.command != "POST":
            if self.headers.get("Content-Length") not in (None, "0") or self.headers.get("Transfer-Encoding"):
                raise _Refusal(HTTPStatus.BAD_REQUEST, f"a {self.command} request has no body", close=True)
            return b""
        encoding = (self.headers.get("Transfer-Encoding") or "").strip().lower()
        if encoding == "chunked":
            return self._read_chunked()
        if encoding:
            raise _Refusal(HTTPStatus.NOT_IMPLEMENTED, f"unsupported Transfer-Encoding {encoding!r}", close=True)
        declared = self.headers.get_all("Content-Length") or []
        if not declared:
            raise _Refusal(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length (or a chunked body)", close=True)
        if len(set(declared)) > 1 or not declared[0].strip().isdigit():
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"bad Content-Length {declared[0]!r}", close=True)
        length = int(declared[0])
        if length > MAX_BODY:
            raise _Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes", close=True)
        return self._read(length)

    def _read(self, length: int) -> bytes:
        try:
            data = self.rfile.read(length)  # the socket's timeout bounds the wait for each piece
        except (TimeoutError, OSError):
            raise _Refusal(HTTPStatus.REQUEST_TIMEOUT, "the request body did not arrive in time", close=True) from None
        if len(data) < length:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "the request body is shorter than its Content-Length", close=True)
        return data

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            digits = self._read_line().split(b";")[0].strip()
            if not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", digits):
                raise _Refusal(HTTPStatus.BAD_REQUEST, "bad chunk in a chunked body", close=True)
            size = int(digits, 16)
            if len(body) + size > MAX_BODY:
                raise _Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes",
                               close=True)
            if size == 0:
                for _ in range(100):  # trailer fields, ignored; as many as http.server allows headers
                    if self._read_line() in (b"\r\n", b"\n", b""):
                        return bytes(body)
                raise _Refusal(HTTPStatus.BAD_REQUEST, "too many trailer fields", close=True)
            body += self._read(size)
            self._read(2)  # the CRLF after the chunk

    def _read_line(self) -> bytes:
        try:
            return self.rfile.readline(8192)
        except (TimeoutError, OSError):
            raise _Refusal(HTTPStatus.REQUEST_TIMEOUT, "the request did not arrive in time", close=True) from None

    def _params(self) -> dict:
        """The request's parameters (URL and form body; a direct query body becomes ``query``)."""
        body = self._body()
        pairs = self._pairs(urllib.parse.urlsplit(self.path).query)
        content_type, *options = (self.headers.get("Content-Type") or "").lower().split(";")
        content_type = content_type.strip()
        if self.command == "POST":
            if content_type == "application/sparql-update":
                raise _Refusal(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
            if not content_type:
                raise _Refusal(HTTPStatus.BAD_REQUEST, "a POST needs a Content-Type: application/sparql-query, "
                               "or application/x-www-form-urlencoded for a form")
            for option in options:
                name, _, value = option.partition("=")
                if name.strip() == "charset" and value.strip().strip('"') not in ("utf-8", "utf8"):
                    raise _Refusal(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"charset {value.strip()!r} is not read "
                                   "here: send the body in UTF-8")
            if content_type == "application/sparql-query":
                pairs.append(("query", self._text(body)))
            elif content_type == "application/x-www-form-urlencoded":
                pairs += self._pairs(self._text(body))
            else:
                raise _Refusal(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"unsupported Content-Type {content_type!r}: "
                               "send application/sparql-query or a form")
        params: dict = {}
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        return {k: v[0] if len(v) == 1 else v for k, v in params.items()}

    @staticmethod
    def _text(body: bytes) -> str:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"the request body is not UTF-8 (byte {err.start})") from None

    @staticmethod
    def _pairs(encoded: str) -> list:
        try:
            return urllib.parse.parse_qsl(encoded, keep_blank_values=True, max_num_fields=1000,
                                          encoding="utf-8", errors="strict")
        except ValueError as err:  # too many fields, or not UTF-8
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"bad parameters: {err}") from None

    def _formats(self, params: dict) -> list[str]:
        """The formats the client asks for: ``format=``/``output=`` by name or media type, else ``Accept``."""
        formats: list[str] = []
        for key in ("format", "output"):
            wanted = params.pop(key, [])
            for value in wanted if isinstance(wanted, list) else [wanted]:
                for name in value.lower().split(","):
                    name = name.split(";")[0].strip()
                    choices = _FORMAT_NAMES.get(name) or _ACCEPTED.get(name, [])
                    formats += [f for f in choices if f not in formats]
        if formats:
            return formats
        # No format parameter, or only names this endpoint does not know: the Accept header decides.
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
        except Busy as err:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, err.message, {"Retry-After": str(err.retry_after)})
        except KgtoolsError as err:
            self._error(_STATUS.get(type(err), HTTPStatus.BAD_REQUEST), err.message)
        else:
            self._send(HTTPStatus.OK, _content_type(fmt), body)

    def _describe(self, path: str) -> None:
        """The Service Description, in the RDF format the client accepts (Turtle by default)."""
        import pyoxigraph as ox

        from kgtools.sparql.query import GRAPH_FORMATS, RDF_FORMAT_NAMES

        triples = service_description(self._url(path), self.service.graphs)
        fmt = next((f for f in negotiate(self.headers.get("Accept")) if f in GRAPH_FORMATS), "turtle")
        body = ox.serialize(triples, format=getattr(ox.RdfFormat, RDF_FORMAT_NAMES[fmt]),
                            prefixes={"sd": "http://www.w3.org/ns/sparql-service-description#"}
                            if fmt != "ntriples" else None)
        self._send(HTTPStatus.OK, _content_type(fmt), body or b"")

    def _url(self, path: str) -> str:
        """The URL the request was sent to (without its query): the base of the relative IRIs of a query."""
        import pyoxigraph as ox

        try:
            return ox.NamedNode(f"http://{self.headers.get('Host') or '-'}{path}").value
        except ValueError:  # a Host header that makes no IRI: the address the server listens on
            host, port = self.server.server_address[:2]  # type: ignore[index, str-unpack]  # an IP address: a tuple
            return f"http://{'[%s]' % host if ':' in host else host}:{port}{path}"

    @staticmethod
    def _dataset(params: dict) -> Dataset | None:
        """The dataset the ``default-graph-uri`` and ``named-graph-uri`` parameters name, if any."""
        default, named = ([v] if isinstance(v, str) else v for v in
                          (params.pop("default-graph-uri", []), params.pop("named-graph-uri", [])))
        return Dataset(tuple(default), tuple(named)) if default or named else None

    def _route(self, params: dict) -> None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/") or "/"
        if path == "/":
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _PAGE.read_bytes())
        if path == "/favicon.ico":  # browsers ask; there is none
            return self._send(HTTPStatus.NO_CONTENT, "image/x-icon", b"")
        if path == "/queries":
            listing = [dict(q.as_dict(), sparql=q.text) for q in self.service.queries.values()]
            return self._send(HTTPStatus.OK, "application/json", json.dumps(listing, indent=1).encode("utf-8"))
        if path in ("/sparql", "/query"):
            if "update" in params:
                return self._error(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
            text = params.pop("query", None)
            if text is None and self.command in ("GET", "HEAD") and not params:
                return self._describe(path)
            if not text or not isinstance(text, str):
                return self._error(HTTPStatus.BAD_REQUEST, "give one query: ?query=… or a POST body")
            dataset, base = self._dataset(params), self._url(urllib.parse.urlsplit(self.path).path)
            return self._answer(lambda: self.service.run(text, formats=self._formats(params), base_iri=base,
                                                         dataset=dataset))
        if path.startswith("/queries/"):
            name = urllib.parse.unquote(path[len("/queries/"):])
            dataset = self._dataset(params)
            return self._answer(lambda: self.service.run_stored(name, params, self._formats(params), dataset))
        self._error(HTTPStatus.NOT_FOUND, f"no such path {path!r}: try /, /sparql, /queries or /queries/NAME")


def _content_type(fmt: str) -> str:
    return MEDIA_TYPES[fmt] + ("" if fmt in ("xml", "rdfxml") else "; charset=utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    verbose = False  # log each request to stderr
    request_queue_size = 128  # the listen backlog: a burst of clients waits instead of being dropped

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: tuple) -> None:
        import sys

        # A client that hangs up early, or stays silent too long, is no error of the server's.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


def make_server(service: QueryService, host: str = "127.0.0.1", port: int = 7879, verbose: bool = False,
                read_timeout: float = READ_TIMEOUT, cors: Iterable[str] = ("*",)) -> _Server:
    """An HTTP server (not yet serving) for a :class:`QueryService`; port 0 picks a free port.

    ``host`` may be an IPv4 or IPv6 address (``::1``, ``::``) or a name; a
    client silent for ``read_timeout`` seconds (idle, or slow to send its
    request) is let go. ``cors``: the origins (``https://host:port``) whose
    pages may read the answers, ``*`` for any (the default: the endpoint is
    read-only, and a browser sends no credentials to it), none for no other
    origin than the endpoint's own.
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
    >>> server.shutdown(); server.server_close(); service.close()
    """
    handler = type("Handler", (_Handler,), {"service": service, "timeout": read_timeout, "cors": tuple(cors)})
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        server = (_Server6 if family == socket.AF_INET6 else _Server)((host, port), handler)
    except (OSError, UnicodeError) as err:
        raise KgtoolsError(f"cannot listen on {host}:{port} ({getattr(err, 'strerror', None) or err})") from None
    server.verbose = verbose
    return server
