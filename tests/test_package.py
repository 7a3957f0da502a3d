"""The product as a user installs it: a wheel built from a clean copy of the checkout, installed
with pip into a fresh venv, run from a folder with no checkout in sight.

Building and installing takes about half a minute (pip's cache holds the dependencies), once per
run; every test here shares that one install.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker import __version__

try:  # as a package (python -m pytest from the root) or with tests/ on the path
    from tests.live_server import ServeProcess
except ImportError:
    from live_server import ServeProcess

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.package
CLIENT = {"X-Socialcheck-Client": "pytest"}  # the header the server asks of every caller


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment a user's shell would have: nothing pointing at this checkout or its venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "SOCIALCHECK_BRAND_ASSETS"}}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT)))
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


def _checkout_files() -> list[str]:
    """What a fresh clone holds: the tracked files, and new ones not yet committed (not ignored)."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        capture_output=True, text=True, check=True,
    ).stdout
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    home: Path  # an empty folder to run from, with no checkout in it

    @property
    def socialcheck(self) -> Path:
        return self.venv / ("Scripts" if os.name == "nt" else "bin") / "socialcheck"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.socialcheck), *args], cwd=self.home, env=_clean_env(), capture_output=True, text=True, timeout=120
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("package")
    clone = base / "clone"
    for name in _checkout_files():
        target = clone / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    dist = base / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run([*pip, "wheel", ".", "-w", str(dist), "--no-deps"], cwd=clone, env=_clean_env(), capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("socialcheck-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    # The dependencies come from PyPI (or pip's cache), as on a user's machine.
    install = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", "-q", "install", str(wheel)], env=_clean_env(), capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    home = base / "elsewhere"
    home.mkdir()
    return Installed(wheel=wheel, venv=venv, home=home)


class Served(ServeProcess):
    """`socialcheck serve` from the installed venv, in a folder with no checkout."""

    stop_timeout = 20.0

    def __init__(self, installed: Installed, *options: str) -> None:
        env = _clean_env(SOCIALCHECK_CONFIG_DIR=str(installed.home / "config"))
        super().__init__(subprocess.Popen(
            [str(installed.socialcheck), "serve", "--port", "0", *options],
            cwd=installed.home, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))
        found = self.wait_for(r"listening on http://127\.0\.0\.1:(\d+)", timeout=90.0)
        self.url = f"http://127.0.0.1:{found.group(1)}"

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(urllib.request.Request(self.url + path, headers=CLIENT), timeout=30) as answer:
            return json.load(answer)

    def post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), headers={**CLIENT, "Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)


@pytest.fixture
def serve(installed: Installed) -> Iterator:
    started: list[Served] = []

    def start(*options: str) -> Served:
        started.append(Served(installed, *options))
        return started[-1]

    yield start
    for served in started:
        served.stop()


def test_the_wheel_holds_every_module_the_policy_pack_and_the_extension(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    checkout = _checkout_files()
    modules = [n for n in checkout if n.endswith(".py") and n.split("/")[0] in {"checker", "server"}]
    assert modules and not [m for m in modules if m not in names], "modules left out of the wheel (list their package in pyproject.toml)"
    data = [n for n in checkout if not n.endswith(".py") and n.split("/")[0] in {"checker", "server"}]
    assert "checker/py.typed" in data
    assert not [d for d in data if d not in names], "data files of the packages left out of the wheel (add them to package-data)"
    pack = [n for n in checkout if n.startswith("brand_assets/")]
    assert {"brand_assets/identity.toml", "brand_assets/policy/pack.toml"} <= set(pack)
    assert not [n for n in pack if "checker/" + n not in names], "policy files left out of the wheel"
    extension = [n for n in checkout if n.startswith("extension/") and not n.startswith("extension/test/") and not n.endswith(".py")]
    assert "extension/manifest.json" in extension
    assert not [n for n in extension if "server/" + n not in names], "extension files left out of the wheel"
    assert not [n for n in names if n.startswith("server/extension/test/")], "the extension's tests are not part of it"


def test_installed_serve_answers_a_text_check_with_the_bundled_policy_from_any_folder(installed: Installed, serve) -> None:
    served = serve()
    health = served.get("/v1/health")
    assert health["version"] == __version__
    assert "Leicester" in health["policy"]
    report = served.post("/v1/check/text", {"text": "HUGE news from Leicester Uni!!!", "platform": "x"})
    assert any(f["rule"].startswith("brand.") for f in report["findings"]), report["findings"]
    assert served.stop() == 0, "".join(served.lines)
    assert "socialcheck server stopped." in "".join(served.lines)


def test_installed_serve_takes_another_pack_with_policy(installed: Installed, serve, tmp_path: Path) -> None:
    pack = tmp_path / "our-pack"
    shutil.copytree(ROOT / "brand_assets", pack)
    pack_toml = pack / "policy" / "pack.toml"
    text = pack_toml.read_text(encoding="utf-8")
    pack_toml.write_text(re.sub(r'(?m)^name = ".*"$', 'name = "Another organisation"', text, count=1), encoding="utf-8")
    served = serve("--policy", str(pack), "--no-grammar")
    assert served.get("/v1/health")["policy"] == "Another organisation"


def test_installed_extension_commands(installed: Installed, tmp_path: Path) -> None:
    where = installed.run("extension", "path")
    assert where.returncode == 0, where.stderr
    folder = Path(where.stdout.strip())
    assert installed.venv in folder.parents, "the installed command points at the wheel's copy, not the checkout"
    assert json.loads((folder / "manifest.json").read_text())["manifest_version"] == 3

    built = installed.run("extension", "build", "--output", str(tmp_path / "socialcheck.zip"))
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(tmp_path / "socialcheck.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["version"] == __version__
        assert "background.js" in archive.namelist()
