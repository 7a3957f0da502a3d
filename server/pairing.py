"""The pairing token: made on first start, kept in the user's config folder.

`socialcheck serve` shows it; the user pastes it once into the extension's
options, and the extension sends it as `Authorization: Bearer <token>`. It is
the real proof of the caller on Firefox, where every installation has a
different extension origin.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

TOKEN_FILE = "token"


def config_dir() -> Path:
    """Where socialcheck keeps its settings: SOCIALCHECK_CONFIG_DIR, else the platform's usual place."""
    override = os.environ.get("SOCIALCHECK_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "socialcheck"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "socialcheck"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "socialcheck"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def load_or_create_token(directory: Path | None = None) -> tuple[str, Path]:
    """The stored token and its file; a new one is made (readable by the user alone) on first start."""
    path = (directory or config_dir()) / TOKEN_FILE
    try:
        token = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        token = ""
    if len(token) >= 16:
        return token, path
    path.parent.mkdir(parents=True, exist_ok=True)
    token = new_token()
    # Created with mode 0600 from the start, so no other user can read it in between.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    return token, path
