"""`socialcheck autostart on|off|status`: start the server when the user logs in.

- Linux: a systemd user unit, ~/.config/systemd/user/socialcheck.service, enabled for
  default.target (the link `systemctl --user enable` makes, made here directly so that it
  works even where the user's systemd is not running yet), then started when systemd is there.
- macOS: a LaunchAgent, ~/Library/LaunchAgents/socialcheck.server.plist, loaded with launchctl.
- Windows: a command file in the user's Startup folder that starts the server without a window.

Each entry runs this very Python (`sys.executable -m checker.cli serve ...`), so it keeps working
for a pipx or venv install, whatever PATH holds at login.
"""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

UNIT_NAME = "socialcheck.service"
AGENT_LABEL = "socialcheck.server"
STARTUP_FILE = "socialcheck-server.cmd"
MARKER = "Written by `socialcheck autostart on`; `socialcheck autostart off` removes it."

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(list(command), capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(list(command), 127, "", str(error))


def serve_command(serve_args: Sequence[str] = (), python: str | None = None, *, windowless: bool = False) -> list[str]:
    """The command that starts the server: this Python, so the entry survives PATH changes."""
    python = python or sys.executable
    if windowless:
        candidate = Path(python).with_name("pythonw.exe")
        python = str(candidate) if candidate.exists() else python
    return [python, "-m", "checker.cli", "serve", *serve_args]


def _systemd_quote(argument: str) -> str:
    # systemd expands % specifiers and $ variables in ExecStart: double them to keep them literal.
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def _cmd_quote(argument: str) -> str:
    return '"' + argument.replace('"', '""').replace("%", "%%") + '"'


@dataclass
class Autostart:
    """The login entry for one operating system and home folder (tests pass their own)."""

    system: str = sys.platform
    home: Path = field(default_factory=Path.home)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    run: Runner = _run

    @property
    def kind(self) -> str:
        if self.system.startswith("linux"):
            return "systemd user unit"
        if self.system == "darwin":
            return "LaunchAgent"
        if self.system == "win32":
            return "Startup folder entry"
        raise ValueError(f"starting at login is not supported on {self.system!r} (Linux, macOS and Windows are)")

    # --- where the entry lives ----------------------------------------------------------

    def path(self) -> Path:
        kind = self.kind
        if kind == "systemd user unit":
            config = Path(self.environ.get("XDG_CONFIG_HOME") or self.home / ".config")
            return config / "systemd" / "user" / UNIT_NAME
        if kind == "LaunchAgent":
            return self.home / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"
        appdata = Path(self.environ.get("APPDATA") or self.home / "AppData" / "Roaming")
        return appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / STARTUP_FILE

    def _enabled_link(self) -> Path:
        return self.path().parent / "default.target.wants" / UNIT_NAME

    def log_file(self) -> Path:
        if self.system == "darwin":
            return self.home / "Library" / "Logs" / "socialcheck-server.log"
        local = Path(self.environ.get("LOCALAPPDATA") or self.home / "AppData" / "Local")
        return local / "socialcheck" / "server.log"

    # --- what it says -------------------------------------------------------------------

    def content(self, command: Sequence[str]) -> bytes:
        kind = self.kind
        if kind == "systemd user unit":
            return (
                "[Unit]\n"
                "Description=Socialcheck server: checks posts against the organisation's social media identity\n"
                f"# {MARKER}\n\n"
                "[Service]\n"
                "Type=simple\n"
                f"ExecStart={' '.join(_systemd_quote(part) for part in command)}\n"
                "Restart=on-failure\n"
                "RestartSec=5\n"
                # serve stops cleanly on SIGTERM, systemd's own way of stopping a service.
                "KillSignal=SIGTERM\n"
                "TimeoutStopSec=20\n\n"
                "[Install]\n"
                "WantedBy=default.target\n"
            ).encode()
        if kind == "LaunchAgent":
            log = str(self.log_file())
            agent = {
                "Label": AGENT_LABEL,
                "ProgramArguments": list(command),
                "RunAtLoad": True,
                # Restarted if it fails, not when it was stopped on purpose.
                "KeepAlive": {"SuccessfulExit": False},
                "ProcessType": "Interactive",
                "StandardOutPath": log,
                "StandardErrorPath": log,
                "Comment": MARKER,
            }
            return plistlib.dumps(agent)
        log = self.log_file()
        lines = [
            "@echo off",
            f"rem {MARKER}",
            f'if not exist {_cmd_quote(str(log.parent))} mkdir {_cmd_quote(str(log.parent))}',
            # `start` returns at once; pythonw has no console window, its output goes to the log.
            f'start "" /b {" ".join(_cmd_quote(part) for part in command)} >> {_cmd_quote(str(log))} 2>&1',
        ]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")

    # --- on, off, status ----------------------------------------------------------------

    def on(self, serve_args: Sequence[str] = (), python: str | None = None) -> list[str]:
        """Write and enable the entry, start the server now where the system can; returns what happened."""
        command = serve_command(serve_args, python, windowless=self.kind == "Startup folder entry")
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.content(command))
        said = [f"wrote the {self.kind} {path}"]
        kind = self.kind
        if kind == "systemd user unit":
            link = self._enabled_link()
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(Path("..") / UNIT_NAME)
            said.append("enabled it: it starts when you log in")
            if self._systemd_running():
                self.run(["systemctl", "--user", "daemon-reload"])
                started = self.run(["systemctl", "--user", "restart", UNIT_NAME])
                said.append("started it now" if started.returncode == 0 else f"could not start it now: {_why(started)}")
            else:
                said.append("systemd is not running for this user here, so it starts at your next login")
        elif kind == "LaunchAgent":
            self.log_file().parent.mkdir(parents=True, exist_ok=True)
            domain = f"gui/{os.getuid()}"
            self.run(["launchctl", "bootout", f"{domain}/{AGENT_LABEL}"])  # an older copy, if loaded
            loaded = self.run(["launchctl", "bootstrap", domain, str(path)])
            said.append("loaded it: started now and at every login" if loaded.returncode == 0 else f"it starts at your next login (launchctl: {_why(loaded)})")
        else:
            said.append("it starts at your next login; run `socialcheck serve` to start it now")
        return said

    def off(self) -> list[str]:
        """Stop the login entry's server and remove the entry; returns what happened."""
        path = self.path()
        said = []
        kind = self.kind
        if kind == "systemd user unit":
            if self._systemd_running():
                self.run(["systemctl", "--user", "stop", UNIT_NAME])
            link = self._enabled_link()
            if link.is_symlink() or link.exists():
                link.unlink()
        elif kind == "LaunchAgent":
            self.run(["launchctl", "bootout", f"gui/{os.getuid()}/{AGENT_LABEL}"])
        if path.exists():
            path.unlink()
            said.append(f"removed the {kind} {path}")
        else:
            said.append(f"there was no {kind} to remove ({path})")
        if kind == "systemd user unit" and self._systemd_running():
            self.run(["systemctl", "--user", "daemon-reload"])
        return said

    def status(self) -> tuple[bool, list[str]]:
        """Whether it is on, and a line or two about it."""
        path = self.path()
        if not path.exists():
            return False, [f"autostart is off: no {self.kind} at {path}"]
        said = [f"autostart is on: {self.kind} {path}"]
        kind = self.kind
        if kind == "systemd user unit":
            if not (self._enabled_link().is_symlink() or self._enabled_link().exists()):
                return False, [f"autostart is off: {path} exists but is not enabled (run `socialcheck autostart on`)"]
            if self._systemd_running():
                active = self.run(["systemctl", "--user", "is-active", UNIT_NAME])
                said.append(f"systemd says: {active.stdout.strip() or _why(active)}")
        elif kind == "LaunchAgent":
            loaded = self.run(["launchctl", "print", f"gui/{os.getuid()}/{AGENT_LABEL}"])
            said.append("launchctl: loaded" if loaded.returncode == 0 else "launchctl: not loaded yet (it loads at your next login)")
        return True, said

    def port(self) -> int | None:
        """The port the login entry's server listens on, read back from the entry."""
        try:
            text = self.path().read_bytes().decode("utf-8", "replace")
        except OSError:
            return None
        found = re.search(r"--port\W+(\d+)", text)
        return int(found.group(1)) if found else None

    def _systemd_running(self) -> bool:
        """Whether this user's systemd answers (not so in most containers)."""
        if shutil.which("systemctl") is None:
            return False
        answer = self.run(["systemctl", "--user", "is-system-running"])
        # "degraded" or "starting" still manage units; a missing bus gives an error and no state.
        return answer.stdout.strip() in {"running", "degraded", "starting", "initializing"}


def _why(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stderr or result.stdout).strip().splitlines()[0] if (result.stderr or result.stdout).strip() else f"exit status {result.returncode}"
