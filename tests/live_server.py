"""The real server for tests that talk HTTP: under waitress in a thread on a free loopback port,
or a `socialcheck serve` process whose output a thread reads (ServeProcess); and a folder's
files over HTTP for pages and packs (static_site)."""

from __future__ import annotations

import http.client
import json
import re
import signal
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import waitress

from server import create_app


def request_json(port: int, method: str, path: str, body: bytes | None = None,
                 headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One request to the server on a loopback port, as a client sends it; its JSON answer,
    which must come with 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"X-Socialcheck-Client": "pytest", **(headers or {})})
        response = connection.getresponse()
        payload = json.loads(response.read())
        assert response.status == 200, payload
        return payload
    finally:
        connection.close()


@contextmanager
def waitress_server(config: Mapping[str, Any]) -> Iterator[int]:
    """Serve `create_app(config)` until the block ends; yields the port."""
    from server.serve import WAITRESS_SETTINGS

    app = create_app(dict(config))
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4, **WAITRESS_SETTINGS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        # Close from the server's own loop thread (a thunk through its trigger): closing from
        # here would pull sockets from under a loop that is still polling them.
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=10)
        assert not thread.is_alive()
        app.extensions["socialcheck"].stop()  # the policy follower's thread, when it runs


class ServeProcess:
    """A `socialcheck serve` process and everything it has printed so far (read by a thread)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 60.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (found := re.search(pattern, "".join(self.lines))):
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    pytest.fail(f"serve never printed {pattern!r}; it printed:\n{''.join(self.lines)}")
                self._changed.wait(min(left, 0.5))
            return found

    stop_timeout = 15.0  # seconds a SIGTERM may take before the process is killed

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def static_site(folder: str | Path, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """Serve a folder's files on a free loopback port (over TLS with `tls`), quietly, until the
    block ends; yields the port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
