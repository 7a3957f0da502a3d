"""`socialcheck serve`: run the server with waitress (Linux, macOS and Windows alike).

Binds to loopback by default. On any other address the pairing token is
required, whatever the options say: a shared server for a department must
not answer strangers on the network.
"""

from __future__ import annotations

import gc
import logging
import signal
import socket
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from server.settings import DEFAULT_PORT, LOOPBACK_HOSTS, is_loopback, normalise_host

if TYPE_CHECKING:
    from flask import Flask

WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
# Waitress answers bodies beyond its own limit with a plain-text 413; keep it well above the app's
# own limits so that the app's JSON error is what clients normally see.
WAITRESS_BODY_FACTOR = 4
# Waitress reads requests on one loop and answers them with `threads`; a connection that trickles
# its headers costs the loop nothing but a slot. Past waitress's default of 100 slots, 120 such
# connections (one header line every 10 s) kept every health check out. Many slots, and a short
# idle timeout, keep the server answering (tests/test_server_slow_clients.py).
WAITRESS_SETTINGS: dict[str, Any] = {
    "connection_limit": 1000,  # under the usual 1,024 open files, with room for the rest
    "channel_timeout": 20,  # seconds a connection may sit idle (the extension's requests take under 1 s)
    "cleanup_interval": 5,  # how often idle connections are looked for
    "backlog": 1024,
    "clear_untrusted_proxy_headers": True,
}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one), IPv4 or IPv6 as the host says."""
    host = normalise_host(host)
    if host == "localhost":
        host = "127.0.0.1"  # "localhost" may resolve to ::1 alone, where the extension's 127.0.0.1 never arrives
    family, _, _, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    return socket.create_server(address[:2], family=family, backlog=WAITRESS_SETTINGS["backlog"])


def _room_for_connections() -> None:
    """Let the process open enough files for WAITRESS_SETTINGS' connections (Unix's soft limit
    is often 1,024; the hard limit allows more)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit on sockets
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = WAITRESS_SETTINGS["connection_limit"] + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def allowed_hosts(host: str, extra: Iterable[str]) -> list[str]:
    """Host header names to answer: loopback names, plus this machine's names when bound beyond it."""
    names = list(LOOPBACK_HOSTS) + [normalise_host(h) for h in extra]
    if normalise_host(host) not in WILDCARD_HOSTS:
        names.append(normalise_host(host))  # the address it listens on and prints, loopback too (127.0.0.2)
    if not is_loopback(host):
        hostname = socket.gethostname()
        names += [hostname.lower(), socket.getfqdn().lower()]
        if normalise_host(host) in WILDCARD_HOSTS:
            try:
                names += socket.gethostbyname_ex(hostname)[2]
            except OSError:
                pass
    return sorted(set(names))


def url(host: str, port: int) -> str:
    host = normalise_host(host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _describe(states: dict[str, dict[str, str]]) -> str:
    parts = []
    for name in ("harper", "languagetool"):
        state = states.get(name, {})
        reason = f" ({state['reason']})" if state.get("reason") and state.get("state") != "ready" else ""
        parts.append(f"{name} {state.get('state', 'unavailable')}{reason}")
    return "; ".join(parts)


def _watch_grammar(app: Flask, out: TextIO, stop: threading.Event, *, every: float = 0.5, limit: float = 120.0) -> None:
    """Print the grammar engines' state when it changes, until nothing is starting any more."""
    engines = app.extensions["socialcheck"]
    last = _describe(engines.states())
    waited = 0.0
    while not stop.wait(every) and waited < limit:
        waited += every
        states = engines.states()
        now = _describe(states)
        if now != last:
            print(f"grammar: {now}", file=out, flush=True)
            last = now
        if engines.status(states) != "starting":
            return


def run(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    policy: str | Path | None = None,
    policy_check_minutes: float = 15,
    token: str | None = None,
    require_token: bool = False,
    show_token: bool = False,
    extension_ids: Sequence[str] = (),
    allow_hosts: Sequence[str] = (),
    grammar: bool = True,
    threads: int = 8,
    out: TextIO = sys.stdout,
) -> int:
    """Serve until interrupted; returns the exit status."""
    if grammar:
        # Harper's dictionary first of all: it takes as long as Flask's imports and the policy's
        # load, which go on meanwhile (Harper lets go of the GIL), so that the server is ready
        # with Harper as soon as it answers.
        from checker.grammar.harper_engine import prewarm

        prewarm()
    from server import create_app
    from server.pairing import config_dir, masked, token_state
    from server.personal_dictionary import FILE_NAME as PERSONAL_DICTIONARY

    import waitress

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Under a burst of checks waitress warns of every queued request; that is normal here, not news.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    loopback = is_loopback(host)
    if token is None:
        token, token_file, created = token_state()
        where = f"kept in {token_file}"
        # In full when it is made (to paste into the extension) or asked for; on later starts a
        # log or a shared screen shows only enough of it to tell which one it is.
        shown = token if created or show_token else f"{masked(token)} (--show-token shows it in full)"
    else:
        where, shown = "given with --token", masked(token)
    required = require_token or not loopback

    _room_for_connections()
    listener = bind(host, port)
    bound_host, actual_port = listener.getsockname()[:2]
    app = create_app(
        {
            "SOCIALCHECK_POLICY": policy,
            "SOCIALCHECK_POLICY_FOLLOW": True,
            "SOCIALCHECK_POLICY_CHECK_MINUTES": policy_check_minutes,
            "SOCIALCHECK_GRAMMAR": grammar,
            "SOCIALCHECK_TOKEN": token,
            "SOCIALCHECK_REQUIRE_TOKEN": required,
            "SOCIALCHECK_ALLOWED_HOSTS": allowed_hosts(host, allow_hosts),
            "SOCIALCHECK_PORT": actual_port,
            "SOCIALCHECK_EXTENSION_IDS": list(extension_ids),
            "SOCIALCHECK_DICTIONARY": str(config_dir() / PERSONAL_DICTIONARY),
        }
    )
    settings = app.extensions["socialcheck"].settings
    server = waitress.create_server(
        app,
        sockets=[listener],
        threads=threads,
        ident="socialcheck",
        max_request_body_size=WAITRESS_BODY_FACTOR * settings.image_body_limit,
        **WAITRESS_SETTINGS,
    )

    engines = app.extensions["socialcheck"]
    why = "required" if required else "optional on loopback; --require-token to require it"
    if not loopback and not require_token:
        why = "required, because the server is reachable beyond this machine"
    print(f"socialcheck server listening on {url(bound_host, actual_port)} (policy: {engines.policy.name})", file=out)
    print(f"pairing token: {shown} ({where}; {why})", file=out)
    print(f"grammar: {_describe(engines.states())}", file=out)
    print(f"policy pack: {_describe_pack(engines)}", file=out)
    words = len(engines.dictionary.words())
    print(f"personal dictionary: {words} word{'' if words == 1 else 's'} in {engines.dictionary.path}", file=out)
    print("Press Ctrl+C to stop.", file=out, flush=True)

    stop = threading.Event()
    watcher = threading.Thread(target=_watch_grammar, args=(app, out, stop), name="grammar-watch", daemon=True)
    watcher.start()
    # Stop as cleanly on SIGTERM (a service manager, a test) as on Ctrl+C.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if threading.current_thread() is threading.main_thread() else None
    # The pack, the tone model and the word tables are a few hundred thousand objects that live
    # as long as the process: moved out of the collector's sight, its full collections stop
    # walking them in the middle of someone's check.
    gc.freeze()
    try:
        server.run()  # returns on Ctrl+C or SIGTERM (waitress catches the interrupt itself)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        engines.stop()
        server.close()
        _stop_grammar(engines.grammar)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    print("socialcheck server stopped.", file=out, flush=True)
    return 0


def _describe_pack(engines: Any) -> str:
    pack = engines.source.state()
    if pack["follows"] == "url":
        every = f"checked every {pack['check_every_seconds'] / 60:g} minutes"
    else:
        every = "reloaded when its files change"
    offline = f"; unreachable, serving the copy kept here ({pack['offline']})" if pack["offline"] else ""
    source = "the bundled pack" if pack["source"] == "bundled" else pack["source"]
    return f"{pack['name']} {pack['hash'][:19]} from {source} ({every}){offline}"


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_grammar(grammar: Any) -> None:
    stop_engines = getattr(grammar, "shutdown_engines", None)
    if stop_engines is not None:
        stop_engines()
