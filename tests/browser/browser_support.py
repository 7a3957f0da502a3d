"""Helpers shared by the browser tests and their fixtures."""

from __future__ import annotations

import base64
import http.client
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


@dataclass(frozen=True)
class LiveServer:
    url: str
    port: int

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

    def _request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"X-Socialcheck-Client": "pytest", **headers})
            response = connection.getresponse()
            payload = json.loads(response.read())
            assert response.status == 200, payload
            return payload
        finally:
            connection.close()


@dataclass
class Browser:
    context: Any
    worker: Any
    extension_id: str

    def storage_set(self, items: dict[str, Any]) -> None:
        self.worker.evaluate("items => chrome.storage.local.set(items)", items)

    def registered_matches(self) -> list[str]:
        return self.worker.evaluate(
            "async () => (await chrome.scripting.getRegisteredContentScripts()).flatMap(s => s.matches)"
        )

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
