"""Helpers shared by the browser tests and their fixtures."""

from __future__ import annotations

import base64
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # as a package (python -m pytest from the root) or with tests/ on the path
    from tests.live_server import request_json
except ImportError:
    from live_server import request_json

ROOT = Path(__file__).resolve().parents[2]
# The README shows these screenshots. The tests take them every run, but write them into docs/
# only when asked (SOCIALCHECK_UPDATE_SCREENSHOTS=1), so that a test run leaves the tree clean.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("SOCIALCHECK_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "socialcheck-screenshots"
)


@dataclass(frozen=True)
class LiveServer:
    url: str
    port: int
    config: Path | None = None  # its config folder

    def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._request("POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def post_image(self, path: str, image: bytes, fields: dict[str, str]) -> dict[str, Any]:
        boundary = "socialcheck-test-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="avatar.png"\r\n'
            "Content-Type: image/png\r\n\r\n".encode()
            + image
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def get(self, path: str) -> dict[str, Any]:
        return self._request("GET", path, None, {})

    def delete(self, path: str) -> dict[str, Any]:
        return self._request("DELETE", path, None, {})

    def _request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> dict[str, Any]:
        return request_json(self.port, method, path, body, headers)


@dataclass
class Browser:
    """Chromium with the extension. Storage is reached through an extension page of its own,
    not the worker, since tests stop the worker on purpose (Chrome does so when it is idle)."""

    context: Any
    extension_id: str
    extension_page: Any = None

    def _page(self) -> Any:
        if self.extension_page is None or self.extension_page.is_closed():
            self.extension_page = self.context.new_page()
            self.extension_page.goto(f"chrome-extension://{self.extension_id}/options/options.html")
        return self.extension_page

    def storage_set(self, items: dict[str, Any]) -> None:
        self._page().evaluate("items => chrome.storage.local.set(items)", items)

    def registered_matches(self) -> list[str]:
        return self._page().evaluate(
            "async () => (await chrome.scripting.getRegisteredContentScripts()).flatMap(s => s.matches)"
        )

    def stop_worker(self) -> None:
        """Stop the service worker as Chrome does when it has been idle."""
        session = self.context.new_cdp_session(self._page())
        try:
            targets = session.send("Target.getTargets")["targetInfos"]
            workers = [t for t in targets if t["type"] == "service_worker" and self.extension_id in t["url"]]
            assert workers, "the extension's service worker is not running"
            for target in workers:
                session.send("Target.closeTarget", {"targetId": target["targetId"]})
            deadline = time.monotonic() + 10
            while any(t["type"] == "service_worker" and self.extension_id in t["url"] for t in session.send("Target.getTargets")["targetInfos"]):
                assert time.monotonic() < deadline, "the service worker did not stop"
                time.sleep(0.1)
        finally:
            session.detach()

    def popup(self) -> Any:
        page = self.context.new_page()
        page.goto(f"chrome-extension://{self.extension_id}/popup/popup.html")
        return page


def png_bytes(image: Any) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()
