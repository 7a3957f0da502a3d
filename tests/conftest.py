"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# --- server: a Flask app and its test client (tests/test_server*.py) ------------------


@pytest.fixture
def app_config() -> dict[str, object]:
    """Settings for `create_app`; a test overrides this fixture to change them."""
    return {"TESTING": True, "SOCIALCHECK_GRAMMAR": False}


@pytest.fixture
def app(app_config):
    from server import create_app

    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the bundled policy pack, for a test to edit."""
    from checker.policy import DEFAULT_PACK

    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, target)
    return target
