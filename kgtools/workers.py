"""Query worker processes over one read-only Oxigraph store, for the endpoint.

The graph is written once into an on-disk Oxigraph store (a temporary
folder, or ``--store DIR``); every worker process opens that store
read-only, so the graph is held once on disk rather than once per worker.
Oxigraph cannot stop a query from another thread, so a query runs in a
worker process, and a query that overruns the time limit has its worker
killed and replaced.

Capacity, and how a cheap query stays fast beside runaways:

* ``workers`` queries may run past the *quick* allowance (one second) at
  once; one more worker process is kept for the quick queries, so a cheap
  query is answered while ``workers`` runaways run. A query that runs past
  the allowance while ``workers`` others already do is stopped at once and
  answered :class:`Busy` (HTTP 503 with ``Retry-After``).
* A request that finds every worker busy waits in a queue of at most
  ``waiting`` requests; beyond it, :class:`Busy` comes at once.
* The store does not change while the endpoint serves it, so an answer once
  given is the answer: the last answers (at most ``ANSWER_CACHE_BYTES`` in
  all) are kept and a repeated request is answered without a worker.

The worker processes run without network access where Linux allows it
(their own empty network namespace): a second wall behind the read-only
check of :func:`kgtools.query.parse_query`, so no query can make Oxigraph
open a connection, whatever its parser accepts.

Examples
--------
>>> service = QueryService(workers=1, timeout=5)
>>> service.run("ASK { ?s ?p ?o }", formats=["turtle", "json"])
('json', b'{"head": {}, "boolean": true}')
>>> service.close()
"""

from __future__ import annotations

import ctypes
import json
import math
import multiprocessing
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from kgtools.errors import KgtoolsError
from kgtools.query import (GRAPH_FORMATS, QueryError, RefusedError, ResultTooLarge, bind_parameters, catalog,
                           check_read_only, open_store_directory)

#: Seconds a query may run before it counts against the ``workers`` that may run long.
QUICK = 1.0
#: Bytes of answers kept for repeated requests; an answer larger than an eighth of it is not kept.
ANSWER_CACHE_BYTES = 16 * 2**20
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


class QueryTimeout(QueryError):
    """A query ran longer than the endpoint allows, and was stopped."""


class NotAcceptable(QueryError):
    """No format the client accepts can hold the result."""


class Busy(QueryError):
    """Every worker is taken: the client should try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def isolate_network() -> bool:
    """Move this process into a new, empty network namespace; True when it worked.

    Call it in a fresh single-threaded process (a new user namespace demands
    one). Afterwards no socket can reach any host, not even this machine's
    loopback; pipes and files opened before keep working. Linux only; where
    namespaces are not allowed, nothing changes and False comes back.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return False
    # As root (or with CAP_SYS_ADMIN) a network namespace alone; else inside a new user namespace.
    return any(unshare(flags) == 0 for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET))


def fill_store(directory: str | Path, paths: tuple = ()) -> int:
    """Write the RDF files (default: the packaged ontology) into an on-disk Oxigraph store; return its size.

    A store that already holds triples is kept as it is. The files go in
    with Oxigraph's bulk loader (:func:`kgtools.store.load_files`); a store
    left unfinished by a bad file is emptied.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fill_store(folder) > 2000
    True
    """
    from kgtools import resources
    from kgtools.store import load_files

    store = open_store_directory(directory)
    if len(store):
        return len(store)
    try:
        load_files(store, [Path(p) for p in paths or (resources.ontology_path(),)], bulk=True)
    except BaseException:
        store.clear()
        raise
    store.flush()
    return len(store)


def _worker_main(conn) -> None:
    """A worker process: leaves the network, loads its libraries, then (once told which store, filled by
    then) opens the store read-only and answers jobs until told to stop."""
    isolated = isolate_network()
    import pyoxigraph as ox

    from kgtools.ontology import Ontology
    from kgtools.query import OxigraphEngine, serialize_result

    check_read_only("ASK {}")  # the SPARQL parser loads now, while the store is being filled
    try:
        store_dir = conn.recv()
        engine = OxigraphEngine(ox.Store.read_only(store_dir))
    except (EOFError, TypeError, OSError):  # the service closed, and its store went, while this worker started
        conn.send(("failed", isolated))
        return
    conn.send(("ready", isolated))
    queries, onto = catalog(), None
    bound: dict = {}  # the store is read-only: a stored query's parameters resolve the same way every time
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        name, text, bindings, formats, max_rows = job
        try:
            if name is not None:  # a stored query: its parameters are looked up here, within the time limit
                key = (name, repr(sorted(bindings.items())))
                if key not in bound:
                    onto = onto or Ontology(engine.store)  # lookups on the same read-only store, no copy
                    if len(bound) >= 4096:
                        bound.clear()
                    bound[key] = bind_parameters(onto, queries[name], bindings)
                text, bindings = queries[name].text, bound[key]
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
    """A worker process: started at once (it loads its libraries meanwhile), then :meth:`open` on a store."""

    def __init__(self, context):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.isolated = False

    def open(self, store_dir: str) -> "_Worker":
        """Give the worker its store; return it once it is ready to answer."""
        try:
            self.conn.send(store_dir)
            status, self.isolated = self.conn.recv() if self.conn.poll(120) else (None, False)
        except (EOFError, OSError):
            status = None
        if status != "ready":
            self.kill()
            raise KgtoolsError("a query worker failed to start")
        return self

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryService:
    """Runs read-only queries in worker processes over one read-only store, with limits.

    ``inputs`` are the RDF files (default: the packaged ontology), written
    once into ``store`` (a directory, kept) or a temporary one (removed by
    :meth:`close`). ``workers`` queries may run long at once (one more
    worker answers quick queries meanwhile); ``timeout`` stops a query,
    ``max_rows`` refuses larger results, ``waiting`` bounds the queue.

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
                 timeout: float = 10.0, max_rows: int = 10_000, waiting: int = 64):
        if workers < 1 or timeout <= 0 or max_rows < 1 or waiting < 0:
            raise KgtoolsError("workers, timeout and max rows must be positive")
        self._temporary = None if store else tempfile.mkdtemp(prefix="kgtools-store-")
        self.store = str(store or self._temporary)
        self.workers, self.timeout, self.max_rows, self.waiting = workers, timeout, max_rows, waiting
        self.quick = min(QUICK, timeout)
        self._context = multiprocessing.get_context("spawn")
        self._changed = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._queued = 0
        self._long = 0
        self._closed = False
        self._answers: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._answer_bytes = 0
        starting: list[_Worker] = []
        try:
            # Workers start loading their libraries while the store is filled.
            starting += [_Worker(self._context) for _ in range(workers + 1)]
            fill_store(self.store, tuple(Path(p) for p in inputs))
            self.queries = catalog()
            for worker in starting:
                self._add_worker(worker)
            if len(self._idle) < workers + 1:
                raise KgtoolsError("query workers failed to start")
        except BaseException:
            for worker in starting:
                worker.kill()
            self.close()
            raise
        self.network_isolated = all(worker.isolated for worker in self._idle)

    # ------------------------------------------------------------ the pool
    def _add_worker(self, worker: _Worker | None = None) -> None:
        if self._closed:
            return
        try:
            worker = (worker or _Worker(self._context)).open(self.store)
        except KgtoolsError:
            return
        with self._changed:
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._changed.notify()

    def _take(self) -> _Worker:
        with self._changed:
            if not self._idle:
                if self._queued >= self.waiting:
                    raise Busy(f"every query worker is busy and {self._queued} requests wait; try again later",
                               self._retry_after())
                self._queued += 1
                try:
                    self._changed.wait_for(lambda: self._idle or self._closed, self.timeout)
                finally:
                    self._queued -= 1
                if not self._idle:
                    raise Busy("every query worker stayed busy; try again later", self._retry_after())
            worker = self._idle.pop()
            self._busy.add(worker)
            return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._changed:
            self._busy.discard(worker)
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._changed.notify()

    def _replace(self, worker: _Worker) -> None:
        with self._changed:
            self._busy.discard(worker)
        worker.kill()
        if not self._closed:
            threading.Thread(target=self._add_worker, daemon=True).start()

    @property
    def busy(self) -> int:
        """How many workers are running a query now."""
        return len(self._busy)

    @property
    def long_running(self) -> int:
        """How many queries run past the quick allowance now (at most ``workers``)."""
        return self._long

    def _retry_after(self) -> int:
        """Seconds by which every query running now has ended, one way or the other."""
        return max(1, math.ceil(self.timeout))

    def _claim_long(self) -> bool:
        with self._changed:
            if self._long >= self.workers:
                return False
            self._long += 1
            return True

    def _release_long(self) -> None:
        with self._changed:
            self._long -= 1

    # ------------------------------------------------------------ queries
    def run(self, text: str, bindings: dict | None = None, formats: list[str] | None = None) -> tuple[str, bytes]:
        """Run a query in a worker; return the chosen format and the serialised result.

        The worker checks the query (:func:`kgtools.query.check_read_only`)
        and runs it. Raises :class:`RefusedError` for updates and SERVICE,
        :class:`QueryTimeout` when the query overruns (its worker is
        replaced), :class:`Busy` when no worker can take it,
        :class:`ResultTooLarge`, :class:`NotAcceptable` or :class:`QueryError`.
        """
        return self._execute((None, text, bindings or {}, formats or ["json", "turtle"], self.max_rows))

    def run_stored(self, name: str, params: dict, formats: list[str] | None = None) -> tuple[str, bytes]:
        """Run a stored query by name with parameters given as strings (looked up by the worker)."""
        if name not in self.queries:
            raise LookupError(name)
        return self._execute((name, None, params, formats or ["json", "turtle"], self.max_rows))

    @property
    def cached_bytes(self) -> int:
        """Bytes of answers kept for repeated requests (at most ``ANSWER_CACHE_BYTES``)."""
        return self._answer_bytes

    def _remembered(self, key: str) -> tuple[str, bytes] | None:
        with self._changed:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def _remember(self, key: str, answer: tuple[str, bytes]) -> None:
        size = len(key) + len(answer[1])
        if size > ANSWER_CACHE_BYTES // 8:
            return
        with self._changed:
            if key in self._answers:
                return
            self._answers[key] = answer
            self._answer_bytes += size
            while self._answer_bytes > ANSWER_CACHE_BYTES:
                old_key, (_, old_body) = self._answers.popitem(last=False)
                self._answer_bytes -= len(old_key) + len(old_body)

    def _execute(self, job: tuple) -> tuple[str, bytes]:
        key = json.dumps(job, sort_keys=True, default=str)
        answer = self._remembered(key)
        if answer is not None:
            return answer
        answer = self._run_in_worker(job)
        self._remember(key, answer)
        return answer

    def _run_in_worker(self, job: tuple) -> tuple[str, bytes]:
        worker = self._take()
        long = False
        try:
            worker.conn.send(job)
            finished = worker.conn.poll(self.quick)
            if not finished:
                long = self._claim_long()
                if not long:
                    self._replace(worker)
                    raise Busy(f"{self.workers} long queries already run; this one was stopped after "
                               f"{self.quick:g} s", self._retry_after())
                finished = worker.conn.poll(max(0.0, self.timeout - self.quick))
            reply = worker.conn.recv() if finished else None
        except (EOFError, OSError):
            finished, reply = True, None
        finally:
            if long:
                self._release_long()
        if reply is None:
            self._replace(worker)
            if finished:
                raise QueryError("the query worker stopped unexpectedly")
            raise QueryTimeout(f"the query was stopped after {self.timeout:g} s (the endpoint's time limit)")
        self._give_back(worker)
        status, first, second = reply
        if status == "ok":
            return first, second
        errors = {"RefusedError": RefusedError, "ResultTooLarge": ResultTooLarge, "NotAcceptable": NotAcceptable}
        raise errors.get(first, QueryError)(second)

    def close(self) -> None:
        """Stop every worker and remove the temporary store."""
        with self._changed:
            self._closed = True
            workers = self._idle + list(self._busy)
            self._idle, self._busy = [], set()
            self._changed.notify_all()
        for worker in workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
            worker.kill()
        if self._temporary:
            shutil.rmtree(self._temporary, ignore_errors=True)
