"""Where the server's policy pack comes from, and keeping the pack in force up to date.

Two kinds of source:

- A folder (`--policy DIR`, or the bundled pack): watched; when its files change, the pack is
  loaded again within a second or two, without a restart.
- A published pack (`--policy URL`): an https:// (or http://) address of the pack as a zip, or a
  file:// address of a folder or zip on a network share. It is checked on start and every N
  minutes; each good copy is kept in the config folder, so a laptop that starts offline serves
  the last one it had.

Whatever the source, a new pack goes into force only once it has loaded, compiled and checked a
post under every profile. A broken one leaves the old pack running, and `state()` (shown by
/v1/health) says why: the file, the rule and the problem.

A pack's version is its name and a SHA-256 of its files (path and content), so the same pack has
the same hash however it was delivered.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from checker.errors import CheckerError, PolicyError
from checker.policy import DEFAULT_PACK, Policy, load_policy

log = logging.getLogger(__name__)

# Bounds on what a published pack may be: a pack is a few hundred kilobytes of TOML and two PNGs.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_FILES = 2000
FETCH_TIMEOUT_SECONDS = 20
KEEP_COPIES = 2  # the pack in force and the one before it (requests may still be using it)
_SKIPPED_PARTS = ("__pycache__", "__MACOSX")
USER_AGENT = "socialcheck-policy-follower"


class NotAPack(ValueError):
    """What was fetched is not a policy pack (not a zip, a file outside the pack, too large)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def pack_files(root: Path) -> list[Path]:
    """The files that make up a pack, relative to its root, in a stable order (no hidden or editor files)."""
    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part in _SKIPPED_PARTS for part in relative.parts):
            continue
        if relative.name.endswith("~") or not path.is_file():
            continue
        files.append(relative)
    return files


def hash_files(contents: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(contents):
        digest.update(name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0" + data)
    return "sha256:" + digest.hexdigest()


def pack_hash(root: Path) -> str:
    """The content hash of a pack folder."""
    return hash_files([(p.as_posix(), (root / p).read_bytes()) for p in pack_files(root)])


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """A cheap fingerprint (names, sizes, modification times): hashed only when it changes."""
    out = []
    for relative in pack_files(root):
        try:
            stat = (root / relative).stat()
        except OSError:
            continue
        out.append((relative.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


@dataclass(frozen=True)
class Problem:
    """Why a new pack was not put into force."""

    message: str
    file: str | None = None
    rule: str | None = None
    at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rule": self.rule, "message": self.message, "at": self.at}


def _relative_file(file: str | None, root: Path) -> str | None:
    if not file:
        return file
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file


def _problem(error: BaseException, root: Path | None = None) -> Problem:
    if isinstance(error, PolicyError):
        return Problem(message=error.problem, file=_relative_file(error.file, root) if root else error.file, rule=error.rule, at=_now())
    if isinstance(error, OSError) and getattr(error, "filename", None):
        file = _relative_file(str(error.filename), root) if root else str(error.filename)
        return Problem(message=error.strerror or str(error), file=file, at=_now())
    return Problem(message=str(error) or error.__class__.__name__, at=_now())


def validate(root: Path) -> Policy:
    """Load a pack as the server would use it; raises on any mistake (PolicyError names file, rule, problem)."""
    policy = load_policy(root)
    from checker.image.identity import visual_identity
    from checker.text.engine import check_text

    visual_identity(policy)
    from checker.grammar.config import read_config

    read_config(policy)  # the [grammar] table and the word lists it names
    # Every rule runs once under every profile: a pack that loads but breaks on a post is refused too.
    for profile in policy.profiles:
        check_text(VALIDATION_TEXT, platform="x", profile=profile, policy=policy, grammar=False)
    return policy


VALIDATION_TEXT = (
    "Thrilled to share HUGE news!!! Researchers have been awarded funding to study antimicrobial "
    "resistance, leveraging synergies with partners. Read more: https://example.ac.uk/news #research @partner 🎉"
)


class PolicySource:
    """The pack in force, where it comes from, and the background check that keeps it current."""

    def __init__(
        self,
        location: str | Path | None,
        *,
        cache_dir: Path | None = None,
        check_minutes: float = 15.0,
        watch_seconds: float = 1.0,
    ) -> None:
        text = str(location) if location is not None else ""
        self.published = "://" in text
        self.location = text if self.published else str(Path(location) if location is not None else DEFAULT_PACK)
        self.bundled = location is None
        if self.published:
            scheme = urllib.parse.urlsplit(text).scheme.lower()
            if scheme not in {"https", "http", "file"}:
                raise ValueError(f"a policy pack address starts with https://, http:// or file://, not {scheme}://")
            if cache_dir is None:
                from server.pairing import config_dir

                cache_dir = config_dir() / "policy-cache"
            self.cache = cache_dir / hashlib.sha256(text.encode()).hexdigest()[:16]
        else:
            self.cache = None
        self.interval = check_minutes * 60.0 if self.published else watch_seconds
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_change: Callable[[Policy], None] | None = None
        self.policy: Policy | None = None
        self.hash = ""
        self.loaded_at = ""
        self.checked_at: str | None = None
        self.problem: Problem | None = None
        self.offline: str | None = None  # why the published pack could not be reached, while serving the kept copy
        self._etag: str | None = None
        self._last_modified: str | None = None
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._refused_hash = ""

    # --- the first load: at start, where a failure stops the server --------------------

    def load_initial(self) -> Policy:
        if not self.published:
            root = Path(self.location)
            self._signature = _signature(root)
            self.hash = pack_hash(root)
            # The bundled pack is loaded through the library's cache, as everything else uses it.
            policy = load_policy(None if self.bundled else root)
            self._in_force(policy, self.hash)
            return policy
        try:
            fetched = self._fetch()
        except NotAPack as error:
            kept = self._kept_copy()
            if kept is None:
                raise PolicyError(self.location, None, str(error)) from None
            policy = load_policy(kept[0])
            self._in_force(policy, kept[1])
            self._refused(_problem(error))
            return policy
        except OSError as error:
            kept = self._kept_copy()
            if kept is None:
                raise PolicyError(self.location, None, f"the policy pack could not be fetched ({_problem(error).message}) and no copy of it is kept here yet") from None
            self.offline = _problem(error).message
            log.warning("policy pack %s unreachable (%s): serving the copy kept from %s", self.location, self.offline, kept[1])
            root, digest = kept
            policy = load_policy(root)
            self._in_force(policy, digest)
            return policy
        self.checked_at = _now()
        kept = self._kept_copy()
        if fetched is None:  # 304: unchanged since the kept copy
            assert kept is not None
            fetched = kept
        root, digest = fetched
        try:
            policy = validate(root)
        except (CheckerError, OSError, UnicodeDecodeError) as error:
            if kept is None or kept[1] == digest:
                raise
            # The published pack is broken: serve the last good one, and say why.
            self._refused_hash = digest
            self._discard(root)
            policy = load_policy(kept[0])
            self._in_force(policy, kept[1])
            self._refused(_problem(error, root))
            return policy
        self._keep(root, digest)
        self._in_force(policy, digest)
        return policy

    # --- checking for a new version ------------------------------------------------------

    def check(self) -> bool:
        """Look for a new version now; returns True when one was put into force."""
        try:
            if self.published:
                return self._check_published()
            return self._check_folder()
        except Exception as error:  # noqa: BLE001 - a background check must never stop the server
            log.exception("checking the policy pack %s failed", self.location)
            self._refused(_problem(error))
            return False

    def _check_folder(self) -> bool:
        root = Path(self.location)
        signature = _signature(root)
        if signature == self._signature:
            return False
        # Wait for an editor's save to finish: the files must stay put for a moment.
        time.sleep(min(0.3, self.interval / 2))
        if _signature(root) != signature:
            return False
        self._signature = signature
        self.checked_at = _now()
        digest = pack_hash(root)
        if digest == self.hash:
            with self._lock:
                self.problem = None  # back as it was
            return False
        try:
            policy = validate(root)
        except (CheckerError, OSError, UnicodeDecodeError) as error:
            self._refused(_problem(error, root))
            return False
        self._in_force(policy, digest)
        return True

    def _check_published(self) -> bool:
        try:
            fetched = self._fetch()
        except NotAPack as error:
            with self._lock:
                self.offline, self.checked_at = None, _now()
            self._refused(_problem(error))
            return False
        except OSError as error:
            message = _problem(error).message
            with self._lock:
                was, self.offline, self.checked_at = self.offline, message, _now()
            if was != message:  # said once, not at every check
                log.warning("policy pack %s unreachable: %s (keeping %s)", self.location, message, self.hash[:19])
            return False
        with self._lock:
            self.offline = None
            self.checked_at = _now()
        if fetched is None:
            return False
        root, digest = fetched
        if digest == self.hash:
            with self._lock:
                self.problem = None
            return False
        if digest == self._refused_hash:
            return False  # the same broken version as before: already reported
        try:
            policy = validate(root)
        except (CheckerError, OSError, UnicodeDecodeError) as error:
            self._refused(_problem(error, root))
            self._refused_hash = digest
            self._discard(root)
            return False
        self._keep(root, digest)
        self._in_force(policy, digest)
        return True

    def _in_force(self, policy: Policy, digest: str) -> None:
        with self._lock:
            changed = self.policy is not None
            self.policy, self.hash, self.loaded_at, self.problem = policy, digest, _now(), None
            on_change = self._on_change
        if changed:
            log.warning("policy pack %r %s now in force (from %s)", policy.name, digest[:19], self.location)
            if on_change is not None:
                on_change(policy)

    def _refused(self, problem: Problem) -> None:
        with self._lock:
            same = self.problem is not None and (self.problem.file, self.problem.rule, self.problem.message) == (problem.file, problem.rule, problem.message)
            self.problem = problem
        if same:
            return
        where = f"{problem.file}: " if problem.file else ""
        rule = f"rule {problem.rule!r}: " if problem.rule else ""
        log.warning("the new policy pack from %s was not loaded, the old one stays in force: %s%s%s", self.location, where, rule, problem.message)

    # --- fetching a published pack -------------------------------------------------------

    def _fetch(self) -> tuple[Path, str] | None:
        """Fetch the pack into a new folder under the cache; None when the server says it is unchanged."""
        assert self.cache is not None
        parts = urllib.parse.urlsplit(self.location)
        if parts.scheme == "file":
            path = Path(urllib.request.url2pathname(parts.path))
            if parts.netloc and parts.netloc != "localhost":
                path = Path(f"//{parts.netloc}{parts.path}")  # file://server/share/pack: a UNC path
            if path.is_dir():
                contents = [(p.as_posix(), (path / p).read_bytes()) for p in pack_files(path)]
                if not contents:
                    raise NotAPack(f"{path} holds no files")
                return self._unpack(contents)
            data = path.read_bytes()
        else:
            request = urllib.request.Request(self.location, headers={"User-Agent": USER_AGENT})
            # Only the ETag is asked about: Last-Modified counts whole seconds, so a pack published
            # twice within one second would look unchanged for ever. A pack is small to fetch again.
            if self._etag and self._kept_copy() is not None:
                request.add_header("If-None-Match", self._etag)
            try:
                with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as answer:
                    data = answer.read(MAX_DOWNLOAD_BYTES + 1)
                    etag, modified = answer.headers.get("ETag"), answer.headers.get("Last-Modified")
            except urllib.error.HTTPError as error:
                if error.code == 304:
                    return None
                raise OSError(f"{self.location} answered HTTP {error.code}") from None
            except urllib.error.URLError as error:
                raise OSError(f"{self.location} cannot be reached ({error.reason})") from None
            if len(data) > MAX_DOWNLOAD_BYTES:
                raise NotAPack(f"{self.location} is larger than {MAX_DOWNLOAD_BYTES // (1024 * 1024)} MB: not a policy pack")
            self._etag, self._last_modified = etag, modified
        try:
            contents = _zip_contents(data, self.location)
        except zipfile.BadZipFile:
            raise NotAPack(f"{self.location} is not a zip of a policy pack") from None
        return self._unpack(contents)

    def _unpack(self, contents: list[tuple[str, bytes]]) -> tuple[Path, str]:
        """Write the files into the cache, in a folder named by their hash (where the pack then stays)."""
        assert self.cache is not None
        digest = hash_files(contents)
        home = self.cache / digest[7:23]
        if home.is_dir():
            return home, digest
        staging = self.cache / f"incoming-{digest[7:23]}-{time.monotonic_ns()}"
        for name, data in contents:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        staging.rename(home)  # whole or not at all
        return home, digest

    def _discard(self, root: Path) -> None:
        """Remove a refused copy, unless it is the kept one or the one in force."""
        kept = self._kept_copy()
        if (kept is None or kept[0] != root) and (self.policy is None or Path(self.policy.root) != root):
            shutil.rmtree(root, ignore_errors=True)

    def _keep(self, home: Path, digest: str) -> None:
        """Make a validated copy the kept one (for offline starts); drop all but the newest few."""
        assert self.cache is not None
        meta = {"source": self.location, "hash": digest, "folder": home.name, "kept_at": _now(), "etag": self._etag, "last_modified": self._last_modified}
        partial = self.cache / "kept.json.partial"
        partial.write_text(json.dumps(meta, indent=2), encoding="utf-8")
        partial.replace(self.cache / "kept.json")
        copies = sorted((p for p in self.cache.iterdir() if p.is_dir() and not p.name.startswith("incoming-")), key=lambda p: p.stat().st_mtime, reverse=True)
        keep = {home.name, *(p.name for p in copies[:KEEP_COPIES])}
        for old in copies:
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def _kept_copy(self) -> tuple[Path, str] | None:
        assert self.cache is not None
        try:
            meta = json.loads((self.cache / "kept.json").read_text(encoding="utf-8"))
            folder = self.cache / meta["folder"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not folder.is_dir():
            return None
        if self._etag is None:
            self._etag, self._last_modified = meta.get("etag"), meta.get("last_modified")
        return folder, str(meta["hash"])

    # --- running in the background -------------------------------------------------------

    def start(self, on_change: Callable[[Policy], None]) -> None:
        """Check every interval in a background thread; `on_change` gets each new pack put into force."""
        with self._lock:
            self._on_change = on_change
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="policy-follow", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def state(self) -> dict[str, Any]:
        """The pack in force and the state of following it (for /v1/health)."""
        with self._lock:
            policy = self.policy
            return {
                "name": policy.name if policy else None,
                "hash": self.hash,
                "source": "bundled" if self.bundled else self.location,
                "follows": "url" if self.published else "folder",
                "loaded_at": self.loaded_at,
                "checked_at": self.checked_at,
                "check_every_seconds": self.interval if self._thread is not None else None,
                "offline": self.offline,
                "problem": self.problem.to_dict() if self.problem else None,
            }


def _zip_contents(data: bytes, where: str) -> list[tuple[str, bytes]]:
    """The files of a zipped pack: its root holds identity.toml, or one folder that does."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > MAX_FILES:
            raise NotAPack(f"{where} holds more than {MAX_FILES} files: not a policy pack")
        if sum(info.file_size for info in entries) > MAX_UNPACKED_BYTES:
            raise NotAPack(f"{where} unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: not a policy pack")
        names = [PurePosixPath(info.filename) for info in entries]
        for name in names:
            if name.is_absolute() or ".." in name.parts or "\\" in str(name):
                raise NotAPack(f"{where} holds a file outside the pack ({name})")
        prefix: tuple[str, ...] = ()
        if PurePosixPath("identity.toml") not in names:
            tops = {name.parts[0] for name in names if len(name.parts) > 1 and name.parts[0] not in _SKIPPED_PARTS}
            if len(tops) == 1 and PurePosixPath(next(iter(tops)), "identity.toml") in names:
                prefix = (next(iter(tops)),)
            else:
                raise NotAPack(f"{where} is a zip without identity.toml at its top (or in one folder there): not a policy pack")
        contents = []
        total = 0
        for info, name in zip(entries, names):
            if name.parts[: len(prefix)] != prefix:
                continue
            inner = PurePosixPath(*name.parts[len(prefix) :])
            if any(part.startswith(".") or part in _SKIPPED_PARTS for part in inner.parts) or inner.name.endswith("~"):
                continue
            with archive.open(info) as member:
                body = member.read(MAX_UNPACKED_BYTES + 1 - total)
            total += len(body)
            if total > MAX_UNPACKED_BYTES:  # the sizes in the directory were not the truth
                raise NotAPack(f"{where} unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: not a policy pack")
            contents.append((inner.as_posix(), body))
        return contents
