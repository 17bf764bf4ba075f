"""Remote triple stores: run queries on a SPARQL 1.1 endpoint, push a graph into a Graph Store.

:class:`RemoteEngine` speaks the SPARQL 1.1 Protocol the way every server
accepts it -- OpenLink Virtuoso 7, Oxigraph, Jena Fuseki, GraphDB...: a
``GET`` with the query in the URL when it is short, else a ``POST`` of an
HTML form (``application/x-www-form-urlencoded``). Not a ``POST`` with an
``application/sparql-query`` body: Virtuoso 7.2 does not read one (the
request hangs). ``default-graph-uri`` names the graph the query sees, so a
stored query runs on exactly the graph pushed there, not on the store's
other graphs (Virtuoso's default graph is the union of all its graphs,
system graphs included).

:func:`push` loads a graph over the SPARQL 1.1 Graph Store Protocol in
N-Triples chunks of bounded size, each chunk holding whole blank-node
structures (an OWL restriction, an RDF list), since a blank node label means
the same node only within one request.

Every request has a time limit and a size limit; an unreachable or failing
server raises :class:`~kgtools.errors.KgtoolsError` with the URL and the
reason in one line.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> open_engine(Ontology.load(), "rdflib").name
'rdflib'
>>> RemoteEngine("http://127.0.0.1:8890/sparql", graph="http://purl.obolibrary.org/obo/ccut.owl").graph
'http://purl.obolibrary.org/obo/ccut.owl'
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools.errors import InputError, KgtoolsError
from kgtools.sparql.query import (ENGINES, MEDIA_TYPES, Dataset, Engine, OxigraphEngine, RdflibEngine, Result, _as_lists,
                                  _take, check_read_only, insert_values, query_form)

if TYPE_CHECKING:  # typed without importing pyoxigraph (or the ontology module) when the module loads
    import pyoxigraph as ox

    from kgtools.ontology import Ontology

#: Longest URL sent with GET; a longer query goes in a POST form. Virtuoso reads
#: only the first 4 KiB of a request line, and proxies cut URLs at 2-8 KiB.
GET_URL_LIMIT = 2000
#: Largest answer read from a server, in bytes.
MAX_RESPONSE_BYTES = 512 * 1024 * 1024
#: Largest N-Triples chunk pushed in one request, in bytes. Virtuoso holds a
#: request body in one string of at most 10 MB; a quarter of that keeps each
#: request short.
CHUNK_BYTES = 2 * 1024 * 1024


class RemoteEngine:
    """Runs queries on a SPARQL 1.1 Protocol endpoint, on one graph of it or on its default graph.

    Parameters are bound with a ``VALUES`` block, as on the embedded engines.
    ``timeout`` bounds the whole exchange (connection, query, answer), in seconds.

    Examples
    --------
    >>> RemoteEngine("http://127.0.0.1:7878/query").endpoint
    'http://127.0.0.1:7878/query'
    >>> RemoteEngine("ftp://example.org/sparql")
    Traceback (most recent call last):
    ...
    kgtools.errors.InputError: endpoint 'ftp://example.org/sparql' is not an http(s) URL
    """

    name = "remote"

    def __init__(self, endpoint: str, graph: str | None = None, timeout: float = 60):
        self.endpoint = _check_url(endpoint)
        self.graph = _check_graph(graph)
        self.timeout = timeout

    def request(self, text: str) -> tuple[str, str, bytes | None]:
        """The HTTP method, URL and body that send a query: GET when the URL stays short, else a POST form.

        Examples
        --------
        >>> RemoteEngine("http://h/sparql", graph="http://e/g").request("ASK {}")[:2]
        ('GET', 'http://h/sparql?query=ASK+%7B%7D&default-graph-uri=http%3A%2F%2Fe%2Fg')
        >>> RemoteEngine("http://h/sparql").request("ASK { " + "?s ?p ?o . " * 300 + "}")[0]
        'POST'
        """
        fields = [("query", text)] + ([("default-graph-uri", self.graph)] if self.graph else [])
        form = urllib.parse.urlencode(fields)
        url = self.endpoint + ("&" if "?" in self.endpoint else "?") + form
        if len(url) <= GET_URL_LIMIT:
            return "GET", url, None
        return "POST", self.endpoint, form.encode("ascii")

    def run(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        """Send a read-only query; read the answer as SPARQL JSON results, or N-Triples for CONSTRUCT/DESCRIBE."""
        import pyoxigraph as ox

        check_read_only(text)
        text = insert_values(text, _as_lists(bindings))
        form = query_form(text)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        method, url, body = self.request(text)
        headers = {"Accept": MEDIA_TYPES["ntriples"] if graph else MEDIA_TYPES["json"]}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = _http(method, url, body, headers, self.timeout, name=self.endpoint)
        try:
            if graph:
                triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
                return Result("graph", triples=_take((quad.triple for quad in triples), max_rows))
            return _json_result(data, max_rows, ask=form == "ASK")
        except (SyntaxError, ValueError, KeyError, TypeError) as err:
            raise KgtoolsError(f"{self.endpoint}: the answer is not {'N-Triples' if graph else 'SPARQL JSON'} "
                               f"({str(err)[:200]})") from None


def _json_result(data: bytes, max_rows: int | None, ask: bool = False) -> Result:
    """SPARQL 1.1 JSON results read with :mod:`json`, not Oxigraph's parser: servers write
    blank nodes with labels that are not N-Triples labels (Virtuoso: ``nodeID://b10043``),
    typed literals as the ``typed-literal`` type of the 2007 draft, and (Virtuoso 7) the
    answer to ASK as a table, one row ``__ASK_RETVAL`` 1 for yes, no row for no.

    Examples
    --------
    >>> _json_result(b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}', None, ask=True).boolean
    False
    """
    import pyoxigraph as ox

    answer = json.loads(data)
    if "boolean" in answer:
        return Result("boolean", boolean=bool(answer["boolean"]))
    if ask:
        rows = answer["results"]["bindings"]
        return Result("boolean", boolean=any(cell["value"] not in ("0", "false") for row in rows for cell in row.values()))
    variables = list(answer["head"].get("vars", []))
    blank_nodes: dict[str, ox.BlankNode] = {}

    def term(cell: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        kind, value = cell["type"], cell["value"]
        if kind == "uri":
            return ox.NamedNode(value)
        if kind == "bnode":
            if value not in blank_nodes:
                blank_nodes[value] = ox.BlankNode()
            return blank_nodes[value]
        if "xml:lang" in cell:
            return ox.Literal(value, language=cell["xml:lang"])
        if "datatype" in cell:
            return ox.Literal(value, datatype=ox.NamedNode(cell["datatype"]))
        return ox.Literal(value)

    rows = (tuple(term(b[v]) if v in b else None for v in variables) for b in answer["results"]["bindings"])
    return Result("bindings", variables, _take(rows, max_rows))


def _check_url(endpoint: str) -> str:
    if not endpoint.startswith(("http://", "https://")):
        raise InputError(f"endpoint {endpoint!r} is not an http(s) URL")
    return endpoint


def _check_graph(graph: str | None) -> str | None:
    import pyoxigraph as ox

    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise InputError(f"--graph {graph!r} is not a valid IRI") from None
    return graph


def _http(method: str, url: str, body: bytes | None, headers: dict, timeout: float, name: str | None = None,
          max_bytes: int = MAX_RESPONSE_BYTES) -> bytes:
    """One HTTP exchange, bounded: ``timeout`` seconds in all (a server that sends its answer
    a byte at a time is cut off too) and ``max_bytes`` of answer. Errors name ``name`` (the URL)."""
    import http.client
    import urllib.error
    import urllib.request

    name = name or url
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            parts, size = [], 0
            while chunk := response.read1(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise KgtoolsError(f"{name}: the answer is larger than {max_bytes // (1024 * 1024)} MiB")
                if time.monotonic() > deadline:
                    raise TimeoutError
                parts.append(chunk)
            return b"".join(parts)
    except urllib.error.HTTPError as err:
        detail = err.read(4096).decode("utf-8", "replace").strip().splitlines()
        raise KgtoolsError(f"{name}: HTTP {err.code} {err.reason}" + (f": {detail[0][:300]}" if detail else "")) from None
    except TimeoutError:
        raise KgtoolsError(f"{name}: no answer within {timeout:g} s") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, TimeoutError):
            raise KgtoolsError(f"{name}: no answer within {timeout:g} s") from None
        raise KgtoolsError(f"{name}: cannot connect ({reason})") from None


def open_engine(onto: Ontology, engine: str = "oxigraph", endpoint: str | None = None, graph: str | None = None,
                store: str | None = None) -> Engine:
    """The engine to run queries with: a remote endpoint (on ``graph``) when given, else Oxigraph or rdflib,
    opened by its entry in :data:`OPENERS`.

    With ``graph`` and no endpoint, Oxigraph runs on the dataset of the
    ontology's files, each in its named graph (see
    :func:`kgtools.store.graph_names`, as ``kgtools serve`` names them), with
    ``graph`` as the default graph; ``store`` is the directory of persistent
    stores, as for :func:`kgtools.store.open_store`.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> open_engine(Ontology.load(), "rdflib").name
    'rdflib'
    >>> engine = open_engine(Ontology.load(), graph="http://purl.obolibrary.org/obo/ccut.owl")
    >>> engine.run("ASK { ?s ?p ?o }").boolean, engine.dataset.default
    (True, ('http://purl.obolibrary.org/obo/ccut.owl',))
    """
    if endpoint:
        engine = "remote"
    elif engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    return OPENERS[engine](onto, endpoint=endpoint, graph=graph, store=store)


def _open_remote(onto, endpoint, graph, store) -> Engine:
    return RemoteEngine(endpoint, graph)


def _open_oxigraph(onto, endpoint, graph, store) -> Engine:
    if not graph:
        return OxigraphEngine.from_ontology(onto)
    from kgtools.store import graph_names, open_store

    dataset, _ = open_store(onto.paths, store, graph_names(onto.paths))
    return OxigraphEngine(dataset, Dataset((graph,)))


def _open_rdflib(onto, endpoint, graph, store) -> Engine:
    if graph:
        raise InputError("--graph runs on the Oxigraph engine (or on an --endpoint), not on rdflib")
    return RdflibEngine(onto.graph)


#: How each engine is opened for an ontology, by name: the local engines of ``--engine`` (:data:`ENGINES`), and
#: ``remote`` for an ``--endpoint``. Each takes the ontology and the keywords ``endpoint``, ``graph``, ``store``.
OPENERS = {"oxigraph": _open_oxigraph, "rdflib": _open_rdflib, "remote": _open_remote}


# --------------------------------------------------------------------------- push
def chunks(triples: Iterable[ox.Triple], max_bytes: int = CHUNK_BYTES) -> Iterator[tuple[bytes, int]]:
    """Split triples into N-Triples documents of at most ``max_bytes`` (unless one blank-node
    structure is larger), keeping every blank node's triples in one document.

    A blank node label names the same node only inside one document: an OWL
    restriction split over two requests would become two half-restrictions.
    So the triples that share blank nodes (a restriction with the list of its
    union, an axiom annotation) travel together. Yields ``(data, count)``.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> b, p = ox.BlankNode(), ox.NamedNode("http://e/p")
    >>> triples = [ox.Triple(ox.NamedNode("http://e/a"), p, b), ox.Triple(b, p, ox.Literal("x" * 50)),
    ...            ox.Triple(ox.NamedNode("http://e/c"), p, ox.Literal("y"))]
    >>> [count for _, count in chunks(triples, max_bytes=100)]
    [1, 2]
    """
    import pyoxigraph as ox

    from networkx.utils import UnionFind

    structure = UnionFind()  # blank node label -> one label of its structure
    groups: dict = {}
    for triple in triples:
        blanks = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        structure.union(*blanks)
        groups.setdefault(blanks[0] if blanks else None, []).append(triple)
    structures: dict = {}
    for label, members in groups.items():
        if label is not None:
            structures.setdefault(structure[label], []).extend(members)

    batch: list = []
    size, count = 0, 0
    for unit in [[t] for t in groups.get(None, [])] + list(structures.values()):
        data = [f"{t} .\n".encode("utf-8") for t in unit]
        length = sum(map(len, data))
        if batch and size + length > max_bytes:
            yield b"".join(batch), count
            batch, size, count = [], 0, 0
        batch.extend(data)
        size += length
        count += len(unit)
    if batch:
        yield b"".join(batch), count


def read_triples(paths: Iterable[str | Path] = ()) -> list:
    """The distinct triples of RDF files (the packaged ontology when none), read by Oxigraph,
    without an rdflib graph in between; blank nodes are renamed apart for each file. A file with no
    triple raises :class:`InputError`.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> len(read_triples()) == len(Ontology.load().graph)
    True
    """
    import pyoxigraph as ox

    from kgtools.ontology import parse_triples
    from kgtools.resources import ontology_path

    triples: dict = {}
    for path in paths or [ontology_path()]:
        fresh: dict = {}

        def node(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, fresh: dict[str, ox.BlankNode] = fresh
                 ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
            if not isinstance(term, ox.BlankNode):
                return term
            if term.value not in fresh:
                fresh[term.value] = ox.BlankNode()
            return fresh[term.value]

        empty = True
        for triple in parse_triples(path):
            empty = False
            if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
                triple = ox.Triple(node(triple.subject), triple.predicate, node(triple.object))  # type: ignore[arg-type]
            triples[triple] = None
        if empty:  # pushed, it would replace the store's graph with nothing
            raise InputError(f"{path}: no triples")
    return list(triples)


def push(source: Ontology | Iterable[ox.Triple], endpoint: str, graph: str | None = None, replace: bool = True,
         timeout: float = 120, chunk_bytes: int = CHUNK_BYTES,
         on_progress: Callable[[int, int], object] | None = None) -> int:
    """Load an ontology (an :class:`~kgtools.ontology.Ontology`, or a list of :mod:`pyoxigraph`
    triples such as :func:`read_triples` gives) into a SPARQL 1.1 Graph Store Protocol store, in chunks.

    ``endpoint`` is the store's graph store URL (Oxigraph:
    ``http://host:7878/store``; Virtuoso: ``http://host:8890/sparql-graph-crud``);
    the triples go to the named graph ``graph``, or the default graph. With
    ``replace`` the first chunk is sent with HTTP PUT (replacing the graph's
    content) and the others with POST (added to it); otherwise every chunk is
    POSTed. Chunks are N-Triples of at most ``chunk_bytes`` (see
    :func:`chunks`); ``on_progress(sent, total)`` is called after each one.
    Returns the number of triples sent; an unreachable store or an HTTP error
    raises :class:`~kgtools.errors.KgtoolsError` with the URL and the reason.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> push(Ontology.load(), "http://127.0.0.1:7878/store", graph="not an IRI")
    Traceback (most recent call last):
    ...
    kgtools.errors.InputError: --graph 'not an IRI' is not a valid IRI
    """
    from kgtools.ontology import oxigraph_triples

    _check_url(endpoint)
    _check_graph(graph)
    target = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    url = endpoint + ("&" if "?" in endpoint else "?") + target
    triples = oxigraph_triples(source.graph) if hasattr(source, "graph") else list(source)
    sent, method = 0, "PUT" if replace else "POST"
    # An empty graph still replaces what was there.
    for data, count in chunks(triples, chunk_bytes) if triples or not replace else [(b"", 0)]:
        _http(method, url, data, {"Content-Type": MEDIA_TYPES["ntriples"]}, timeout, name=endpoint)
        method, sent = "POST", sent + count
        if on_progress:
            on_progress(sent, len(triples))
    return sent
