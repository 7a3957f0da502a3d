"""`socialcheck autostart on|off|status`, writing into a temporary HOME.

Where the user's systemd runs, the unit is started for real and the server must answer; this
machine (a container, systemd not PID 1) has none, so the unit is checked with
`systemd-analyze verify`, which reads it as systemd would, and the macOS and Windows entries are
read back with plistlib and as text.
"""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from server.autostart import AGENT_LABEL, UNIT_NAME, Autostart

ROOT = Path(__file__).resolve().parents[1]


def socialcheck(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "APPDATA": str(home / "AppData" / "Roaming")}
    # Never reach a developer's own systemd: it would restart their real socialcheck.service.
    for name in ("XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", "import sys; from checker.cli import main; sys.exit(main())", "autostart", *args],
        cwd=home, env=env, capture_output=True, text=True, timeout=60,
    )


def _user_systemd() -> bool:
    if shutil.which("systemctl") is None:
        return False
    state = subprocess.run(["systemctl", "--user", "is-system-running"], capture_output=True, text=True).stdout.strip()
    return state in {"running", "degraded"}


class Recorder:
    """Stands in for launchctl and systemctl, which this machine lacks or cannot reach; records the calls."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, command):
        self.calls.append(list(command))
        return subprocess.CompletedProcess(list(command), 1, "", "not on this machine")


def test_linux_on_writes_an_enabled_unit_that_runs_this_python(tmp_path: Path) -> None:
    on = socialcheck(tmp_path, "on", "--port", "8799", "--policy", "some-pack")
    assert on.returncode == 0, on.stderr
    unit = tmp_path / ".config" / "systemd" / "user" / UNIT_NAME
    text = unit.read_text()
    assert f'ExecStart="{sys.executable}" "-m" "checker.cli" "serve" "--port" "8799" "--policy" "{tmp_path / "some-pack"}"' in text
    assert "WantedBy=default.target" in text
    link = unit.parent / "default.target.wants" / UNIT_NAME
    assert link.is_symlink() and link.resolve() == unit.resolve()

    status = socialcheck(tmp_path, "status")
    assert status.returncode == 0 and "autostart is on" in status.stdout

    off = socialcheck(tmp_path, "off")
    assert off.returncode == 0 and not unit.exists() and not link.is_symlink()
    status = socialcheck(tmp_path, "status")
    assert status.returncode == 1 and "autostart is off" in status.stdout


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_unit_is_one_systemd_accepts(tmp_path: Path) -> None:
    Autostart(system="linux", home=tmp_path, environ={}, run=Recorder()).on(["--port", "8798"])
    unit = tmp_path / ".config" / "systemd" / "user" / UNIT_NAME
    verified = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0, verified.stderr
    # And it does catch a broken unit: the check itself can fail.
    broken = tmp_path / "broken.service"
    broken.write_text(unit.read_text().replace(sys.executable, "/nonexistent/python"))
    assert subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, text=True, timeout=60).returncode != 0


@pytest.mark.skipif(not _user_systemd(), reason="no systemd user instance here (a container); the unit file is checked above")
def test_systemd_starts_the_unit_for_real(tmp_path: Path) -> None:
    home = Path.home()
    autostart = Autostart()
    said = autostart.on(["--port", "8797", "--no-grammar"])
    try:
        assert "started it now" in said
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request("http://127.0.0.1:8797/v1/health", headers={"X-Socialcheck-Client": "pytest"})
                with urllib.request.urlopen(request, timeout=5) as answer:
                    assert json.load(answer)["status"] in {"ok", "starting"}
                break
            except OSError:
                assert time.monotonic() < deadline, "the unit's server never answered"
                time.sleep(0.5)
    finally:
        autostart.off()
    assert not (home / ".config" / "systemd" / "user" / UNIT_NAME).exists()


def test_macos_launch_agent(tmp_path: Path) -> None:
    launchctl = Recorder()
    autostart = Autostart(system="darwin", home=tmp_path, environ={}, run=launchctl)
    said = autostart.on(["--port", "8765"], python="/Users/me/.local/pipx/venvs/socialcheck/bin/python")
    plist = tmp_path / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"
    agent = plistlib.loads(plist.read_bytes())
    assert agent["Label"] == AGENT_LABEL
    assert agent["ProgramArguments"] == ["/Users/me/.local/pipx/venvs/socialcheck/bin/python", "-m", "checker.cli", "serve", "--port", "8765"]
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    assert Path(agent["StandardOutPath"]).parent.is_dir()
    assert ["launchctl", "bootstrap", f"gui/{os.getuid()}", str(plist)] in launchctl.calls
    assert any("next login" in line for line in said)  # launchctl "failed" here, and it says so
    assert autostart.status()[0]
    autostart.off()
    assert not plist.exists() and ["launchctl", "bootout", f"gui/{os.getuid()}/{AGENT_LABEL}"] in launchctl.calls


def test_windows_startup_entry(tmp_path: Path) -> None:
    appdata = tmp_path / "AppData" / "Roaming"
    autostart = Autostart(system="win32", home=tmp_path, environ={"APPDATA": str(appdata), "LOCALAPPDATA": str(tmp_path / "Local")}, run=Recorder())
    autostart.on(["--port", "8765"], python=r"C:\Users\me\pipx\venvs\socialcheck\Scripts\python.exe")
    entry = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "socialcheck-server.cmd"
    text = entry.read_bytes().decode()
    assert "\r\n" in text and text.startswith("@echo off")
    assert r'start "" /b "C:\Users\me\pipx\venvs\socialcheck\Scripts\python.exe" "-m" "checker.cli" "serve" "--port" "8765"' in text
    assert ">>" in text and "server.log" in text  # its output has somewhere to go
    assert autostart.status()[0]
    autostart.off()
    assert not entry.exists() and not autostart.status()[0]


def test_unsupported_system_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not supported"):
        Autostart(system="sunos5", home=tmp_path).path()


def test_status_says_whether_the_server_answers_on_the_entrys_port(tmp_path: Path) -> None:
    from live_server import waitress_server

    with waitress_server({"SOCIALCHECK_GRAMMAR": False}) as port:
        assert socialcheck(tmp_path, "on", "--port", str(port)).returncode == 0
        status = socialcheck(tmp_path, "status")
        assert f"the server is answering at http://127.0.0.1:{port}" in status.stdout
        assert "policy pack University of Leicester" in status.stdout
    status = socialcheck(tmp_path, "status")
    assert f"not answering at http://127.0.0.1:{port}" in status.stdout
