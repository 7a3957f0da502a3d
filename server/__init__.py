"""The local socialcheck server: a Flask application factory.

    from server import create_app
    app = create_app({"SOCIALCHECK_GRAMMAR": False})

Nothing happens at import time. `create_app` loads the policy, starts the
grammar engines in the background, and installs the security guards
(server.security), the JSON error handlers (server.errors) and the /v1
blueprints. `socialcheck serve` (server.serve) runs it with waitress.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `config` holds Flask keys and the SOCIALCHECK_* keys of server.settings."""
    # Imported here so that `import server` (as `socialcheck serve` does) stays light.
    from flask import Flask

    from server import errors, security
    from server.blueprints import checks, dictionary, meta
    from server.engines import Engines
    from server.settings import DEFAULTS, ServerSettings

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config is not None:
        app.config.update(config)
    settings = ServerSettings.from_config(app.config)
    # Images are the largest bodies; text checks lower the limit per request.
    app.config["MAX_CONTENT_LENGTH"] = settings.image_body_limit
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented field order

    app.extensions["socialcheck"] = Engines.start(settings)
    errors.init_app(app)
    security.init_app(app, settings)
    app.register_blueprint(meta.bp, url_prefix="/v1")
    app.register_blueprint(checks.bp, url_prefix="/v1")
    app.register_blueprint(dictionary.bp, url_prefix="/v1")
    return app
