"""Issue 15, E: many connections that trickle their headers must not lock out other clients.

120 connections each send one header line now and then (waitress's default connection limit was
100, and every health check timed out). The test is bounded: 120 connections, about 6 seconds,
all on loopback, and it closes every socket it opened.
"""

from __future__ import annotations

import http.client
import socket
import time

try:
    from tests.live_server import waitress_server
except ImportError:
    from live_server import waitress_server

SLOW_CONNECTIONS = 120
ROUNDS = 3
PAUSE = 2.0  # seconds between header lines of every slow connection


def test_the_server_answers_while_many_connections_trickle_their_headers():
    with waitress_server({"SOCIALCHECK_GRAMMAR": False}) as port:
        slow: list[socket.socket] = []
        try:
            for number in range(SLOW_CONNECTIONS):
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                connection.sendall(f"POST /v1/check/text HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow-{number}: 1\r\n".encode())
                slow.append(connection)
            for round_ in range(ROUNDS):
                for number, connection in enumerate(slow):
                    try:
                        connection.sendall(f"X-Slow-{number}-{round_}: 1\r\n".encode())
                    except OSError:
                        pass  # the server may close an idle one; that is fine too
                started = time.monotonic()
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                try:
                    client.request("GET", "/v1/health")
                    assert client.getresponse().status == 200
                finally:
                    client.close()
                assert time.monotonic() - started < 1.0
                time.sleep(PAUSE)
        finally:
            for connection in slow:
                connection.close()
