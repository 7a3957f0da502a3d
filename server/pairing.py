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
    """The stored token and its file; a new one is made (readable by the user alone) on first start.
    A stored file readable by others (made by hand, or copied) is made the user's alone."""
    token, path, _ = token_state(directory)
    return token, path


def token_state(directory: Path | None = None) -> tuple[str, Path, bool]:
    """(token, file, created): `created` is True when the token was made just now."""
    path = (directory or config_dir()) / TOKEN_FILE
    try:
        token = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        token = ""
    if len(token) >= 16:
        _owner_only(path)
        return token, path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    token = new_token()
    # Created with mode 0600 from the start, so no other user can read it in between.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    _owner_only(path)  # O_TRUNC on an existing file keeps its old mode
    return token, path, True


def _owner_only(path: Path) -> None:
    if sys.platform == "win32":
        return  # the user's profile folder is the user's already; chmod only sets read-only there
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass  # a file we cannot change (another owner): the server still starts


def masked(token: str) -> str:
    """The token shown on later starts: enough to tell which it is, not enough to use."""
    return f"{token[:4]}…{token[-4:]}"
