"""Stored SPARQL queries and the embedded engines that run them.

The query library is the ``queries/`` folder: one ``.rq`` file per query,
opened by a header of comment lines that this module reads::

    # title: Forms associated with a condition
    # description: The forms the text associates with a condition ...
    #   (indented lines continue the description)
    # param: condition (entity, default dermatomyositis): the condition
    # example: kgtools query forms-for-condition --param condition="renal failure"

A parameter has a type -- ``entity`` (a label, synonym, CURIE or IRI, resolved
with :meth:`~kgtools.ontology.Ontology.lookup`), ``entities`` (the same,
repeated), ``iri``, ``string``, ``integer`` or ``boolean`` -- and a default,
or ``optional`` (left unbound), or neither (required). Values are never
pasted into the query text: on every engine they are bound as RDF terms in
a ``VALUES`` block at the start of the query's outer ``WHERE`` group (or
where a ``# @parameters`` comment line stands), written from RDF terms
serialised as N-Triples, so a quote or an angle bracket in a value stays
inside its term. (Oxigraph's ``substitutions`` bind only projected
variables, unseen by a FILTER; rdflib's ``initBindings`` leak into
subqueries: the same VALUES block gives the same answer everywhere.)

Two engines run a query here: :class:`OxigraphEngine` (the default, an
in-memory or on-disk :class:`pyoxigraph.Store`) and :class:`RdflibEngine`
(the :class:`rdflib.Graph`); :class:`kgtools.sparql.remote.RemoteEngine` runs it on
any SPARQL 1.1 endpoint. All return a :class:`Result`, written out in the standard SPARQL
result formats by :func:`serialize_result`. Every engine is read-only:
:func:`check_read_only` refuses SPARQL Update and ``SERVICE``.

Examples
--------
>>> from kgtools.ontology import Ontology
>>> onto = Ontology.load()
>>> result = run_stored(onto, "forms-for-condition", {"condition": "dermatomyositis"})
>>> [(row["form_label"], row["hedge_label"]) for row in result.records()]
[('calcinosis universalis', 'as a rule')]
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field, replace
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from kgtools import resources
from kgtools.errors import InputError, KgtoolsError, NotAcceptable, QueryError, RefusedError, ResultTooLarge  # noqa: F401 (API)
from kgtools.sparql.querytext import (check_read_only, insert_values, may_hold_service, parse_query,
                                      query_form)
from kgtools.vocabulary import XSD as _XSD

if TYPE_CHECKING:  # typed without importing pyoxigraph (or the ontology module) when the module loads
    import pyoxigraph as ox

    from kgtools.ontology import Ontology

#: Parameter types a stored query may declare.
PARAM_TYPES = ("entity", "entities", "iri", "string", "integer", "boolean")
#: Output formats: a readable table, the SPARQL result formats, RDF formats for CONSTRUCT/DESCRIBE.
RESULT_FORMATS = ("table", "json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
#: The name of each graph format among pyoxigraph's ``RdfFormat``.
RDF_FORMAT_NAMES = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD", "rdfxml": "RDF_XML"}
FORMATS = RESULT_FORMATS + GRAPH_FORMATS
#: Media types of the formats, for HTTP content negotiation.
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


# --------------------------------------------------------------------------- catalogue
@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a stored query.

    Examples
    --------
    >>> Parameter("line", "integer", optional=True).required
    False
    """

    name: str
    type: str
    default: str | None = None
    optional: bool = False
    description: str = ""

    @property
    def required(self) -> bool:
        """Whether the caller must give a value."""
        return self.default is None and not self.optional

    def as_dict(self) -> dict:
        """The parameter as plain data."""
        return {"name": self.name, "type": self.type, "default": self.default, "optional": self.optional,
                "required": self.required, "description": self.description}


@dataclass(frozen=True)
class StoredQuery:
    """A query of the library: its header fields and its SPARQL text.

    Examples
    --------
    >>> [p["name"] for p in get_query("is-associated").as_dict()["parameters"]]
    ['form', 'condition']
    """

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    example: str
    text: str

    def as_dict(self) -> dict:
        """The query's header as plain data (for JSON output and the endpoint)."""
        return {"name": self.name, "title": self.title, "description": self.description,
                "parameters": [p.as_dict() for p in self.parameters], "example": self.example}


_PARAM_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)(?:,\s*(?P<extra>[^)]*))?\)\s*:?\s*(?P<doc>.*)$")


def parse_header(text: str, name: str = "query", path: Path | None = None) -> StoredQuery:
    """Read the header block of a ``.rq`` file into a :class:`StoredQuery`.

    Examples
    --------
    >>> q = parse_header('''# title: Forms
    ... # description: The forms,
    ... #   one per row.
    ... # param: form (entity, default calcinosis cutis): the root form
    ... # example: kgtools query forms
    ... SELECT ?form WHERE { ?form ?p ?o }''', "forms")
    >>> q.description, q.parameters[0].default
    ('The forms, one per row.', 'calcinosis cutis')
    """
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped[1:]
        match = re.match(r"\s*(title|description|param|example):\s*(.*)$", body)
        if match:
            last = match.group(1)
            fields[last].append(match.group(2).strip())
        elif last and body.startswith("  ") and body.strip():
            fields[last][-1] += " " + body.strip()
    where = path or name
    if not fields["title"]:
        raise QueryError(f"{where}: the header has no '# title:' line")
    parameters = []
    for spec in fields["param"]:
        match = _PARAM_RE.match(spec)
        if not match or match.group("type") not in PARAM_TYPES:
            raise QueryError(f"{where}: bad parameter line {spec!r} "
                             f"(expected 'NAME (TYPE[, default VALUE | optional]): description', TYPE one of {', '.join(PARAM_TYPES)})")
        extra = (match.group("extra") or "").strip()
        default = extra[len("default"):].strip() if extra.startswith("default") else None
        parameters.append(Parameter(match.group("name"), match.group("type"), default or None, extra == "optional",
                                    match.group("doc").strip()))
    return StoredQuery(name, path or Path(name), fields["title"][0], " ".join(fields["description"]),
                       tuple(parameters), " ".join(fields["example"]), text)


def catalog(directory: str | Path | None = None) -> dict[str, StoredQuery]:
    """The stored queries by name (the file name without ``.rq``), sorted.

    Examples
    --------
    >>> queries = catalog()
    >>> len(queries) >= 15 and "differential" in queries
    True
    """
    directory = Path(directory) if directory else resources.data_dir("queries")
    files = tuple((path, path.stat().st_mtime_ns) for path in sorted(directory.glob("*.rq")))
    return dict(_read_catalog(files))


@functools.lru_cache(maxsize=8)
def _read_catalog(files: tuple) -> dict[str, StoredQuery]:
    """The stored queries of ``files`` ((path, modification time) pairs): read once while they are unchanged."""
    return {path.stem: parse_header(path.read_text(encoding="utf-8"), path.stem, path) for path, _ in files}


def get_query(name_or_file: str) -> StoredQuery:
    """A stored query by name, or a ``.rq``/``.sparql`` file by path (its header is optional then).

    Examples
    --------
    >>> get_query("forms").title
    'Forms of calcinosis cutis and their hierarchy'
    """
    queries = catalog()
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.suffix in (".rq", ".sparql") or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror})") from None
        except UnicodeDecodeError as err:
            raise InputError(f"{path}: not UTF-8 text (byte {err.start})") from None
        return query_from_text(text, path)
    import difflib

    close = difflib.get_close_matches(name_or_file, list(queries), n=3)
    hint = f"; did you mean: {', '.join(close)}?" if close else " (see `kgtools queries`)"
    if not close and _is_query_text(name_or_file):
        hint = ": the text of a query is read from a .rq file, or from standard input with `-` (kgtools query - < q.rq)"
    shown = name_or_file if len(name_or_file) <= 60 else name_or_file[:57] + "..."
    raise QueryError(f"unknown query {shown!r}{hint}")


def _is_query_text(text: str) -> bool:
    try:
        query_form(text)
    except KgtoolsError:
        return False
    return True


def query_from_text(text: str, path: Path) -> StoredQuery:
    """A query of one's own, from its text, named after ``path`` (a ``.rq`` file, or what stands for standard
    input); its header is optional, the title then the file's name.

    Examples
    --------
    >>> mine = query_from_text("ASK { ?s ?p ?o }", Path("mine.rq"))
    >>> mine.name, mine.title, mine.parameters
    ('mine', 'mine.rq', ())
    """
    if not re.search(r"^\s*#\s*title:", text, re.M):
        # The text itself is what runs, so that an error's line is a line of the file.
        return replace(parse_header(f"# title: {path.name}\n" + text, path.stem, path), text=text)
    return parse_header(text, path.stem, path)


# --------------------------------------------------------------------------- parameters
def bind_parameters(onto: Ontology, query: StoredQuery, given: dict[str, str | list[str]]) -> dict[str, object]:
    """Turn the caller's parameter values (strings) into RDF terms.

    ``entity`` values are looked up in the ontology (label, synonym, CURIE or
    IRI); ``entities`` take a list (or one comma-free string); unknown names
    and values of the wrong type raise :class:`QueryError` /
    :class:`~kgtools.errors.UnknownTermError`. The result maps each variable
    to a :mod:`pyoxigraph` term, or to a list of terms for ``entities``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> bound = bind_parameters(Ontology.load(), get_query("forms-for-condition"), {"condition": "renal failure"})
    >>> bound["condition"].value
    'http://purl.obolibrary.org/obo/CCUT_0003006'
    """
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        names = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {unknown[0]!r} (its parameters: {names})")
    bound: dict[str, object] = {}
    for param in query.parameters:
        value = given.get(param.name, param.default)
        if value is None or value == [] or value == "":
            if param.required:
                raise QueryError(f"query {query.name!r} needs the parameter {param.name!r} ({param.type})")
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        if param.type != "entities" and len(values) > 1:
            raise QueryError(f"parameter {param.name!r} takes one value, got {len(values)}")
        terms = [_term(onto, param, str(v)) for v in values]
        bound[param.name] = terms if param.type == "entities" else terms[0]
    return bound


def _term(onto, param: Parameter, value: str):
    import pyoxigraph as ox

    try:
        if param.type in ("entity", "entities"):
            return ox.NamedNode(onto.lookup(value).iri)
        if param.type == "iri":
            # A full IRI as given, a CURIE expanded; Oxigraph refuses anything that is not an IRI.
            return ox.NamedNode(value if "://" in value else onto.expand(value) or value)
        if param.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
        if param.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError(value)
            return ox.Literal(value.lower(), datatype=ox.NamedNode(_XSD + "boolean"))
        return ox.Literal(value)
    except ValueError:
        raise QueryError(f"parameter {param.name!r}: {value!r} is not a valid {param.type}") from None


# --------------------------------------------------------------------------- results
@dataclass
class Result:
    """What a query returned: solutions (``kind="bindings"``), a boolean, or triples (``kind="graph"``).

    Rows hold :mod:`pyoxigraph` terms (or None where a variable is unbound),
    whichever engine ran the query.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)

    def records(self) -> list[dict]:
        """The rows as dicts of plain values (IRIs and literal values as strings, numbers as numbers).

        Examples
        --------
        >>> import pyoxigraph as ox
        >>> Result("bindings", ["n"], [(ox.Literal("3", datatype=ox.NamedNode(_XSD + "integer")),)]).records()
        [{'n': 3}]
        """
        return [{var: _plain(term) for var, term in zip(self.variables, row)} for row in self.rows]

    def normalized(self) -> set:
        """The rows (or triples) as a set of N-Triples strings, blank nodes made anonymous:
        the form in which two engines' answers compare equal.

        Examples
        --------
        >>> import pyoxigraph as ox
        >>> Result("bindings", ["x", "y"], [(ox.BlankNode("b1"), ox.Literal("a"))]).normalized()
        {('_:b', '"a"')}
        """
        def nt(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
            if term is None:
                return None
            return "_:b" if type(term).__name__ == "BlankNode" else str(term)

        if self.kind == "boolean":
            return {self.boolean}
        if self.kind == "graph":
            return {tuple(nt(t) for t in (tr.subject, tr.predicate, tr.object)) for tr in self.triples}
        return {tuple(nt(t) for t in row) for row in self.rows}


def _plain(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in (_XSD + "integer", _XSD + "int", _XSD + "long"):
            return int(term.value)
        if datatype in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
            return float(term.value)
        if datatype == _XSD + "boolean":
            return term.value == "true"
    return term.value


def _to_json(result: Result) -> bytes:
    """The SPARQL 1.1 JSON results of a SELECT or ASK result."""
    import pyoxigraph as ox

    if result.kind == "boolean":
        return json.dumps({"head": {}, "boolean": result.boolean}).encode()

    def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
        if isinstance(term, ox.NamedNode):
            return {"type": "uri", "value": term.value}
        if isinstance(term, ox.BlankNode):
            return {"type": "bnode", "value": term.value}
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD + "string":
            out["datatype"] = term.datatype.value
        return out

    bindings = [{var: cell(term) for var, term in zip(result.variables, row) if term is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def serialize_result(result: Result, fmt: str) -> bytes:
    """A result in a standard format: json, xml, csv, tsv (SELECT, ASK) or
    turtle, ntriples, jsonld, rdfxml (CONSTRUCT, DESCRIBE).

    SPARQL result formats are written by Oxigraph's serialisers.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> print(serialize_result(Result("bindings", ["x"], [(ox.NamedNode("http://e/a"),)]), "csv").decode())
    x\r
    http://e/a\r
    <BLANKLINE>
    """
    import pyoxigraph as ox

    from kgtools.ontology import OBO, load_prefixes

    if result.kind == "graph":
        if fmt not in RDF_FORMAT_NAMES:
            raise QueryError(f"a {result.kind} result is written as {', '.join(GRAPH_FORMATS)}, not {fmt}")
        prefixes = None if fmt == "ntriples" else dict(load_prefixes(), obo=OBO)
        return cast(bytes, ox.serialize(result.triples, format=getattr(ox.RdfFormat, RDF_FORMAT_NAMES[fmt]),
                                        prefixes=prefixes))
    names = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
    if fmt not in names:
        raise QueryError(f"a {'SELECT' if result.kind == 'bindings' else 'ASK'} result is written as "
                         f"{', '.join(RESULT_FORMATS)}, not {fmt}")
    data = _to_json(result)
    if fmt == "json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return cast(bytes, parsed.serialize(format=getattr(ox.QueryResultsFormat, names[fmt])))


def table(result: Result, curie: Callable[[str], str | None] | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of strings for a readable table.

    A variable ``x`` with a companion ``x_label`` becomes one column showing
    the label (the CURIE where there is none); other IRIs show as CURIEs
    (with ``curie``, a function IRI -> CURIE or None), literals as their text.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> from kgtools.ontology import converter
    >>> iri = ox.NamedNode("http://purl.obolibrary.org/obo/CCUT_0001004")
    >>> table(Result("bindings", ["form", "form_label", "site"], [(iri, ox.Literal("calciphylaxis"), iri)]),
    ...       converter().compress)
    (['form', 'site'], [['calciphylaxis', 'CCUT:0001004']])
    """
    import pyoxigraph as ox

    def show(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return (curie(term.value) if curie else None) or term.value
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return term.value

    if result.kind == "boolean":
        return ["answer"], [["yes" if result.boolean else "no"]]
    if result.kind == "graph":
        return ["subject", "predicate", "object"], [[show(t.subject), show(t.predicate), show(t.object)]
                                                    for t in result.triples]
    variables = list(result.variables)
    labelled = {v: variables.index(v + "_label") for v in variables if v + "_label" in variables}
    shown = [i for i, v in enumerate(variables) if not (v.endswith("_label") and v[:-6] in labelled)]
    headers = [variables[i][:-6] if variables[i].endswith("_label") else variables[i] for i in shown]

    def cell(row: tuple, i: int) -> str:
        label = row[labelled[variables[i]]] if variables[i] in labelled else None
        return show(label if label is not None else row[i])

    return headers, [[cell(row, i) for i in shown] for row in result.rows]


# --------------------------------------------------------------------------- engines
@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs on, named by graph IRIs, as the SPARQL 1.1 Protocol's
    ``default-graph-uri`` and ``named-graph-uri`` give it: the graphs ``default`` merged into its default
    graph, and the graphs ``named`` that ``GRAPH`` may name. A graph that the store does not hold is empty.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1"),
    ...                   ox.NamedNode("http://e/g")))
    >>> OxigraphEngine(store).run("ASK { ?s ?p ?o }").boolean
    False
    >>> OxigraphEngine(store, Dataset(["http://e/g"])).run("ASK { ?s ?p ?o }").boolean
    True
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


def _as_lists(bindings: dict | None) -> dict[str, list]:
    return {k: v if isinstance(v, list) else [v] for k, v in (bindings or {}).items()}


def _take(rows, max_rows: int | None) -> list:
    out: list = []
    for row in rows:
        if max_rows is not None and len(out) >= max_rows:
            raise ResultTooLarge(f"the result has more than {max_rows} rows; add a LIMIT to the query")
        out.append(row)
    return out


@runtime_checkable
class Engine(Protocol):
    """What every engine does, whichever answers: Oxigraph (:class:`OxigraphEngine`), rdflib
    (:class:`RdflibEngine`) or a SPARQL endpoint (:class:`kgtools.sparql.remote.RemoteEngine`).
    :func:`kgtools.sparql.remote.open_engine` opens one by its name.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> engine = RdflibEngine(Ontology.load().graph)
    >>> isinstance(engine, Engine), engine.name
    (True, 'rdflib')
    """

    #: The engine's name, as ``--engine`` and the reports say it.
    name: str

    def run(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        """Run a read-only query, the parameters ``bindings`` bound as RDF terms; refuse more than ``max_rows``
        rows (:class:`ResultTooLarge`)."""
        ...


class OxigraphEngine:
    """Runs queries on a :class:`pyoxigraph.Store` (in memory, or on disk).

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> engine = OxigraphEngine.from_ontology(Ontology.load())
    >>> engine.run("ASK { ?s ?p ?o }").boolean
    True
    """

    name = "oxigraph"

    def __init__(self, store, dataset: Dataset | None = None):
        self.store, self.dataset = store, dataset

    @classmethod
    def from_ontology(cls, onto: Ontology, directory: str | Path | None = None) -> "OxigraphEngine":
        """An engine over the ontology's own store, or over a store directory (filled once from it, reused after)."""
        import pyoxigraph as ox

        from kgtools.store import fill_store

        if directory is None:
            return cls(onto.store)
        return cls(fill_store(directory, quads=onto.store.quads_for_pattern(None, None, None, ox.DefaultGraph())))

    def run(self, text: str, bindings: dict | None = None, max_rows: int | None = None,
            base_iri: str | None = None) -> Result:
        """Run a read-only query with parameters bound as RDF terms.

        Relative IRIs resolve against ``base_iri``. The engine's ``dataset``
        (default: the store's default graph, and every named graph) replaces
        the query's own ``FROM``/``FROM NAMED``, as the SPARQL Protocol's graph
        parameters do.

        The query is parsed once, by Oxigraph, which runs it: its parser takes
        queries only, so an update (``LOAD`` included) never runs; only then is
        it told apart from a syntax error, by :func:`check_read_only`. A query
        that may hold ``SERVICE`` (:func:`may_hold_service`) is checked first.
        """
        import pyoxigraph as ox

        answer = self._execute(text, bindings, base_iri)
        if isinstance(answer, ox.QueryBoolean):
            return Result("boolean", boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            return Result("graph", triples=_take(answer, max_rows))
        variables = [v.value for v in answer.variables]
        rows = _take((tuple(solution[v] for v in variables) for solution in answer), max_rows)
        return Result("bindings", variables, rows)

    def write(self, text: str, formats: list[str], bindings: dict | None = None, max_rows: int | None = None,
              base_iri: str | None = None) -> tuple[str, bytes]:
        """Run a query as :meth:`run` does; return the first of ``formats`` that can hold its answer, and the
        answer written in it.

        SELECT answers are written by Oxigraph's own writers, from the engine
        straight to bytes (no Python object for each row); rows are
        counted (against ``max_rows``) only when the answer is longer in bytes
        than ``max_rows``, since every row takes a byte at least. Raises
        :class:`NotAcceptable` when no format of ``formats`` fits the answer.

        Examples
        --------
        >>> from kgtools.ontology import Ontology
        >>> OxigraphEngine.from_ontology(Ontology.load()).write("SELECT (1 AS ?one) {}", ["turtle", "csv"])
        ('csv', b'one\\r\\n1\\r\\n')
        """
        import pyoxigraph as ox

        answer = self._execute(text, bindings, base_iri)
        graph = isinstance(answer, ox.QueryTriples)
        fitting = [f for f in formats if (f in GRAPH_FORMATS if graph else f in RESULT_FORMATS and f != "table")]
        if not fitting:
            raise NotAcceptable(f"a {'graph' if graph else 'solutions'} result cannot be written as "
                                f"{', '.join(formats) or 'the accepted media types'}")
        if graph:
            return fitting[0], serialize_result(Result("graph", triples=_take(answer, max_rows)), fitting[0])
        if isinstance(answer, ox.QueryBoolean):
            return fitting[0], serialize_result(Result("boolean", boolean=bool(answer)), fitting[0])
        data = answer.serialize(format=ox.QueryResultsFormat.JSON)
        if max_rows is not None and len(data) > max_rows:
            _take(ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON), max_rows)
        if fitting[0] == "json":
            return "json", data
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        return fitting[0], cast(bytes, parsed.serialize(format=getattr(ox.QueryResultsFormat, fitting[0].upper())))

    def _execute(self, text: str, bindings: dict | None, base_iri: str | None):
        """The checks of :meth:`run`, then Oxigraph's answer (a boolean, solutions or triples, not yet read)."""
        import pyoxigraph as ox

        # A VALUES block, not Oxigraph's ``substitutions``: those bind a variable in the
        # projection only, so a FILTER (EXISTS) over the parameter would not see it.
        text = insert_values(text, _as_lists(bindings))
        if may_hold_service(text):
            check_read_only(text)  # the text that runs is the text checked
        try:
            options = {} if self.dataset is None else {
                "default_graph": [ox.NamedNode(g) for g in self.dataset.default],
                "named_graphs": [ox.NamedNode(g) for g in self.dataset.named]}
            answer = self.store.query(text, base_iri=base_iri, **options)
        except SyntaxError as err:
            check_read_only(text)  # an update is refused as one; else the error is Oxigraph's
            raise QueryError(oxigraph_syntax_error(text, err)) from None
        except ValueError as err:  # a graph name or base that is no IRI
            raise QueryError(f"bad IRI: {err}") from None
        except OSError as err:
            raise QueryError(f"the query failed: {err}") from None
        return answer


def oxigraph_syntax_error(text: str, err: SyntaxError) -> str:
    """Oxigraph's message on a query that does not parse, as a curator reads it: the line and column, and for an
    undeclared prefix its name, rather than the characters the parser would have taken there.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> query = "SELECT ?label\\nWHERE { ?form rdfs:label ?label }"
    >>> try:
    ...     ox.Store().query(query)
    ... except SyntaxError as err:
    ...     print(oxigraph_syntax_error(query, err))
    SPARQL syntax error at line 2, column 15: the prefix 'rdfs:' is not declared (add a PREFIX line for it)
    """
    found = re.match(r"error at (\d+):(\d+): (.*)", str(err), re.S)
    if not found:
        return f"SPARQL syntax error: {err}"
    line, column, detail = int(found.group(1)), int(found.group(2)), " ".join(found.group(3).split())
    if detail.startswith("expected one of Prefix not found"):
        lines = text.split("\n")
        before = lines[line - 1][:column - 1] if 0 < line <= len(lines) else ""
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.%-]*$", before)  # Oxigraph points after the name: where it starts
        prefix = f"the prefix '{name.group(1) or ''}:'" if name else "a prefix"
        column -= len(name.group(0)) if name else 0
        detail = f"{prefix} is not declared (add a PREFIX line for it)"
    elif len(detail) > 160:
        detail = detail[:157] + "..."
    return f"SPARQL syntax error at line {line}, column {column}: {detail}"


class RdflibEngine:
    """Runs queries on an :class:`rdflib.Graph` with rdflib's SPARQL engine.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> RdflibEngine(Ontology.load().graph).run("ASK { ?s ?p ?o }").boolean
    True
    """

    name = "rdflib"

    def __init__(self, graph):
        self.graph = graph

    def run(self, text: str, bindings: dict | None = None, max_rows: int | None = None) -> Result:
        """Run a read-only query with parameters bound as RDF terms."""
        # A VALUES block, not rdflib's ``initBindings``: those also bind a variable of the
        # same name inside a subquery, where it is another variable.
        query = parse_query(insert_values(text, _as_lists(bindings)))
        try:
            # The algebra that was checked is the one evaluated: rdflib never parses the text again, and
            # its own engine runs it even on a graph over a store that answers SPARQL itself (oxrdflib).
            answer = self.graph.query(query, use_store_provided=False)
            if answer.type == "ASK":
                return Result("boolean", boolean=bool(answer.askAnswer))
            if answer.type in ("CONSTRUCT", "DESCRIBE"):
                from kgtools.ontology import oxigraph_triples

                return Result("graph", triples=_take(oxigraph_triples(answer.graph), max_rows))
            variables = [str(v) for v in answer.vars]
            cache: dict = {}
            rows = _take((tuple(_oxigraph(term, cache) for term in row) for row in answer), max_rows)
        except QueryError:
            raise
        except Exception as err:  # noqa: BLE001 -- rdflib raises pyparsing and assorted errors for bad queries
            raise QueryError(f"SPARQL error: {err}") from None
        return Result("bindings", variables, rows)


def _oxigraph(term, cache):
    import rdflib

    from kgtools.ontology import oxigraph_term

    if term is None:
        return None
    found = cache.get(term)
    if found is None:
        same = term
        if isinstance(term, rdflib.Literal) and term.datatype == rdflib.XSD.integer and term.value is not None:
            same = rdflib.Literal(int(term.value))  # rdflib keeps the lexical form; Oxigraph gives the canonical one
        found = cache[term] = oxigraph_term(same)
    return found


ENGINES = ("oxigraph", "rdflib")


def run_stored(onto: Ontology, query: str | StoredQuery, params: dict | None = None, engine: Engine | None = None,
               max_rows: int | None = None) -> Result:
    """Run a stored query (by name), a query file, or a query read otherwise (see :func:`query_from_text`), with
    its parameters bound.

    ``engine`` defaults to an in-memory Oxigraph store of ``onto``.

    Examples
    --------
    >>> from kgtools.ontology import Ontology
    >>> onto = Ontology.load()
    >>> rows = run_stored(onto, "forms-by-mechanism", {"mechanism": "hypercalcemia"}).records()
    >>> sorted({row["form_label"] for row in rows})
    ['calciphylaxis', 'cutaneous metastatic calcinosis', 'metastatic calcinosis cutis']
    """
    stored = query if isinstance(query, StoredQuery) else get_query(query)
    bindings = bind_parameters(onto, stored, params or {})
    engine = engine or OxigraphEngine.from_ontology(onto)
    try:
        return engine.run(stored.text, bindings, max_rows=max_rows)
    except QueryError as err:
        if catalog().get(stored.name) == stored:
            raise
        raise type(err)(f"{stored.path}: {err.message}") from None  # a query of one's own: say which


def parse_params(pairs: tuple[str, ...] | list[str]) -> dict[str, str | list[str]]:
    """``k=v`` strings into a dict; a repeated key gives a list.

    Examples
    --------
    >>> parse_params(["finding=calcium deposit", "finding=infarctive necrosis", "form=calciphylaxis"])
    {'finding': ['calcium deposit', 'infarctive necrosis'], 'form': 'calciphylaxis'}
    """
    params: dict[str, str | list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param {pair!r}: expected NAME=VALUE")
        key = key.strip()
        if key in params:
            previous = params[key]
            params[key] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            params[key] = value
    return params
