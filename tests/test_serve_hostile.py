"""The endpoint against hostile clients, over real HTTP and real sockets: SERVICE and update disguises sent
every way a query arrives (a loopback listener must see nothing), oversize and lying bodies (the server's
memory measured), runaway queries beside cheap ones, many clients at once, slow and idle clients, odd methods,
and a fuzz pass over the query parser's error paths."""

import http.client
import random
import socket
import threading
import time
import urllib.parse

import pytest
from serving import serve_process

from kgtools.sparql.query import OxigraphEngine, QueryError, RdflibEngine, RefusedError, get_query, parse_query
from kgtools.sparql.serve import make_server
from kgtools.sparql.workers import QueryService, isolate_network

#: Three unconstrained patterns over some 3,000 triples: about 10^10 solutions to count.
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s ?p ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def fresh(text):
    """The query with a comment unique to the call: run by a worker, not an answer the endpoint kept."""
    return f"{text}\n# {time.perf_counter_ns()} {threading.get_ident()}"


def cheap():
    return fresh(CHEAP)


class Listener:
    """A TCP server on a free loopback port that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, address = self.sock.accept()
            except OSError:
                continue
            self.connections.append(address)
            conn.close()

    def close(self):
        self.running = False
        self.thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    found = Listener()
    yield found
    found.close()


def start(service, **options):
    server = make_server(service, "127.0.0.1", 0, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def endpoint():
    """The default endpoint: two workers that may run long, and the quick one."""
    service = QueryService(timeout=8)
    server = start(service, read_timeout=1.0)
    yield service, server.server_address[1]
    server.shutdown()
    server.server_close()
    service.close()


def request(port, method, path, body=None, headers=None, host="127.0.0.1", timeout=60):
    """Status, headers and body of one HTTP request on a fresh connection."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        headers = headers or {}
        conn.request(method, path, body=body, headers=headers, encode_chunked="Transfer-Encoding" in headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def disguises(url):
    """Queries that would reach ``url`` (SERVICE, LOAD) or change the store (updates), however written."""
    base = url.rsplit("/", 1)[0] + "/"
    escaped = "".join(f"\\u{ord(c):04x}" for c in "SERVICE")
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        # A comment ended by a carriage return: SPARQL ends it there; a filter reading text did not.
        f"SELECT * WHERE {{ # x\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # x\rSERVICE <{url}> {{ ?s ?p ?o }}\n }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {escaped} <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <\\u0068ttp://127.0.0.1:{url.split(':')[2]}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{base}> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{url}> SELECT * WHERE {{ SERVICE <> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} MINUS {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }} LIMIT 1",
        f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{url}>",
        f"LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
        f"SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}>",
        "DROP ALL",
        "CLEAR DEFAULT",
        "DELETE WHERE { ?s ?p ?o }",
        "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "WITH <http://example.org/g> DELETE { ?s ?p ?o } INSERT { ?o ?p ?s } WHERE { ?s ?p ?o }",
        "dr\\u004fp all",
        "# comment\rDROP ALL",
    ]


def every_way(port, text):
    """Send a query every way the endpoint takes one; yield (way, status)."""
    quoted = urllib.parse.quote(text)
    form = urllib.parse.urlencode({"query": text}).encode()
    yield "GET", request(port, "GET", "/sparql?query=" + quoted)[0]
    yield "GET /query", request(port, "GET", "/query?query=" + quoted)[0]
    yield "POST form", request(port, "POST", "/sparql", form,
                               {"Content-Type": "application/x-www-form-urlencoded"})[0]
    yield "POST direct", request(port, "POST", "/sparql", text.encode(), {"Content-Type": "application/sparql-query"})[0]
    yield "POST update", request(port, "POST", "/sparql", text.encode(),
                                 {"Content-Type": "application/sparql-update"})[0]
    yield "POST update=", request(port, "POST", "/sparql", urllib.parse.urlencode({"update": text}).encode(),
                                  {"Content-Type": "application/x-www-form-urlencoded"})[0]
    yield "chunked", request(port, "POST", "/sparql", iter([text.encode()]),
                             {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"})[0]
    # Into a stored query, as the value of each kind of parameter: bound as one RDF term, never as code.
    yield "stored entity", request(port, "GET", "/queries/forms-for-condition?condition=" + quoted)[0]
    yield "stored string", request(port, "GET", "/queries/xrefs?" + urllib.parse.urlencode({"prefix": text}))[0]
    yield "stored form", request(port, "POST", "/queries/provenance", urllib.parse.urlencode({"line": text}).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})[0]


def triple_count(port):
    """The store's triple count, asked afresh."""
    status, _, body = request(port, "GET", "/sparql?format=csv&query=" + urllib.parse.quote(fresh(COUNT)))
    assert status == 200
    return int(body.split()[1])


def warm_workers(port, rounds=3, clients=9):
    """Have every worker parse and run queries, so that its first query's imports are not counted as growth."""
    for _ in range(rounds):
        asking = [threading.Thread(target=triple_count, args=(port,)) for _ in range(clients)]
        for thread in asking:
            thread.start()
        for thread in asking:
            thread.join()


def test_no_disguise_reaches_a_host_or_changes_the_store_any_way_it_is_sent(endpoint, listener):
    service, port = endpoint
    before = triple_count(port)
    for text in disguises(listener.url):
        for way, status in every_way(port, text):
            allowed = {400, 403, 404} | ({200} if " FROM " in text or way.startswith("stored") else set())
            assert status in allowed, (way, text, status)
    assert listener.connections == []
    assert triple_count(port) == before


def test_disguises_are_refused_on_the_parsed_query():
    url = "http://127.0.0.1:9/sparql"
    for text in disguises(url):
        if " FROM " in text:
            assert parse_query(text).algebra.name == "SelectQuery"
            continue
        with pytest.raises(QueryError):  # RefusedError (403), or a syntax error (400): never run
            parse_query(text)
    for text in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "LOAD <http://a/>", "DROP ALL",
                 "SELECT * WHERE { # x\rSERVICE <http://a/> { ?s ?p ?o }\n }", "dr\\u004fp all"):
        with pytest.raises(RefusedError):
            parse_query(text)
    # Words in strings, IRIs and comments are no code.
    parse_query('SELECT * WHERE { ?s ?p "SERVICE <http://a/> { }" } # DROP ALL\n')
    parse_query("SELECT * WHERE { <http://example.org/SERVICE/DROP> ?p ?o }")


def test_both_engines_reach_no_host_and_stay_unchanged(onto, listener):
    oxigraph = OxigraphEngine.from_ontology(onto)
    rdflib_engine = RdflibEngine(onto.graph)
    sizes = (len(oxigraph.store), len(onto.graph))
    for engine in (oxigraph, rdflib_engine):
        for text in disguises(listener.url):
            try:
                engine.run(text)
            except QueryError:
                pass
            else:
                assert " FROM " in text, text
    assert listener.connections == []
    assert (len(oxigraph.store), len(onto.graph)) == sizes


def _connect_after_isolation(port, answers):
    isolated = isolate_network()
    import pyoxigraph as ox

    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"))
        outcome = "answered"
    except OSError as err:
        outcome = f"failed: {err}"
    answers.put((isolated, outcome))


def test_the_second_wall_a_worker_process_cannot_reach_the_network(endpoint, listener):
    """Even a SERVICE query that got past the parsed check: Oxigraph, run in an isolated process, reaches nothing."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    process = context.Process(target=_connect_after_isolation, args=(listener.port, answers))
    process.start()
    isolated, outcome = answers.get(timeout=60)
    process.join(10)
    service, _ = endpoint
    assert service.network_isolated == isolated  # the endpoint's workers are isolated wherever this system allows
    if not isolated:
        pytest.skip("this system allows no network namespace")
    assert outcome.startswith("failed") and listener.connections == []


def test_every_worker_and_each_replacement_has_a_network_of_its_own():
    """The workers are forked from a keeper that left the network first: those that replace a killed one too."""
    import os

    from kgtools.sparql.workers import QueryTimeout

    def workers_of(pid):
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return {int(child) for child in children.read().split()}

    service = QueryService(workers=1, timeout=1)
    try:
        if not service.network_isolated:
            pytest.skip("this system allows no network namespace")
        keeper = service._keeper.process.pid
        # Forking is safe: the keeper runs one thread, with the graph parsed into memory (pyoxigraph starts none).
        assert service.location is None and os.listdir(f"/proc/{keeper}/task") == [str(keeper)]
        before = workers_of(keeper)
        with pytest.raises(QueryTimeout):
            service.run(fresh(EXPLOSIVE))  # its worker is killed and another forked
        deadline = time.monotonic() + 30
        while len(workers_of(keeper) - before) < 1 or len(workers_of(keeper)) < 2:
            assert time.monotonic() < deadline, "the killed worker was not replaced"
            time.sleep(0.05)
        ours = os.readlink("/proc/self/ns/net")
        for pid in {keeper} | workers_of(keeper):
            assert os.readlink(f"/proc/{pid}/ns/net") != ours
        assert service.run(cheap())[1] == b'{"head": {}, "boolean": true}'
    finally:
        service.close()


# --------------------------------------------------------------------------- bodies
def server_process():
    """``kgtools serve`` in its own process on a free port, with its default workers; returns the process and the
    port."""
    process, base = serve_process("--timeout", "5", workers=None)
    return process, int(base.rsplit(":", 1)[1])


def rss_bytes(pid):
    """Resident memory of a process and all its descendants, from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
            children = []
            for task in __import__("os").listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as found:
                    children += [int(c) for c in found.read().split()]
        except (OSError, StopIteration):
            continue
        pending += children
    return total


class PeakMemory:
    """Samples the resident memory of a process tree in a thread; ``peak`` is the highest seen."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, rss_bytes(pid), True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, rss_bytes(self.pid))
            time.sleep(0.02)

    def stop(self):
        self.running = False
        self.thread.join(5)
        self.peak = max(self.peak, rss_bytes(self.pid))
        return self.peak


def raw_exchange(port, head: bytes, body_size: int, chunk=1 << 16):
    """Send a request head then ``body_size`` bytes of a query literal; return the status line (or '')."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        sent = 0
        piece = b"SELECT * WHERE { ?s ?p \"" + b"x" * chunk
        try:
            while sent < body_size:
                sock.sendall(piece[:min(chunk, body_size - sent)])
                sent += chunk
        except OSError:
            pass  # the server refused the body and closed: what it should do
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            return sock.recv(4096).split(b"\r\n")[0].decode()
        except OSError:
            return ""


def test_oversize_and_lying_bodies_do_not_move_the_servers_memory():
    process, port = server_process()
    twenty_mb = 20 << 20
    try:
        assert triple_count(port) > 2000  # the workers are up
        warm_workers(port)
        baseline = rss_bytes(process.pid)
        cases = {
            "no Content-Length": b"",
            "Content-Length: -1": b"Content-Length: -1\r\n",
            "Content-Length: 20 MB": b"Content-Length: %d\r\n" % twenty_mb,
            "Content-Length: 10 (lying)": b"Content-Length: 10\r\n",
            "chunked, 20 MB": b"Transfer-Encoding: chunked\r\n",
        }
        statuses = {}
        peak = PeakMemory(process.pid)
        for name, header in cases.items():
            head = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n" + header + b"\r\n")
            if name.startswith("chunked"):
                body_head = head + b"%x\r\n" % twenty_mb
                statuses[name] = raw_exchange(port, body_head, twenty_mb)
            else:
                statuses[name] = raw_exchange(port, head, twenty_mb)
        grown = peak.stop() - baseline
        assert grown < 100 << 20, f"the server grew by {grown >> 20} MB"
        print(f"\nserver memory: {baseline >> 20} MB before, peak +{grown >> 20} MB over five 20 MB bodies")
        assert statuses["Content-Length: 20 MB"].endswith("413 Request Entity Too Large")
        assert statuses["chunked, 20 MB"].endswith("413 Request Entity Too Large")
        assert statuses["Content-Length: -1"].endswith("400 Bad Request")
        # Ten bytes are read as the query (a syntax error); the rest is no request line.
        assert statuses["Content-Length: 10 (lying)"].endswith("400 Bad Request")
        assert triple_count(port) > 2000  # still serving
    finally:
        process.terminate()
        process.wait(20)


def test_eight_largest_queries_at_once_stay_bounded():
    from kgtools.sparql.serve import MAX_BODY

    process, port = server_process()
    try:
        assert triple_count(port) > 2000
        warm_workers(port)
        baseline = rss_bytes(process.pid)
        peak = PeakMemory(process.pid)
        answers = []
        query = ("SELECT * WHERE { ?s ?p \"" + "x" * (MAX_BODY - 100) + "\" }").encode()

        def send(body):
            answers.append(request(port, "POST", "/sparql", body, {"Content-Type": "application/sparql-query"})[0])

        threads = [threading.Thread(target=send, args=(query + b"#" * i,)) for i in range(8)]
        threads.append(threading.Thread(target=send, args=(b"#" * (MAX_BODY + 1),)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        grown = peak.stop() - baseline
        print(f"\neight {MAX_BODY >> 10} KiB queries at once: peak +{grown >> 20} MB")
        assert grown < 200 << 20
        assert sorted(answers) == [200] * 8 + [413] or set(answers) <= {200, 413, 503}
        assert answers.count(413) == 1
    finally:
        process.terminate()
        process.wait(20)


def read_until_closed(sock):
    data = b""
    while True:
        piece = sock.recv(4096)
        if not piece:
            return data
        data += piece


def test_a_body_shorter_than_its_length_and_an_idle_client_are_let_go(endpoint):
    _, port = endpoint  # its read timeout is one second
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 1000\r\n\r\nASK {}")
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408")  # and the connection is closed
    for size in (b"-5", b"0x10", b"1_0", b"fffffffff", b"zz"):
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n" + size + b"\r\nASK {}\r\n0\r\n\r\n")
            assert read_until_closed(sock).startswith(b"HTTP/1.1 400"), size
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        assert sock.recv(4096) == b""  # an idle connection is closed by the server, not held forever
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        assert sock.recv(4096) == b""


def test_other_methods_get_405_with_allow(endpoint):
    _, port = endpoint
    for method in ("TRACE", "PUT", "DELETE", "PATCH", "BREW"):
        status, headers, _ = request(port, method, "/sparql", b"x" if method == "PUT" else None)
        assert status == 405 and headers["Allow"] == "GET, HEAD, POST, OPTIONS", method
    status, headers, _ = request(port, "OPTIONS", "/sparql", b"x" * 100)  # its body is not read: the connection ends
    assert status == 204 and headers["Allow"] == "GET, HEAD, POST, OPTIONS" and headers["Connection"] == "close"


def test_ipv6_loopback():
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    service = QueryService(workers=1)
    try:
        try:
            server = make_server(service, "::1", 0)
        except Exception as err:  # noqa: BLE001 - a machine without ::1
            pytest.skip(f"no IPv6 loopback: {err}")
        threading.Thread(target=server.serve_forever, daemon=True).start()
        status, _, body = request(server.server_address[1], "GET", "/sparql?query=" + urllib.parse.quote(cheap()),
                                  host="::1")
        assert status == 200 and '"boolean": true' in body
        server.shutdown()
        server.server_close()
    finally:
        service.close()


# --------------------------------------------------------------------------- workers
def test_a_cheap_query_is_answered_beside_runaways_and_overflow_gets_503_at_once(endpoint):
    service, port = endpoint
    results = {}

    def runaway(name):
        results[name] = request(port, "GET", "/sparql?query=" + urllib.parse.quote(EXPLOSIVE))

    threads = [threading.Thread(target=runaway, args=(f"runaway {i}",)) for i in range(service.workers)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while service.long_running < service.workers:  # until both run past the quick allowance
        assert time.monotonic() < deadline and all(thread.is_alive() for thread in threads)
        time.sleep(0.05)
    started = time.monotonic()
    status, _, body = request(port, "GET", "/sparql?query=" + urllib.parse.quote(cheap()))
    cheap_seconds = time.monotonic() - started
    assert status == 200 and '"boolean": true' in body
    assert all(thread.is_alive() for thread in threads)  # answered while every runaway still ran
    print(f"\ncheap query beside {service.workers} runaways: {cheap_seconds * 1000:.0f} ms")
    # One more runaway, while the others hold their workers: stopped after the quick allowance, with Retry-After.
    status, headers, body = request(port, "GET", "/sparql?query=" + urllib.parse.quote(EXPLOSIVE))
    assert status == 503 and int(headers["Retry-After"]) >= 1 and "long queries already run" in body
    assert all(thread.is_alive() for thread in threads)
    for thread in threads:
        thread.join(60)
    assert all(r[0] == 503 and "stopped after" in r[2] for r in results.values())
    assert request(port, "GET", "/sparql?query=" + urllib.parse.quote(cheap()))[0] == 200


def test_a_full_queue_answers_503_at_once():
    service = QueryService(workers=1, timeout=3, waiting=0)
    server = start(service)
    port = server.server_address[1]
    try:
        events = []

        def runaway():
            events.append(("runaway", request(port, "GET", "/sparql?query=" + urllib.parse.quote(EXPLOSIVE))[0]))

        threads = [threading.Thread(target=runaway) for _ in range(2)]  # the long worker, then the quick one
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while service.busy < 2:
            assert time.monotonic() < deadline and not events
            time.sleep(0.02)
        status, headers, _ = request(port, "GET", "/sparql?query=" + urllib.parse.quote(cheap()))
        events.append(("cheap", status))
        assert status == 503 and int(headers["Retry-After"]) >= 1
        assert events[0] == ("cheap", 503)  # refused before either runaway was answered: no waiting
        for thread in threads:
            thread.join(60)
    finally:
        server.shutdown()
        server.server_close()
        service.close()


def test_32_clients_by_10_requests_none_dropped(endpoint):
    _, port = endpoint
    expected = request(port, "GET", "/queries/forms-for-condition?condition=dermatomyositis&format=csv")
    assert expected[0] == 200 and "calcinosis universalis" in expected[2]
    failures = []

    def client():
        for _ in range(10):
            try:
                status, _, body = request(port, "GET",
                                          "/queries/forms-for-condition?condition=dermatomyositis&format=csv")
                if (status, body) != (200, expected[2]):
                    failures.append((status, body[:200]))
            except OSError as err:
                failures.append(repr(err))

    threads = [threading.Thread(target=client) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert failures == []


# --------------------------------------------------------------------------- fuzz
def mutations(text, rng, count):
    """Random small edits of a query: characters dropped, repeated, swapped, or replaced by SPARQL's own."""
    pieces = list("{}()<>\"'#?$.;,*\\\r\n ") + ["SERVICE", "SELECT", "WHERE", "\\u0053", "DROP", "LOAD", "<<", ">>",
                                                 "\"\"\"", "'''", "^^", "@en", "FILTER(", "GRAPH", "\x00", "\ud800"]
    for _ in range(count):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            where = rng.randrange(len(chars) + 1)
            action = rng.random()
            if action < 0.3 and chars:
                del chars[min(where, len(chars) - 1)]
            elif action < 0.6:
                chars.insert(where, rng.choice(pieces))
            elif chars:
                chars[min(where, len(chars) - 1)] = rng.choice(pieces)
        yield "".join(chars)


def seed_queries():
    return [get_query(name).text for name in ("forms", "differential", "forms-for-condition", "provenance")] + [
        EXPLOSIVE, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", "DESCRIBE <http://example.org/a>"]


def test_fuzzed_queries_get_a_clean_error_from_the_parser():
    rng = random.Random(20261126)
    tried = 0
    for seed in seed_queries():
        for text in mutations(seed, rng, 25):
            tried += 1
            try:
                parse_query(text)
            except QueryError as err:
                assert err.message and "\n" not in err.message.strip(), err.message
    assert tried == 25 * len(seed_queries())


def test_fuzzed_requests_get_4xx_never_500(endpoint):
    _, port = endpoint
    rng = random.Random(7)
    seen = set()
    for seed in seed_queries()[:3]:
        for text in mutations(seed, rng, 25):
            data = text.encode("utf-8", "surrogatepass")
            status = request(port, "POST", "/sparql?format=csv", data, {"Content-Type": "application/sparql-query"})[0]
            seen.add(status)
            assert status in (200, 400, 403, 406, 413, 503), (status, text)
    for junk in (b"\xff\xfe", b"query=%ff", b"query=" + b"&" * 5000):
        status = request(port, "POST", "/sparql", junk, {"Content-Type": "application/x-www-form-urlencoded"})[0]
        assert status == 400
    assert 400 in seen
