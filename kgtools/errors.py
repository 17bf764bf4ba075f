"""Errors a user can act on, and the exit codes the command line gives for them.

Exit codes (the same for every command):

* 0 -- the command did its job and the checked thing passed;
* 1 -- the command ran but the checked thing failed (coverage below 100 %,
  validation violations, an inconsistent ontology);
* 2 -- the command could not run: bad usage, a missing or unreadable file,
  a syntax error (with file, line and column), an unknown term, an output
  that cannot be written or that is one of the inputs;
* 130 -- interrupted (Ctrl-C, SIGINT); 143 -- terminated (SIGTERM);
  129 -- hung up (SIGHUP: the terminal closed). Each way no partial output
  is left;
* 141 -- the reader of standard output went away (``kgtools entities | head``),
  as for a program stopped by SIGPIPE; nothing is printed.
"""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_HANGUP = 129
EXIT_BROKEN_PIPE = 141


class KgtoolsError(Exception):
    """An error with one clear message for the user and an exit code.

    Examples
    --------
    >>> err = KgtoolsError("no such file: x.ttl")
    >>> err.exit_code
    2
    """

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(KgtoolsError):
    """A file is missing, unreadable, or not valid RDF; the message says where."""


class UnknownTermError(KgtoolsError):
    """A term given by label, synonym, CURIE or IRI names no entity.

    Examples
    --------
    >>> err = UnknownTermError("calciphylaxsis", ["calciphylaxis"])
    >>> print(err.message)
    unknown term 'calciphylaxsis'; did you mean: calciphylaxis?
    """

    def __init__(self, term: str, suggestions: list[str]):
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown term {term!r}{hint}")
        self.term = term
        self.suggestions = suggestions


class QueryError(KgtoolsError):
    """A query that cannot run: a syntax error, a bad parameter, a refused operation."""


class RefusedError(QueryError):
    """An update, LOAD or SERVICE sent to a read-only engine."""


class ResultTooLarge(QueryError):
    """A result with more rows than the limit allows."""


class NotAcceptable(QueryError):
    """No format the client accepts can hold the result."""
