"""The real server under waitress, in a thread, on a free loopback port: for tests that talk HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import waitress

from server import create_app


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
