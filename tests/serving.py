"""``kgtools serve`` as a process for the tests: started on a free port, its address read from the first line it
writes, every wait bounded."""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import time

#: Seconds the server may take to say where it serves (it parses its inputs first).
START_TIMEOUT = 60
#: Bytes of that first line at most.
LINE_LIMIT = 4096


def first_line(process: subprocess.Popen, timeout: float = START_TIMEOUT) -> str:
    """The first line ``process`` writes on stderr, read within ``timeout`` seconds and :data:`LINE_LIMIT` bytes;
    what the process wrote in all if it ends before a whole line.

    The line is read a byte at a time from the pipe itself, so that whatever follows it stays in the pipe for
    ``process.stderr`` to read.
    """
    fd = process.stderr.fileno()
    deadline = time.monotonic() + timeout
    line = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while not line.endswith(b"\n") and len(line) < LINE_LIMIT:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line from the process within {timeout} s: {bytes(line)!r}")
            if selector.select(left):
                byte = os.read(fd, 1)
                if not byte:  # the process closed stderr: it ended
                    break
                line += byte
    return line.decode("utf-8", "replace")


def serve_process(*args: str, workers: int | None = 1) -> tuple[subprocess.Popen, str]:
    """``kgtools serve ARGS`` on a free port with ``workers`` workers (None: serve's default), once it serves;
    returns the process and its base URL (``http://127.0.0.1:PORT``). The caller stops the process."""
    command = [sys.executable, "-m", "kgtools.cli", "serve", "--port", "0", *args]
    if workers is not None:
        command += ["--workers", str(workers)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        line = first_line(process)
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, f"kgtools serve {' '.join(args)} said: {line}"
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process, f"http://127.0.0.1:{match.group(1)}"
