"""The text of a SPARQL query: the read-only rule, decided on its parsed structure, and parameters bound in it.

:func:`check_read_only` refuses SPARQL Update and ``SERVICE`` on the query
as rdflib's parser reads it; :func:`may_hold_service` tells, from the text
alone, the queries that cannot hold ``SERVICE`` (so that Oxigraph's parser,
which takes no update, is the only parse they need); :func:`insert_values`
binds parameters as a ``VALUES`` block of RDF terms.

Examples
--------
>>> query_form("ASK { ?s ?p ?o }")
'ASK'
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from kgtools.errors import QueryError, RefusedError

if TYPE_CHECKING:  # typed without importing rdflib when the module loads
    from rdflib.plugins.sparql.sparql import Query


def _code_spans(text: str):
    """Yield (start, end) of the parts of a query that are SPARQL code, skipping
    comments, string literals and IRIs -- where a keyword cannot hide."""
    pattern = re.compile(r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                         r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>', re.S)
    position = 0
    for match in pattern.finditer(text):
        yield position, match.start()
        position = match.end()
    yield position, len(text)


def _keywords(text: str) -> list[tuple[str, int]]:
    """The bare words of a query's code (not in strings, IRIs or comments), upper-cased, with positions."""
    words = []
    for start, end in _code_spans(text):
        for match in re.finditer(r"(?<![?$:\w])[A-Za-z_]+(?![\w:])", text[start:end]):
            words.append((match.group(0).upper(), start + match.start()))
    return words


#: The SPARQL Update operations, by the name rdflib's parser gives them.
_UPDATES = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
            "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
            "Modify": "DELETE/INSERT"}
#: The query forms, by the name of rdflib's algebra node.
_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def parse_query(text: str) -> Query:
    """Parse a read-only SPARQL query into rdflib's algebra (a :class:`rdflib.plugins.sparql.sparql.Query`).

    The read-only rule is decided on the parsed structure, never on the
    text: an update (``INSERT``, ``DELETE``, ``LOAD``, ``DROP``...) and any
    ``SERVICE`` clause, however it is spelled (``\\u0053ERVICE``, behind a
    comment ended by a carriage return...), raise :class:`RefusedError`;
    anything the parser cannot read raises :class:`QueryError` with the line
    and column. rdflib's parser is the one used (pyoxigraph gives Python no
    access to its algebra); it ends a comment only at ``\\n`` where SPARQL
    also ends it at ``\\r``, so line ends are made ``\\n`` first, as every
    engine reads them.

    Examples
    --------
    >>> parse_query("SELECT * WHERE { ?s ?p ?o }").algebra.name
    'SelectQuery'
    >>> parse_query("SELECT * WHERE { # x\\rSERVICE <http://example.org/> { ?s ?p ?o }\\n }")
    Traceback (most recent call last):
    ...
    kgtools.errors.RefusedError: SERVICE is refused: queries run on this store only, never on other hosts
    """
    import pyparsing
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        parsed = parseQuery(text)
    except pyparsing.ParseBaseException as err:
        try:
            update = parseUpdate(text)
        except (pyparsing.ParseBaseException, RecursionError, ValueError, TypeError):
            raise QueryError(f"SPARQL syntax error at line {err.lineno}, column {err.col}: "
                             f"{err.msg}, found {_found(text, err.loc)}") from None
        operations = list(update.request or [])
        if not operations:  # a prologue or comments alone
            raise QueryError("not a SPARQL query (expected SELECT, ASK, CONSTRUCT or DESCRIBE)") from None
        name = _UPDATES.get(getattr(operations[0], "name", ""), "an update")
        raise RefusedError(f"SPARQL Update ({name}) is refused: this store is read-only") from None
    except RecursionError:
        raise QueryError("SPARQL syntax error: the query nests too deeply") from None
    if _holds_service(parsed):
        raise RefusedError("SERVICE is refused: queries run on this store only, never on other hosts")
    try:
        query = translateQuery(parsed)
    except Exception as err:  # noqa: BLE001 -- rdflib raises assorted errors for queries it parses but cannot translate
        raise QueryError(f"SPARQL error: {err}") from None
    if _holds_service(query.algebra):
        raise RefusedError("SERVICE is refused: queries run on this store only, never on other hosts")
    return query


def _found(text: str, position: int) -> str:
    rest = text[position:position + 20].split("\n")[0]
    return repr(rest) if rest else "the end of the query"


def _holds_service(node) -> bool:
    """Whether a parse tree or algebra holds a SERVICE clause anywhere."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return False


@functools.lru_cache(maxsize=256)
def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a read-only query (see :func:`parse_query`).

    Examples
    --------
    >>> query_form("PREFIX ex: <http://e/select#> # ask\\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    return _FORMS[parse_query(text).algebra.name]


def check_read_only(text: str) -> None:
    """Refuse SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...) and SERVICE, decided on the parsed query.

    The engines are read-only, and a ``SERVICE`` clause would make the engine
    fetch from another host. Words inside strings, IRIs and comments do not
    count; a query that cannot be parsed raises :class:`QueryError`.

    Examples
    --------
    >>> check_read_only('SELECT * WHERE { ?s ?p "DROP ALL" } # LOAD')
    >>> check_read_only("DROP ALL")
    Traceback (most recent call last):
    ...
    kgtools.errors.RefusedError: SPARQL Update (DROP) is refused: this store is read-only
    """
    query_form(text)


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def may_hold_service(text: str) -> bool:
    """Whether a query could hold a ``SERVICE`` clause: the word appears in it, in any case, once its
    ``\\u``/``\\U`` escapes are read (SPARQL reads them before anything else).

    A necessary condition only, never a verdict: a query without the word
    cannot call another host, and one with it (in a string or a comment,
    maybe) is decided on its parsed structure by :func:`check_read_only`.
    So the common query pays a scan of its text, not a second parse.

    Examples
    --------
    >>> may_hold_service("SELECT * WHERE { ?s ?p ?o }")
    False
    >>> may_hold_service("SELECT * WHERE { \\u0053ervice <http://e/> { ?s ?p ?o } }")
    True
    """
    def read(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 else match.group(0)

    return "service" in _ESCAPE.sub(read, text).lower()


_MARKER = re.compile(r"^[ \t]*#[ \t]*@parameters[ \t]*$", re.M)


def insert_values(text: str, values: dict[str, list]) -> str:
    """Put ``VALUES`` blocks for the given variables at the start of the outer WHERE group,
    or where a comment line ``# @parameters`` stands.

    The values are :mod:`pyoxigraph` terms, written in their N-Triples form,
    which escapes quotes and cannot hold an unescaped ``>``.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> insert_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": [ox.Literal('a "b" } .')]})
    'SELECT ?s WHERE { VALUES ?o { "a \\\\"b\\\\" } ." } ?s ?p ?o }'
    """
    if not values:
        return text
    block = " ".join(f"VALUES ?{name} {{ {' '.join(str(term) for term in terms)} }}" for name, terms in values.items())
    marker = _MARKER.search(text)
    if marker:
        # The query says where its parameters belong (inside a subquery, say).
        return f"{text[:marker.start()]}{block}{text[marker.end():]}"
    brace = None
    for word, position in _keywords(text):
        if word == "WHERE":
            brace = text.index("{", position)
            break
    if brace is None:
        # "WHERE" is optional in SELECT, ASK and DESCRIBE (never in CONSTRUCT): the first brace of the code
        # then opens the pattern.
        for start, end in _code_spans(text):
            found = text.find("{", start, end)
            if found >= 0:
                brace = found
                break
    if brace is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return f"{text[:brace + 1]} {block}{text[brace + 1:]}"
