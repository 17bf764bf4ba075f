"""Real triple stores for the tests and benchmarks: an Oxigraph server and OpenLink Virtuoso 7,
each on free loopback ports with a database in a temporary folder, stopped by the caller.

Virtuoso comes from the Debian package ``virtuoso-opensource-7-bin`` (installed by
``scripts/system-deps.sh``); the Oxigraph server from the PyPI package ``oxigraph``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

#: Seconds a store may take to come up (Virtuoso creates its database on first start: ~10 s).
START_TIMEOUT = 120


@dataclass
class Store:
    """A running store: its SPARQL query URL, its Graph Store Protocol URL, its process."""

    name: str
    query_url: str
    store_url: str
    process: subprocess.Popen
    log: Path | None = None

    def stop(self) -> None:
        """Stop the server and wait for it (killed if it takes more than 30 s)."""
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports (bound together, so none is given twice)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_until_up(process: subprocess.Popen, url: str, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(10)
                detail = log.read_text(errors="replace")[-800:] if log and log.exists() else ""
                raise RuntimeError(f"{what} did not start: {detail}") from None
            time.sleep(0.2)


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server of the virtual environment, or one on the PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def start_oxigraph(directory: Path) -> Store:
    """An Oxigraph server with an on-disk store in ``directory``."""
    port = free_ports(1)[0]
    log = directory / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(directory / "data"),
                                    "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(process, base + "/query?query=ASK%7B%7D", "oxigraph", log)
    return Store("oxigraph", base + "/query", base + "/store", process, log)


def virtuoso_binaries() -> tuple[str, str] | None:
    """The Virtuoso server and its SQL client (``virtuoso-t``, ``isql-vt``), or None."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, client) if server and client else None


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 4
NumberOfBuffers = 40000
MaxDirtyBuffers = 30000
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def start_virtuoso(directory: Path) -> Store:
    """Virtuoso 7 with a new database in ``directory``, its SQL and HTTP ports on loopback,
    and SPARQL_UPDATE granted to the SPARQL user (which opens ``/sparql-graph-crud``)."""
    server, client = virtuoso_binaries()
    sql_port, http_port = free_ports(2)
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
    log = directory / "virtuoso.log"
    with open(directory / "virtuoso.out", "wb") as out:
        process = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=directory, stdout=out,
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    _wait_until_up(process, base + "/sparql?query=ASK%7B%7D", "virtuoso", log)
    grant = subprocess.run([client, str(sql_port), "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
                           capture_output=True, text=True, timeout=60)
    if grant.returncode != 0:
        Store("virtuoso", "", "", process).stop()
        raise RuntimeError(f"isql-vt could not grant SPARQL_UPDATE: {grant.stdout[-300:]} {grant.stderr[-300:]}")
    return Store("virtuoso", base + "/sparql", base + "/sparql-graph-crud", process, log)
