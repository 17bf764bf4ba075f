"""Query worker processes over one read-only Oxigraph store, for the endpoint.

The workers are forked from one process, the *keeper*, which holds the
graph. A dataset that fits the memory limit is parsed into memory by the
keeper, and every worker forked from it shares those pages with it:
Oxigraph runs the stored queries on a graph in memory about twice as fast
as on its on-disk store. (When that store is built already, the workers
read it first, answering at once, and move to the memory once the keeper
has parsed the dataset.) A worker reading the graph in memory writes to the
pages it visits (reference counts of the quads), so a scan of the whole
graph copies it into that worker: the limit is on the keeper's copy and
one for each worker, :data:`MEMORY_PER_QUAD` bytes a quad. A larger
dataset is read from its persistent on-disk store (see
:mod:`kgtools.store`), opened read-only by each worker, which has no such
cost; the first time, the keeper parses it into memory while a detached
process builds that store, and once it is in place the workers are
replaced by ones that read it, and the keeper lets the graph in memory
go. Large inputs (or any, with a store directory) get their persistent
store built, as for every command. Oxigraph cannot stop a query from another
thread, so a query runs in a worker process, and a query that overruns
the time limit has its worker killed and replaced: a new fork of the
keeper, ready in milliseconds.

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

The keeper and its workers run without network access where Linux allows
it (their own empty network namespace): a second wall behind the read-only
check of :func:`kgtools.sparql.query.parse_query`, so no query can make Oxigraph
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
import multiprocessing.connection
import os
import signal
import threading
from collections import OrderedDict
from pathlib import Path

from kgtools import resources, store as stores
from kgtools.errors import InputError, KgtoolsError
from kgtools.sparql.query import (Dataset, NotAcceptable, QueryError, RefusedError, ResultTooLarge, bind_parameters,
                                  catalog)

#: Seconds a query may run before it counts against the ``workers`` that may run long.
QUICK = 1.0
#: Bytes of answers kept for repeated requests; an answer larger than an eighth of it is not kept.
ANSWER_CACHE_BYTES = 16 * 2**20
#: Bytes a quad takes in a process holding the dataset in memory (about 340 measured on the HPO-merged graph,
#: in the keeper and again in a worker that ran every stored query), for the memory limit.
MEMORY_PER_QUAD = 400
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


class QueryTimeout(QueryError):
    """A query ran longer than the endpoint allows, and was stopped."""


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


def _keeper_main(conn, paths: list[Path]) -> None:
    """The keeper: leaves the network, loads the libraries and the graph, then forks a worker on each request.

    It is told where the persistent store is (None: none is built yet, so
    the dataset is parsed into memory here, each file in its named graph
    and in the default graph), answers ``("ready", isolated, quads in memory or None)``
    or ``("failed", error type, message)``, then serves requests until its
    connection closes: ``("fork", None)`` followed by the worker's end of a
    connection (an fd) forks a worker and answers its pid;
    ``("open", location)`` makes later workers read the store at
    ``location``, and the graph in memory goes; ``("load", None)`` parses
    the dataset into memory for later workers, and answers
    ``("loaded", quads)`` or ``("failed", error type, message)``. It stays
    single-threaded, so forking it is safe.
    """
    import gc

    from multiprocessing.reduction import recv_handle

    isolated = isolate_network()
    import pyoxigraph as ox

    from kgtools.ontology import refuse_empty  # and Ontology, loaded once here for every worker forked after
    from kgtools.sparql.query import serialize_result  # noqa: F401 -- the same

    def parse(names: list[str]) -> ox.Store:
        """The dataset in memory: each file in its named graph and in the default graph."""
        parsed = ox.Store()
        stores.load_files(parsed, paths, bulk=False, graphs=names)
        refuse_empty(paths, parsed)
        return parsed

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # ended workers are reaped by the kernel
    graph = None
    try:
        _, location, names = conn.recv()  # ("start", the built store or None, graph names); None: closed
        if location is None:
            graph = parse(names)
    except (EOFError, TypeError):
        return
    except KgtoolsError as err:
        conn.send(("failed", type(err).__name__, err.message))
        return
    conn.send(("ready", isolated, None if graph is None else len(graph)))
    while True:
        try:
            kind, argument = conn.recv()
        except (EOFError, TypeError):  # closed, or told to stop (None)
            return
        if kind == "open":
            location, graph = argument, None
            gc.collect()
            _return_free_memory()
            continue
        if kind == "load":
            try:
                location, graph = None, parse(names)
            except KgtoolsError as err:
                conn.send(("failed", type(err).__name__, err.message))
                continue
            conn.send(("loaded", len(graph)))
            continue
        fd = recv_handle(conn)
        pid = os.fork()
        if pid == 0:
            conn.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                _worker_main(multiprocessing.connection.Connection(fd), graph, location)
            finally:
                os._exit(0)
        os.close(fd)
        conn.send(pid)


def available_memory() -> int:
    """Bytes of memory the system can give without swapping (``MemAvailable``), or its free memory elsewhere."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def _return_free_memory() -> None:
    """Give the memory freed by the graph back to the system (glibc keeps freed small blocks otherwise)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: its allocator decides
        pass


def _worker_main(conn, graph, location: str | None) -> None:
    """A worker, forked from the keeper: opens the store (or reads the keeper's graph), then answers jobs."""
    import pyoxigraph as ox

    from kgtools.ontology import Ontology
    from kgtools.sparql.query import OxigraphEngine

    try:
        store = graph if location is None else ox.Store.read_only(location)
    except OSError:  # the store went (the service closed) while this worker started
        conn.send("failed")
        return
    conn.send("ready")
    queries, onto, whole = catalog(), None, OxigraphEngine(store)
    bound: dict = {}  # the store is read-only: a stored query's parameters resolve the same way every time
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        name, text, bindings, formats, max_rows, base, dataset = job
        engine = whole if dataset is None else OxigraphEngine(store, dataset)
        try:
            if name is not None:  # a stored query: its parameters are looked up here, within the time limit
                key = (name, repr(sorted(bindings.items())))
                if key not in bound:
                    onto = onto or Ontology(store)  # lookups on the same read-only store, no copy
                    if len(bound) >= 4096:
                        bound.clear()
                    bound[key] = bind_parameters(onto, queries[name], bindings)
                text, bindings = queries[name].text, bound[key]
            conn.send(("ok", *engine.write(text, formats, bindings, max_rows, base)))
        except KgtoolsError as err:
            conn.send(("error", type(err).__name__, err.message))
        except Exception as err:  # noqa: BLE001 -- a worker must answer, whatever the query did
            conn.send(("error", "QueryError", str(err)))


class _Keeper:
    """The keeper process (:func:`_keeper_main`), started at once: it loads its libraries while this
    process finds the store; :meth:`start` then tells it where the store is and waits for it to be ready.

    A new interpreter (``python -m kgtools.sparql.workers``), neither a fork of this process, which may run
    threads, nor a multiprocessing child, which would import this program's main module first.
    """

    def __init__(self, paths: list[Path]):
        import socket
        import subprocess
        import sys

        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kgtools.sparql.workers", str(theirs.fileno()), *map(str, paths)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        self.conn = multiprocessing.connection.Connection(ours.detach())
        self._lock = threading.Lock()  # one request at a time on the keeper's connection
        self.isolated = False
        #: How many quads the keeper parsed into memory (None: its workers read a persistent store).
        self.quads: int | None = None

    def start(self, location: Path | None, graphs: list[str]) -> None:
        """Tell the keeper where the built store is (None: it parses the inputs into ``graphs``); wait until it
        is ready."""
        try:
            self.conn.send(("start", None if location is None else str(location), graphs))
            reply = self.conn.recv()
        except (EOFError, OSError):
            reply = ("failed", "KgtoolsError", "the query workers' process failed to start")
        if reply[0] != "ready":
            self.close()
            raise (InputError if reply[1] in ("InputError", "BufferLimitError") else KgtoolsError)(reply[2])
        self.isolated, self.quads = reply[1], reply[2]

    def fork(self) -> "_Worker":
        """A new worker, forked from the keeper (:meth:`_Worker.ready` waits until it can answer)."""
        from multiprocessing.reduction import send_handle

        ours, theirs = multiprocessing.Pipe()
        try:
            with self._lock:
                self.conn.send(("fork", None))
                send_handle(self.conn, theirs.fileno(), self.process.pid)
                pid = self.conn.recv() if self.conn.poll(30) else None
        except (EOFError, OSError):
            pid = None
        finally:
            theirs.close()
        if pid is None:
            ours.close()
            raise KgtoolsError("a query worker failed to start")
        return _Worker(ours, pid)

    def open(self, location: Path) -> None:
        """Workers forked from now on read the store at ``location``; the keeper lets its graph go."""
        with self._lock:
            self.conn.send(("open", str(location)))

    def load(self) -> None:
        """Have the keeper parse the dataset into memory, for the workers forked from then on (a fork waits
        meanwhile); :class:`KgtoolsError` if it cannot."""
        try:
            with self._lock:
                self.conn.send(("load", None))
                reply = self.conn.recv()
        except (EOFError, OSError):
            reply = ("failed", "KgtoolsError", "the query workers' process ended")
        if reply[0] != "loaded":
            raise KgtoolsError(reply[2])
        self.quads = reply[1]

    def close(self) -> None:
        import subprocess

        try:
            self.conn.send(None)
        except OSError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.conn.close()


class _Worker:
    """A worker process forked from the keeper, and the connection to it."""

    def __init__(self, conn, pid: int, generation: int = 0):
        self.conn, self.pid, self.generation = conn, pid, generation
        self._pidfd: int | None = os.pidfd_open(pid)  # signals go to this process, even once its pid is reused

    def ready(self) -> "_Worker":
        """The worker, once it has opened its store; killed, and an error, if it cannot."""
        try:
            ready = self.conn.poll(120) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise KgtoolsError("a query worker failed to start")
        return self

    def kill(self) -> None:
        if self._pidfd is None:
            return  # killed already
        try:
            signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it ended already
        os.close(self._pidfd)
        self._pidfd = None
        self.conn.close()


class QueryService:
    """Runs read-only queries in worker processes over one read-only store, with limits.

    ``inputs`` are the RDF files (default: the packaged ontology), and
    ``named`` more of them with the IRI of the graph each makes (IRI -> file):
    the service holds a dataset, each file in its named graph (given, else
    the file's ontology IRI, else its file URL: :func:`kgtools.store.graph_names`)
    and their union as the default graph. ``store`` is
    the directory of persistent stores (see :func:`kgtools.store.open_store`:
    large inputs get one in the user's cache directory without it). The
    dataset is held in the keeper's memory when the keeper's copy and one for
    each worker fit ``memory_limit`` bytes (default: a quarter of the memory
    available at start; 0: never); otherwise the workers read the persistent
    store, once it is built. A built store is read from the start, until the
    dataset is in memory (:attr:`location` says which). ``workers`` queries may run long
    at once (one more worker answers quick queries meanwhile); ``timeout``
    stops a query, ``max_rows`` refuses larger results, ``waiting`` bounds
    the queue.

    Examples
    --------
    >>> service = QueryService(workers=1, timeout=5)
    >>> fmt, body = service.run_stored("subforms", {"form": "idiopathic calcinosis cutis"}, ["csv"])
    >>> sorted(line.split(",")[1] for line in body.decode().splitlines()[1:])
    ['idiopathic calcinosis of the scrotum', 'tumoral calcinosis']
    >>> service.run("DROP ALL")
    Traceback (most recent call last):
    ...
    kgtools.errors.RefusedError: SPARQL Update (DROP) is refused: this store is read-only
    >>> service.graphs
    ['http://purl.obolibrary.org/obo/ccut.owl']
    >>> service.close()
    """

    def __init__(self, inputs: tuple = (), store: str | Path | None = None, workers: int = 2,
                 timeout: float = 10.0, max_rows: int = 10_000, waiting: int = 64, named: dict | None = None,
                 memory_limit: int | None = None):
        if workers < 1 or timeout <= 0 or max_rows < 1 or waiting < 0 or (memory_limit or 0) < 0:
            raise KgtoolsError("workers, timeout and max rows must be positive, the memory limit not negative")
        named = {Path(path): iri for iri, path in (named or {}).items()}
        paths = [Path(p) for p in inputs if Path(p) not in named] + list(named)
        paths = paths or [resources.ontology_path()]
        #: The IRIs of the named graphs, one for each input file (two files may share one).
        self.graphs = stores.graph_names(paths, named)
        self.workers, self.timeout, self.max_rows, self.waiting = workers, timeout, max_rows, waiting
        #: Bytes the dataset may take in memory, in the keeper and once in each worker (see MEMORY_PER_QUAD).
        self.memory_limit = available_memory() // 4 if memory_limit is None else memory_limit
        self.quick = min(QUICK, timeout)
        self._changed = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._queued = 0
        self._long = 0
        self._closed = False
        self._answers: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._answer_bytes = 0
        self._generation = 0  # raised when the workers move to the persistent store
        #: The persistent store the workers read, or None while they read the keeper's graph in memory.
        self.location: Path | None = None
        # The keeper loads its libraries while this process finds the store.
        self._keeper = _Keeper(paths)
        starting: list[_Worker] = []
        try:
            persistent = stores.persistent_store(paths, store, self.graphs)
            built = persistent if persistent is not None and persistent.is_dir() else None
            if built is not None:  # the first answers come from it at once, whatever the memory limit
                stores.mark_used(built)
                self.location = built
            self._keeper.start(self.location, self.graphs)
            self.queries = catalog()
            for _ in range(workers + 1):  # forked at once, they open the store side by side
                starting.append(self._keeper.fork())
            for worker in starting:
                self._add_worker(worker)
            if len(self._idle) < workers + 1:
                raise KgtoolsError("query workers failed to start")
        except BaseException:
            for worker in starting:
                worker.kill()
            self.close()
            raise
        self.network_isolated = self._keeper.isolated
        if built is not None:
            if self.fits_in_memory(stores.stored_quads(built)):
                threading.Thread(target=self._move_to_memory, daemon=True).start()
        elif persistent is not None:
            if self.fits_in_memory(self._keeper.quads or 0):
                stores.build_store(persistent, paths, self.graphs)  # for the commands and servers to come
            else:
                threading.Thread(target=self._move_to_store, args=(persistent, paths), daemon=True).start()

    def fits_in_memory(self, quads: int) -> bool:
        """Whether a dataset of ``quads`` stays in memory: the keeper's copy and one for each worker (those for
        long queries and the one for quick ones) within :attr:`memory_limit`."""
        return quads * MEMORY_PER_QUAD * (self.workers + 2) <= self.memory_limit

    # ------------------------------------------------------------ the pool
    def _move_to_store(self, location: Path, paths: list[Path]) -> None:
        """Build the persistent store (in a detached process, as for every command), then move the workers
        onto it: each is replaced (an idle one now, a busy one when its query ends) and the keeper lets
        the graph in memory go."""
        stores.build_store(location, paths, self.graphs)
        if not stores.wait_for_store(location) or self._closed:
            return  # no store this time (the build failed): the graph stays in memory
        try:
            self._keeper.open(location)
        except OSError:  # closed meanwhile
            return
        stores.mark_used(location)
        self._move_workers(location)

    def _move_to_memory(self) -> None:
        """Have the keeper parse the dataset into memory, then move the workers onto it, as
        :meth:`_move_to_store` moves them the other way; meanwhile they read the persistent store."""
        try:
            self._keeper.load()
        except KgtoolsError:
            return  # the workers go on reading the store
        self._move_workers(None)

    def _move_workers(self, location: Path | None) -> None:
        """Replace every worker by one that reads ``location`` (None: the keeper's graph in memory): an idle one
        now, a busy one when its query ends."""
        with self._changed:
            if self._closed:
                return
            self._generation += 1
            self.location = location
            stale, self._idle = self._idle, []
        for worker in stale:
            self._replace(worker)

    def _add_worker(self, worker: _Worker | None = None) -> None:
        while not self._closed:
            generation = self._generation
            try:
                worker = (worker or self._keeper.fork()).ready()
            except KgtoolsError:
                return
            worker.generation = generation
            with self._changed:
                if self._closed or generation != self._generation:
                    worker.kill()  # the workers moved to the persistent store meanwhile: fork another
                    worker = None
                    continue
                self._idle.append(worker)
                self._changed.notify()
                return

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
            if worker.generation == self._generation or self._closed:
                self._busy.discard(worker)
                if self._closed:
                    worker.kill()
                    return
                self._idle.append(worker)
                self._changed.notify()
                return
        self._replace(worker)  # it reads where the others moved from

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
    def run(self, text: str, bindings: dict | None = None, formats: list[str] | None = None,
            base_iri: str | None = None, dataset: Dataset | None = None) -> tuple[str, bytes]:
        """Run a query in a worker; return the chosen format and the serialised result.

        The worker runs the query (:meth:`kgtools.sparql.query.OxigraphEngine.run`,
        relative IRIs against ``base_iri``, on ``dataset`` if given, else on
        the whole dataset, whose default graph is the union of the inputs).
        Raises :class:`RefusedError` for updates and SERVICE,
        :class:`QueryTimeout` when the query overruns (its worker is
        replaced), :class:`Busy` when no worker can take it,
        :class:`ResultTooLarge`, :class:`NotAcceptable` or :class:`QueryError`.
        """
        return self._execute((None, text, bindings or {}, formats or ["json", "turtle"], self.max_rows, base_iri,
                              dataset))

    def run_stored(self, name: str, params: dict, formats: list[str] | None = None,
                   dataset: Dataset | None = None) -> tuple[str, bytes]:
        """Run a stored query by name with parameters given as strings (looked up by the worker)."""
        if name not in self.queries:
            raise LookupError(name)
        return self._execute((name, None, params, formats or ["json", "turtle"], self.max_rows, None, dataset))

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
        """Stop every worker and the keeper."""
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
        self._keeper.close()


if __name__ == "__main__":
    # The keeper: ``python -m kgtools.sparql.workers FD FILE...``, started by QueryService.
    import sys

    _keeper_main(multiprocessing.connection.Connection(int(sys.argv[1])), [Path(p) for p in sys.argv[2:]])
