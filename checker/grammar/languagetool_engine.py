"""LanguageTool: a remote server by URL, or a local one started through language-tool-python.

One engine per process and configuration, started in a background thread with
a timeout, so the rules keep answering while Java starts (about 9 s) and a
LanguageTool that cannot start leaves a reason instead of an exception.

language-tool-python starts and stops the local Java server (finding the
install, picking a port, waiting until it answers, killing it at exit). The
checks themselves are plain HTTP posts made here, with a timeout, from any
thread: we need the raw UTF-16 offsets (see offsets.py), and the library's
own request path waits 300 s and restarts Java on any error.

Nothing is downloaded here: a missing install is reported as unavailable with
how to install it (`python -m checker.grammar install-languagetool`).
Text is sent only to the configured URL or to the local server on loopback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from checker.grammar.config import GrammarConfig
from checker.grammar.harper_engine import EngineMatch, EngineStatus
from checker.grammar.offsets import Utf16Index

JAR_NAMES = ("languagetool-server.jar", "languagetool.jar")
RETRY_AFTER = 30.0  # seconds before an unreachable server is tried again
INSTALL_HINT = (
    "install it with `python -m checker.grammar install-languagetool` (needs Java 17+ and a network "
    "connection the first time), set SOCIALCHECK_LT_JAR_DIR to an unzipped LanguageTool, "
    "or set SOCIALCHECK_LT_URL to a LanguageTool server"
)
_LTP_ENV_LOCK = threading.Lock()


def installed_languagetool() -> Path | None:
    """The newest LanguageTool that language-tool-python has downloaded, if any (no network)."""
    # Its download folder (language_tool_python.utils.get_language_tool_download_path), looked at
    # before importing it: the package imports requests and more (0.1 s of every start-up).
    downloads = Path(os.environ.get("LTP_PATH", str(Path.home() / ".cache" / "language_tool_python")))
    try:
        if not any(downloads.iterdir()):
            return None
    except OSError:  # no such folder: nothing was downloaded
        return None
    try:
        from language_tool_python.download_lt import LocalLanguageTool

        latest = LocalLanguageTool.get_latest_installed_version()
        return latest.get_directory_path() if latest is not None else None
    except (OSError, ValueError, ImportError):
        return None


def is_configured(config: GrammarConfig) -> bool:
    """A server URL, a jar folder or an earlier download: LanguageTool is there to be used."""
    return bool(config.languagetool_url or config.languagetool_jar_dir or installed_languagetool())


def java_major_version(timeout: float = 10.0) -> int | None:
    """The major version of `java` on PATH, or None if there is none."""
    java = shutil.which("java")
    if java is None:
        return None
    try:
        output = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=timeout, check=False
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(?:1\.)?(\d+)', output)
    return int(match.group(1)) if match else None


class LanguageToolEngine:
    name = "languagetool"

    def __init__(self, config: GrammarConfig) -> None:
        self.config = config
        self.status = EngineStatus("starting", "not started yet")
        self._url: str | None = None  # base URL ending in /v2/
        self._tool: Any = None  # language_tool_python.LanguageTool for a local server
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._started_at = 0.0
        self._retry_at = 0.0
        self._ready_reason = ""

    # --- life cycle ------------------------------------------------------------------

    def start(self, *, background: bool) -> None:
        with self._lock:
            if self._thread is not None or self._url is not None:
                thread = self._thread
            else:
                self._started_at = time.monotonic()
                self.status.set("starting", "starting LanguageTool in the background")
                thread = threading.Thread(target=self._start, name="socialcheck-languagetool-start", daemon=True)
                self._thread = thread
                thread.start()
        if not background and thread is not None:
            thread.join(self.config.start_timeout)
            self._check_timeout()

    def _start(self) -> None:
        try:
            if self.config.languagetool_url:
                self._start_remote(self.config.languagetool_url)
            else:
                self._start_local()
        except Exception as error:  # noqa: BLE001 - any failure degrades to Harper with the reason
            self.status.set("unavailable", f"LanguageTool could not start: {error}")

    def _start_remote(self, url: str) -> None:
        base = urllib.parse.urljoin(url.rstrip("/") + "/", "v2/")
        languages = self._get_json(base + "languages", timeout=min(self.config.start_timeout, 10.0))
        codes = {item.get("longCode") for item in languages if isinstance(item, dict)}
        if self.config.language not in codes:
            raise RuntimeError(f"the server at {url} does not offer {self.config.language}")
        self._url = base
        self._ready(f"remote server {_host_of(url)}, {self.config.language}")

    def _start_local(self) -> None:
        folder = Path(self.config.languagetool_jar_dir) if self.config.languagetool_jar_dir else installed_languagetool()
        if folder is None:
            raise RuntimeError(f"LanguageTool is not installed: {INSTALL_HINT}")
        if not any((folder / name).is_file() for name in JAR_NAMES):
            raise RuntimeError(f"no {JAR_NAMES[0]} in {folder}: {INSTALL_HINT}")
        version = re.fullmatch(r"LanguageTool-(\d+\.\d+|\d{8}|latest)", folder.name)
        if not version:
            raise RuntimeError(f"{folder} must keep its unzipped name, LanguageTool-<version>")
        java = java_major_version()
        if java is None:
            raise RuntimeError("Java is not installed (LanguageTool needs Java 17 or newer)")
        if java < 17:
            raise RuntimeError(f"Java {java} is too old (LanguageTool needs Java 17 or newer)")
        import language_tool_python

        # language-tool-python finds an install under LTP_PATH by folder name; point it at ours
        # only while it starts (its other entry points are not used here).
        with _LTP_ENV_LOCK:
            saved = {key: os.environ.get(key) for key in ("LTP_PATH", "LTP_JAR_DIR_PATH")}
            os.environ["LTP_PATH"] = str(folder.parent)
            os.environ["LTP_JAR_DIR_PATH"] = str(folder)  # also tells it never to download
            try:
                tool = language_tool_python.LanguageTool(
                    self.config.language, language_tool_download_version=version.group(1)
                )
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
        self._tool = tool
        self._url = tool.url
        self._ready(f"local LanguageTool {version.group(1)} on {_host_of(tool.url)}")

    def _ready(self, reason: str) -> None:
        self._ready_reason = reason
        self.status.set("ready", reason)

    def _check_timeout(self) -> None:
        if self.status.state == "starting" and self._started_at and self._url is None:
            waited = time.monotonic() - self._started_at
            if waited > self.config.start_timeout:
                self.status.set(
                    "unavailable", f"LanguageTool did not start within {self.config.start_timeout:g} s; using Harper"
                )

    def ensure_ready(self) -> bool:
        """Never blocks: starts in the background on first use and answers without it until ready."""
        if self._thread is None and self._url is None:
            self.start(background=True)
        self._check_timeout()
        if self._url is None:
            return False
        if self.status.state == "unavailable":
            if time.monotonic() < self._retry_at:
                return False
            self.status.set("starting", "trying the server again")
        return True

    def close(self) -> None:
        tool, self._tool, self._url = self._tool, None, None
        if tool is not None:
            tool.close()
        self.status.set("off", "closed")

    # --- checking --------------------------------------------------------------------

    def lint(self, paragraph: str) -> list[EngineMatch] | None:
        """The paragraph's matches, or None if the server did not answer (then it rests a while)."""
        url = self._url
        if url is None:
            return None
        form = {"text": paragraph, "language": self.config.language}
        disabled = self.config.languagetool_disabled()
        if disabled:
            form["disabledRules"] = ",".join(sorted(disabled))
        try:
            answer = self._post_json(url + "check", form)
        except (OSError, ValueError) as error:
            self._retry_at = time.monotonic() + RETRY_AFTER
            self.status.set("unavailable", f"LanguageTool did not answer ({_reason(error)}); using Harper")
            return None
        if self.status.state != "ready":
            self.status.set("ready", self._ready_reason)
        return matches_from_json(paragraph, answer)

    def _post_json(self, url: str, form: dict[str, str]) -> Any:
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(url, data=data, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=self.config.request_timeout) as response:  # noqa: S310
            return json.load(response)

    def _get_json(self, url: str, timeout: float) -> Any:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured URL
                return json.load(response)
        except (OSError, ValueError) as error:
            raise RuntimeError(f"the server at {_host_of(url)} did not answer ({_reason(error)})") from None


def matches_from_json(text: str, answer: Any) -> list[EngineMatch]:
    """LanguageTool's /v2/check answer as matches with `str` offsets into `text`."""
    index = Utf16Index(text)
    matches = []
    for item in answer.get("matches", []) if isinstance(answer, dict) else []:
        try:
            start, end = index.span(int(item["offset"]), int(item["length"]))
        except (KeyError, TypeError, ValueError, IndexError):
            continue  # a match we cannot place is a match we cannot show
        rule = item.get("rule") or {}
        category = (rule.get("category") or {}).get("id", "")
        spelling = rule.get("issueType") == "misspelling" or category == "TYPOS"
        problem = text[start:end]
        suggestions = tuple(r["value"] for r in item.get("replacements", [])[:5] if isinstance(r, dict) and "value" in r)
        matches.append(
            EngineMatch(
                engine="languagetool",
                rule=str(rule.get("id", "UNKNOWN")),
                category="spelling" if spelling else "grammar",
                start=start,
                end=end,
                message=str(item.get("message", "")).strip(),
                suggestions=suggestions,
                case_only=bool(suggestions) and all(s.lower() == problem.lower() for s in suggestions),
            )
        )
    return matches


def _host_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return type(error).__name__ if not str(error) else str(error)
