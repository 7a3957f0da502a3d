"""The version the server reports: the installed distribution's, else the source tree's."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path


@cache
def server_version() -> str:
    try:
        return metadata.version("socialcheck")
    except metadata.PackageNotFoundError:
        # Running from a source tree that was not installed: read the project's own file.
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        with pyproject.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
