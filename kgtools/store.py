"""The store of record: RDF files read once into an Oxigraph store, which every command then asks.

Small inputs (the packaged ontology, a curator's extension) are parsed into
an in-memory :class:`pyoxigraph.Store`: that takes milliseconds. Inputs of
:data:`PERSIST_BYTES` or more (an ontology merged into the HPO) are loaded
once into an on-disk store in a cache directory, keyed by what the store is
made of -- the SHA-256 of each file's bytes, its format and base IRI, the
versions of this layout and of Oxigraph -- and later commands open that
store read-only instead of parsing the files again. Any change of a file
gives another key, so a store is used only while it is current.

The first command on new files parses them into memory, as for small
inputs, and starts a detached, niced process that builds the persistent
store for the commands that follow (as git runs its automatic gc): the
command does not wait for it, and one builder at most works on a store. A store is built in
a temporary directory beside the others and renamed into place when complete, so no reader ever sees half a store (two
processes building the same one: the first rename wins, the other drops
its copy). Each process holds a shared lock on the stores it opened; the
cleaner keeps the :data:`MAX_STORES` most recently used and removes an older
one only when it can take that lock exclusively, that is when nobody has it
open. The cache directory is ``$XDG_CACHE_HOME/kgtools/stores`` (by default
``~/.cache/kgtools/stores``), or the one given.

Examples
--------
>>> from kgtools.resources import ontology_path
>>> store, location = open_store([ontology_path()])
>>> len(store) > 1000, location
(True, None)
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kgtools.errors import InputError
from kgtools.vocabulary import OWL, RDF_TYPE

if TYPE_CHECKING:  # typed without importing pyoxigraph or rdflib when the module loads
    import pyoxigraph as ox
    import rdflib
    from rdflib.term import Node

#: RDF formats, by the names the command line uses, with Oxigraph's name for them.
FORMATS = {"ttl": "TURTLE", "owl": "RDF_XML", "nt": "N_TRIPLES", "jsonld": "JSON_LD"}
#: RDF file extensions, with the format each stands for.
EXTENSIONS = {".ttl": "ttl", ".owl": "owl", ".rdf": "owl", ".xml": "owl", ".nt": "nt", ".jsonld": "jsonld", ".json": "jsonld"}
#: Inputs of at least this many bytes in all are kept in a persistent store; smaller ones are parsed in memory.
PERSIST_BYTES = 4 * 2**20
#: Quads given to Oxigraph's bulk loader at a time: it holds them in memory. (Its own batches are of a
#: million quads: 300 MB for the HPO-merged graph; batches of this size take a third of that, in the same time.)
BULK_BATCH = 50_000
#: How many persistent stores the cache keeps (the most recently used ones).
MAX_STORES = 4
#: The version of the on-disk layout: a store made by another version is never used.
_LAYOUT = "kgtools-store-2"
#: Unfinished builds older than this (seconds) were left by a process that died: the cleaner removes them.
_STALE_BUILD = 24 * 3600
_BUILDS: list = []  # the builder processes this process started
_LOCKS: dict[str, int] = {}  # store key -> the descriptor of its lock file, held while this process runs


def rdf_format(path: str | Path, fmt: str | None = None) -> ox.RdfFormat:
    """The :class:`pyoxigraph.RdfFormat` of a file: ``fmt`` (a key of :data:`FORMATS`) or its extension's.

    Examples
    --------
    >>> rdf_format("merged.owl")
    <RdfFormat RDF/XML>
    """
    import pyoxigraph as ox

    path = Path(path)
    fmt = fmt or EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown RDF format (expected one of {', '.join(sorted(EXTENSIONS))})")
    return getattr(ox.RdfFormat, FORMATS[fmt])


def base_iri(path: str | Path) -> str:
    """The base IRI relative IRIs of a file resolve against: the file's own ``file:`` URI."""
    return Path(path).resolve().as_uri()


def syntax_error(path: str | Path, err: SyntaxError, data: bytes | None = None, fmt: str | None = None) -> InputError:
    """An Oxigraph syntax error as one line naming the file, line and column.

    Oxigraph's RDF/XML errors carry no position: then the XML reader rdflib
    uses finds it in ``data`` (the file's bytes, read again when not given).

    Examples
    --------
    >>> err = SyntaxError("Parser error at line 6 column 1: unexpected token")
    >>> err.lineno, err.offset = 6, 1
    >>> syntax_error("bad.ttl", err).message
    'bad.ttl:6:1: syntax error at line 6, column 1: unexpected token'
    """
    message = err.msg.split(": ", 1)[-1] if err.msg.startswith("Parser error at") else err.msg
    line, column = err.lineno, err.offset
    if not line and (fmt or EXTENSIONS.get(Path(path).suffix.lower())) == "owl":
        line, column, message = _rdfxml_error_position(data if data is not None else Path(path).read_bytes(), message)
    message = _shorten(message)
    if not line:
        return InputError(f"{path}: RDF/XML error: {message}")
    return InputError(f"{path}:{line}:{column}: syntax error at line {line}, column {column}: {message}")


def _rdfxml_error_position(data: bytes, message: str) -> tuple[int | None, int | None, str]:
    """Line and column (1-based) of the first RDF/XML error in ``data``, and what it is.

    An XML error (not well-formed, an unbound prefix) is told in the XML
    reader's words; an RDF/XML error keeps ``message``, Oxigraph's words.
    """
    import io
    import logging
    from xml.sax import SAXParseException
    from xml.sax.xmlreader import InputSource

    import rdflib
    from rdflib.plugins.parsers.rdfxml import create_parser

    source = InputSource("data")
    source.setByteStream(io.BytesIO(data))
    reader = create_parser(source, rdflib.Graph())  # type: ignore[arg-type]  # rdflib's InputSource is xml.sax's
    rdflib_log = logging.getLogger("rdflib")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.ERROR)  # rdflib warns of each odd IRI; the one error is what is said
    try:
        reader.parse(source)
    except SAXParseException as err:
        return err.getLineNumber(), err.getColumnNumber() + 1, err.getMessage()  # type: ignore[operator]
    except Exception:  # noqa: BLE001 -- an RDF/XML error: where the reader stopped is where it is
        return reader.getLineNumber(), reader.getColumnNumber() + 1, message  # type: ignore[attr-defined]
    finally:
        rdflib_log.setLevel(level)
    return None, None, message


def _shorten(message: str, limit: int = 120) -> str:
    """A parser's message on one line, without a long echo of the input."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit] + "…"


class BufferLimitError(InputError):
    """Oxigraph's parsers hold one term in a buffer of at most 16 MiB: a longer literal does not fit."""


def parse_with_rdflib(path: Path) -> rdflib.Graph:
    """Parse with rdflib, which has no limit on the length of a term (but is slower than Oxigraph)."""
    import rdflib

    graph = rdflib.Graph()
    # N-Triples is Turtle; rdflib's own N-Triples reader takes minutes over a line of megabytes.
    fmt = {"ttl": "turtle", "owl": "xml", "nt": "turtle", "jsonld": "json-ld"}[EXTENSIONS[path.suffix.lower()]]
    try:
        graph.parse(path, format=fmt)
    except MemoryError:
        raise
    except Exception as err:  # noqa: BLE001 -- rdflib's parsers raise many types; each becomes one line
        raise InputError(f"{path}: syntax error: {_shorten(str(err))}") from None
    return graph


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None


def parse_triples(path: str | Path, data: bytes | None = None, fmt: str | None = None) -> Iterator[ox.Triple]:
    """Parse an RDF file with Oxigraph, yielding :class:`pyoxigraph.Triple` objects.

    ``fmt`` (a key of :data:`FORMATS`) follows the extension unless given;
    ``data`` is the file's content unless given (RDF made from another
    syntax, named by ``path`` in messages). A missing file or a syntax error
    raises :class:`InputError` naming the file, line and column, as does an
    RDF 1.2 triple term (see :func:`refuse_triple_terms`); a term longer than
    Oxigraph takes, :class:`BufferLimitError`.

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> next(parse_triples(ontology_path())).subject.value
    'http://purl.obolibrary.org/obo/ccut.owl'
    """
    import pyoxigraph as ox

    path = Path(path)
    rdf = rdf_format(path, fmt)
    from_file = data is None  # otherwise a line and column would be those of the RDF made from the file
    if from_file:
        _file_size(path)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror})") from None
    try:
        for quad in ox.parse(data, format=rdf, base_iri=base_iri(path)):
            if type(quad.object) is ox.Triple:
                raise _triple_term_error(path, quad.triple)
            yield quad.triple
    except SyntaxError as err:
        if not from_file:
            message = err.msg.split(": ", 1)[-1] if err.msg.startswith("Parser error at") else err.msg
            raise InputError(f"{path}: the RDF made from it does not parse: {_shorten(message)}") from None
        raise syntax_error(path, err, data, fmt) from None
    except MemoryError as err:
        raise BufferLimitError(f"{path}: a term longer than Oxigraph's parser takes ({err})") from None


def oxigraph_triples(graph: rdflib.Graph) -> list:
    """The triples of an :class:`rdflib.Graph` as :class:`pyoxigraph.Triple` objects.

    Examples
    --------
    >>> import rdflib
    >>> g = rdflib.Graph().parse(data="<http://e/a> <http://e/b> 'c' .", format="turtle")
    >>> oxigraph_triples(g)[0].object.value
    'c'
    """
    import pyoxigraph as ox

    cache: dict = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = cache.get(node)
        if found is None:
            found = cache[node] = oxigraph_term(node)  # type: ignore[arg-type]  # rdflib types them as Node
        return found

    # An rdflib graph's terms are URIRef, BNode or Literal (URIRef or BNode as subjects, URIRef as predicates).
    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]  # type: ignore[arg-type]


def oxigraph_term(node: rdflib.URIRef | rdflib.BNode | rdflib.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equal :mod:`pyoxigraph` term.

    Examples
    --------
    >>> import rdflib
    >>> oxigraph_term(rdflib.Literal("calcinosis", lang="en"))
    <Literal value=calcinosis language=en>
    """
    import pyoxigraph as ox
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def load_files(store: ox.Store, paths: list[Path], bulk: bool, graphs: list[str] | None = None) -> None:
    """Parse each file into the default graph of ``store``; each file's blank nodes are its own.

    ``bulk``: with Oxigraph's bulk loader (an on-disk store), fed
    :data:`BULK_BATCH` quads at a time. A file with a term longer than
    Oxigraph's parser takes is read by rdflib instead. With ``graphs`` (an
    IRI for each file, see :func:`graph_names`), each file goes into its
    named graph too, sharing its blank nodes with the default graph: a
    dataset whose default graph is the union of the named ones. (The union
    is stored, not left to Oxigraph's ``use_default_graph_as_union``, which
    gives a triple two files share once for each graph it is in.)

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> from kgtools.resources import ontology_path
    >>> store = ox.Store()
    >>> load_files(store, [ontology_path()], bulk=False, graphs=["http://purl.obolibrary.org/obo/ccut.owl"])
    >>> in_default = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    >>> [g.value for g in store.named_graphs()], len(store) == 2 * in_default
    (['http://purl.obolibrary.org/obo/ccut.owl'], True)
    """
    import itertools

    import pyoxigraph as ox

    names: list[str | None] = list(graphs) if graphs else [None] * len(paths)
    for path, name in zip(paths, names):
        graph = ox.NamedNode(name) if name else None

        def with_graph(quads: list[ox.Quad], graph: ox.NamedNode | None = graph) -> list[ox.Quad]:
            return quads if graph is None else quads + [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]

        try:
            if bulk:
                quads = ox.parse(path=str(path), format=rdf_format(path), base_iri=base_iri(path))
                while batch := list(itertools.islice(quads, BULK_BATCH)):
                    store.bulk_extend(with_graph(batch))
            elif graph is None:
                store.load(path=str(path), format=rdf_format(path), base_iri=base_iri(path))
            else:  # parsed by Oxigraph into the named graph, then copied inside the store (the same blank nodes)
                store.load(path=str(path), format=rdf_format(path), base_iri=base_iri(path), to_graph=graph)
                store.update(f"ADD {graph} TO DEFAULT")
        except SyntaxError as err:
            raise syntax_error(path, err) from None
        except MemoryError:
            store.extend(with_graph([ox.Quad(t.subject, t.predicate, t.object)
                                     for t in oxigraph_triples(parse_with_rdflib(path))]))
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    refuse_triple_terms(store, paths)


def refuse_triple_terms(store: ox.Store, paths: list[Path]) -> None:
    """Raise :class:`InputError` naming the first of ``paths`` with an RDF 1.2 triple term (``<<( s p o )>>``) as
    an object, held in the default graph of ``store``: OWL 2 has no reading for one, and the ontology's
    serialisations none; the commands read RDF 1.1.

    Examples
    --------
    >>> import pyoxigraph as ox, tempfile, pathlib
    >>> said = pathlib.Path(tempfile.mkdtemp()) / "said.ttl"
    >>> _ = said.write_text("<http://e/a> <http://e/says> <<( <http://e/b> <http://e/c> <http://e/d> )>> .\\n")
    >>> store = ox.Store()
    >>> store.load(path=str(said), format=ox.RdfFormat.TURTLE)
    >>> refuse_triple_terms(store, [said])
    Traceback (most recent call last):
    ...
    kgtools.errors.InputError: .../said.ttl: an RDF 1.2 triple term, <<( <http://e/b> <http://e/c> <http://e/d> )>> (object of <http://e/a> <http://e/says>): OWL 2 has no reading for one; kgtools reads RDF 1.1
    """
    import pyoxigraph as ox

    found = list(store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isTRIPLE(?o)) } LIMIT 1"))  # type: ignore[arg-type]
    if not found:
        return
    for path in paths:  # the file it came from, read again: only now, when there is one
        for _ in parse_triples(path):
            pass
    row = found[0]
    raise _triple_term_error(paths[0], ox.Triple(row["s"], row["p"], row["o"]))


def _triple_term_error(path: Path, triple: ox.Triple) -> InputError:
    term = triple.object
    return InputError(f"{path}: an RDF 1.2 triple term, <<( {term.subject} {term.predicate} {term.object} )>> "  # type: ignore[union-attr]
                      f"(object of {triple.subject} {triple.predicate}): OWL 2 has no reading for one; kgtools reads "
                      "RDF 1.1")


#: How many triples of a file are read for its ``owl:Ontology`` header before its file URL names it.
_HEADER_TRIPLES = 1000


def graph_names(paths: Iterable[str | Path], named: dict | None = None) -> list[str]:
    """The IRI of the named graph of each file: given in ``named`` (path -> IRI), or else the file's
    ontology IRI (the subject of ``owl:Ontology`` among its first triples), or else its file URL.

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> graph_names([ontology_path()])
    ['http://purl.obolibrary.org/obo/ccut.owl']
    """
    import itertools

    import pyoxigraph as ox

    ontology = (ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + "Ontology"))
    names = []
    for path in map(Path, paths):
        name = (named or {}).get(path)
        if name is None:
            name = base_iri(path)
            try:
                with open(path, "rb") as handle:
                    quads = ox.parse(handle, format=rdf_format(path), base_iri=base_iri(path))
                    for quad in itertools.islice(quads, _HEADER_TRIPLES):
                        if (quad.predicate, quad.object) == ontology and isinstance(quad.subject, ox.NamedNode):
                            name = quad.subject.value
                            break
            except (SyntaxError, MemoryError):
                pass  # the file's error is told where it is loaded
            except OSError as err:
                raise InputError(f"{path}: cannot read ({err.strerror})") from None
        names.append(name)
    return names


def cache_directory() -> Path:
    """Where persistent stores are kept: ``$XDG_CACHE_HOME/kgtools/stores``, or ``~/.cache/kgtools/stores``.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"XDG_CACHE_HOME": "/var/cache/me"}):
    ...     str(cache_directory())
    '/var/cache/me/kgtools/stores'
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG specification: a relative path is invalid and is ignored.
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "kgtools" / "stores"


def store_key(paths: list[Path], graphs: list[str] | None = None) -> str:
    """The key of the store made of ``paths``: a digest of their bytes, formats and base IRIs, of the versions,
    and of the named graphs they go into (``graphs``, see :func:`load_files`).

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> len(store_key([ontology_path()]))
    32
    """
    import hashlib

    import pyoxigraph  # its version from the module: importlib.metadata would cost more than the whole key

    digest = hashlib.sha256(f"{_LAYOUT}\0{pyoxigraph.__version__}\0".encode())
    if graphs is not None:
        digest.update(f"graphs\0{json.dumps(graphs)}\0".encode())
    for path in paths:
        try:
            with open(path, "rb") as handle:
                content = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror})") from None
        digest.update(f"{rdf_format(path)}\0{base_iri(path)}\0{content}\0".encode())
    return digest.hexdigest()[:32]


def open_store(paths: Iterable[str | Path], cache: str | Path | None = None,
               graphs: list[str] | None = None) -> tuple[ox.Store, Path | None]:
    """The store of record for the RDF files ``paths``, and where it lies on disk (None: in memory).

    With ``graphs``, a dataset: each file in its named graph too (see :func:`load_files`).

    With ``cache`` (a directory), or when the files make :data:`PERSIST_BYTES`
    or more, the store is the persistent one for these files in ``cache``
    (default :func:`cache_directory`), opened read-only; the first time, the
    files are parsed into memory and a process of its own builds it. Otherwise the files are
    parsed into memory.

    Examples
    --------
    >>> import tempfile
    >>> from kgtools.resources import ontology_path
    >>> cache = tempfile.mkdtemp()
    >>> first, location = open_store([ontology_path()], cache)
    >>> location is None  # parsed into memory; the persistent store is built beside
    True
    >>> wait_for_builds()
    >>> again, location = open_store([ontology_path()], cache)
    >>> location.parent == Path(cache), len(first) == len(again)
    (True, True)
    """
    import pyoxigraph as ox

    files = [Path(p) for p in paths]
    location = persistent_store(files, cache, graphs)
    if location is not None and location.is_dir():
        try:
            store = ox.Store.read_only(str(location))
        except OSError as err:
            raise InputError(f"{location}: cannot open the store ({err})") from None
        mark_used(location)
        return store, location
    if location is not None:
        # The first time: the files are parsed into memory for this command, and a process of its own
        # (detached and niced, as git runs its automatic gc) builds the persistent store for the next ones.
        build_store(location, files, graphs)
    store = ox.Store()
    load_files(store, files, bulk=False, graphs=graphs)
    return store, None


def persistent_store(paths: Iterable[str | Path], cache: str | Path | None = None,
                     graphs: list[str] | None = None) -> Path | None:
    """Where the persistent store of the RDF files ``paths`` lies (built or not), or None when they stay in memory.

    The choice of :func:`open_store`: a persistent store with ``cache``, or
    for :data:`PERSIST_BYTES` of files or more. The store is held (the
    cleaner leaves it alone) while this process runs.

    Examples
    --------
    >>> from kgtools.resources import ontology_path
    >>> persistent_store([ontology_path()]) is None  # small: parsed into memory each time
    True
    """
    files = [Path(p) for p in paths]
    size = sum(_file_size(path) for path in files)
    if cache is None and size < PERSIST_BYTES:
        return None
    root = Path(cache) if cache is not None else cache_directory()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"{root}: cannot make the store directory ({err.strerror})") from None
    key = store_key(files, graphs)
    _hold(root, key)
    return root / key


def stored_quads(location: Path) -> int:
    """How many quads the persistent store at ``location`` (built) holds, as its builder counted them.

    Examples
    --------
    >>> import tempfile
    >>> from kgtools.resources import ontology_path
    >>> cache = tempfile.mkdtemp()
    >>> parsed, _ = open_store([ontology_path()], cache)
    >>> wait_for_builds()
    >>> stored_quads(persistent_store([ontology_path()], cache)) == len(parsed)
    True
    """
    return json.loads((location / "kgtools-inputs.json").read_text())["quads"]


def mark_used(location: Path) -> None:
    """Mark the persistent store at ``location`` most recently used (the last the cleaner would remove), then
    let the cleaner remove the least recently used ones beyond :data:`MAX_STORES`."""
    os.utime(location)
    _clean(location.parent)


def build_store(location: Path, paths: Iterable[str | Path], graphs: list[str] | None = None) -> None:
    """Build the persistent store at ``location`` from ``paths`` (into ``graphs`` too, see :func:`load_files`)
    in a detached process; do not wait for it.

    Nothing starts when it is built already, or while a process builds it.
    """
    if not location.is_dir():
        _start_build(location.parent, location.name, [Path(p) for p in paths], graphs)


def wait_for_store(location: Path) -> bool:
    """Wait until no process builds the persistent store at ``location``; whether it is then in place."""
    wait_for_builds()
    while _building(location.parent, location.name):
        time.sleep(0.2)
    return location.is_dir()


def fill_store(directory: str | Path, paths: Iterable[str | Path] = (), quads: Iterable[ox.Quad] | None = None,
               graphs: list[str] | None = None) -> ox.Store:
    """The on-disk Oxigraph store in ``directory`` (created if missing), filled if it holds nothing yet.

    The store is filled from the RDF files ``paths`` with Oxigraph's bulk
    loader, straight from the files, or else from ``quads``; a store that
    already holds triples is kept as it is, and one left unfinished by a bad
    file is emptied. A folder Oxigraph cannot open (not a store, locked by
    another process) raises :class:`~kgtools.errors.InputError`.

    Examples
    --------
    >>> import tempfile
    >>> from kgtools.resources import ontology_path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     len(fill_store(folder, [ontology_path()])) > 2000
    True
    """
    import pyoxigraph as ox

    try:
        store = ox.Store(str(directory))
    except OSError as err:
        raise InputError(f"{directory}: cannot open the store ({err})") from None
    if next(store.quads_for_pattern(None, None, None), None) is not None:  # len() would count every quad
        return store
    try:
        if quads is None:
            load_files(store, [Path(p) for p in paths], bulk=True, graphs=graphs)
        else:
            store.bulk_extend(quads)
    except BaseException:
        store.clear()
        raise
    store.flush()
    store.optimize()  # the batches' files merged: readers look a term up in one place
    return store


def _lock_path(root: Path, key: str) -> Path:
    return root / f".{key}.lock"


def _hold(root: Path, key: str) -> None:
    """Take (and keep, while this process runs) a shared lock on the store ``key``: the cleaner leaves it alone."""
    import fcntl

    if key in _LOCKS:
        return
    while True:
        lock = _lock_path(root, key)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            _LOCKS[key] = fd
            return
        os.close(fd)  # the cleaner removed this lock (and its store) meanwhile: take the new one


def _start_build(root: Path, key: str, paths: list[Path], graphs: list[str] | None) -> None:
    """Build the store ``key`` in a detached process, unless one is building it already; do not wait for it."""
    import subprocess

    if _building(root, key):
        return
    _BUILDS.append(subprocess.Popen(
        [sys.executable, "-m", "kgtools.store", str(root), key, json.dumps(graphs), *map(str, paths)],
        start_new_session=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def _building(root: Path, key: str) -> bool:
    """Whether a process holds the build lock of the store ``key``."""
    import fcntl

    fd = os.open(root / f".{key}.build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def wait_for_builds() -> None:
    """Wait until the stores this process started building are in place (a command never waits for them)."""
    while _BUILDS:
        _BUILDS.pop().wait()


def _build_alone(root: Path, key: str, paths: list[Path], graphs: list[str] | None) -> None:
    """:func:`_build` under the store's exclusive build lock (held until this process ends), then clean the cache.

    A failure only means no store this time: the command that started the
    build parsed the same files and said what was wrong with them.
    """
    import fcntl

    fd = os.open(root / f".{key}.build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another process is building it
    _hold(root, key)
    try:
        if not (root / key).is_dir():
            _build(root, key, paths, graphs)
        _clean(root)
    except Exception:  # noqa: BLE001 -- see above
        pass


def _build(root: Path, key: str, paths: list[Path], graphs: list[str] | None) -> None:
    """Load ``paths`` into a new on-disk store, in a temporary directory renamed into place when complete."""
    import shutil
    import tempfile

    building = Path(tempfile.mkdtemp(dir=root, prefix=f".{key}.", suffix=".build"))
    try:
        store = fill_store(building, paths, graphs=graphs)
        quads = len(store)
        del store  # closed: a read-only open may follow
        (building / "kgtools-inputs.json").write_text(json.dumps(
            {"layout": _LAYOUT, "inputs": [str(p.resolve()) for p in paths], "quads": quads}, indent=1) + "\n")
        try:
            os.rename(building, root / key)
        except OSError:
            if not (root / key).is_dir():
                raise
            shutil.rmtree(building, ignore_errors=True)  # another process made the same store first
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _clean(root: Path) -> None:
    """Remove the least recently used stores beyond :data:`MAX_STORES` that no process holds, and dead builds."""
    import fcntl
    import shutil

    stores, now = [], time.time()
    for entry in root.iterdir():
        try:
            modified = entry.stat().st_mtime
        except FileNotFoundError:
            continue
        if entry.name.endswith((".build", ".removed")) and now - modified > _STALE_BUILD:
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_dir() and not entry.name.startswith("."):
            stores.append((modified, entry))
    for _, entry in sorted(stores, reverse=True)[MAX_STORES:]:
        key = entry.name
        if key in _LOCKS:
            continue
        lock = _lock_path(root, key)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # in use
        try:
            doomed = root / f".{key}.{os.getpid()}.removed"
            os.rename(entry, doomed)
            os.unlink(lock)
        except OSError:
            doomed = None
        finally:
            os.close(fd)
        if doomed is not None:
            shutil.rmtree(doomed, ignore_errors=True)


if __name__ == "__main__":
    # The builder process: ``python -m kgtools.store CACHE KEY GRAPHS FILE...`` (GRAPHS: JSON), started by open_store.
    os.nice(10)
    _build_alone(Path(sys.argv[1]), sys.argv[2], [Path(p) for p in sys.argv[4:]], json.loads(sys.argv[3]))
