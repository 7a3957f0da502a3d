"""The server's settings: one frozen value built from the Flask config.

`create_app({...})` takes Flask's upper-case config keys; the ones that belong
to socialcheck start with ``SOCIALCHECK_`` and are listed in `DEFAULTS`. A key
with that prefix that is not known is a mistake and fails loudly, so a typo
cannot silently switch a security setting off.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "SOCIALCHECK_"
LOOPBACK_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
DEFAULT_PORT = 8765

# Chrome extension ids are 32 letters a-p; Firefox gives each installation a random UUID.
CHROME_EXTENSION_ORIGIN = r"chrome-extension://[a-p]{32}"
FIREFOX_EXTENSION_ORIGIN = r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_BARE_CHROME_ID = re.compile(r"[a-p]{32}")
_EXTENSION_ORIGIN = re.compile(f"(?:{CHROME_EXTENSION_ORIGIN}|{FIREFOX_EXTENSION_ORIGIN})")

DEFAULTS: dict[str, Any] = {
    # A policy pack folder, or the https://, http:// or file:// address of a published pack to
    # follow (server.policy_source); None is the bundled University of Leicester pack.
    "SOCIALCHECK_POLICY": None,
    # Keep the pack current while serving: a folder is reloaded when its files change, a
    # published pack is checked every SOCIALCHECK_POLICY_CHECK_MINUTES. `socialcheck serve` turns it on.
    "SOCIALCHECK_POLICY_FOLLOW": False,
    "SOCIALCHECK_POLICY_CHECK_MINUTES": 15,
    # Where copies of a published pack are kept for offline starts; None: the config folder.
    "SOCIALCHECK_POLICY_CACHE_DIR": None,
    # Start the grammar engines (Harper, LanguageTool) in the background.
    "SOCIALCHECK_GRAMMAR": True,
    # The pairing token clients send as `Authorization: Bearer <token>`; None: no token known.
    "SOCIALCHECK_TOKEN": None,
    # Refuse every request without the token (always on when bound to a non-loopback address).
    "SOCIALCHECK_REQUIRE_TOKEN": False,
    # Host header names answered (checked before anything else: defeats DNS rebinding).
    "SOCIALCHECK_ALLOWED_HOSTS": LOOPBACK_HOSTS,
    # The port clients must name in the Host header; None accepts any.
    "SOCIALCHECK_PORT": None,
    # Fixed extension ids or origins to accept; empty accepts any Chrome or Firefox extension.
    "SOCIALCHECK_EXTENSION_IDS": (),
    # Responses kept for repeated checks of an unchanged draft.
    "SOCIALCHECK_CACHE_SIZE": 1024,
    "SOCIALCHECK_CACHE_BYTES": 64_000_000,  # the answers cached, estimated in bytes
    # Largest JSON body of a text check, and of an image or profile upload, in bytes.
    "SOCIALCHECK_TEXT_BODY_LIMIT": 1024 * 1024,
    "SOCIALCHECK_IMAGE_BODY_LIMIT": 16 * 1024 * 1024,
    # Largest image, in pixels, read from its header before it is decoded; None: the library's own limit.
    "SOCIALCHECK_MAX_IMAGE_PIXELS": None,
    # The personal dictionary's file (`socialcheck serve`: dictionary.txt in the config folder); None: kept in memory.
    "SOCIALCHECK_DICTIONARY": None,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSettings:
    policy: Path | None
    policy_url: str | None
    policy_follow: bool
    policy_check_minutes: float
    policy_cache_dir: Path | None
    grammar: bool
    token: str | None
    require_token: bool
    allowed_hosts: frozenset[str]
    port: int | None
    extension_origins: frozenset[str]
    cache_size: int
    cache_bytes: int
    text_body_limit: int
    image_body_limit: int
    max_image_pixels: int
    dictionary: Path | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ServerSettings:
        unknown = sorted(k for k in config if k.startswith(PREFIX) and k not in DEFAULTS)
        if unknown:
            raise ValueError(f"unknown server settings {unknown}; known: {', '.join(sorted(DEFAULTS))}")
        value = {key: config.get(key, default) for key, default in DEFAULTS.items()}
        token = value["SOCIALCHECK_TOKEN"]
        if token is not None and (not isinstance(token, str) or len(token) < 16):
            raise ValueError("SOCIALCHECK_TOKEN must be a string of at least 16 characters")
        require_token = bool(value["SOCIALCHECK_REQUIRE_TOKEN"])
        if require_token and token is None:
            raise ValueError("SOCIALCHECK_REQUIRE_TOKEN needs SOCIALCHECK_TOKEN")
        policy = value["SOCIALCHECK_POLICY"]
        policy_url = policy if isinstance(policy, str) and "://" in policy else None
        minutes = value["SOCIALCHECK_POLICY_CHECK_MINUTES"]
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not minutes > 0:
            raise ValueError(f"SOCIALCHECK_POLICY_CHECK_MINUTES must be a positive number, not {minutes!r}")
        cache_dir = value["SOCIALCHECK_POLICY_CACHE_DIR"]
        return cls(
            policy=Path(policy) if policy is not None and policy_url is None else None,
            policy_url=policy_url,
            policy_follow=bool(value["SOCIALCHECK_POLICY_FOLLOW"]),
            policy_check_minutes=float(minutes),
            policy_cache_dir=Path(cache_dir) if cache_dir is not None else None,
            grammar=bool(value["SOCIALCHECK_GRAMMAR"]),
            token=token,
            require_token=require_token,
            allowed_hosts=frozenset(normalise_host(h) for h in _strings(value, "SOCIALCHECK_ALLOWED_HOSTS")),
            port=_optional_int(value, "SOCIALCHECK_PORT"),
            extension_origins=frozenset(extension_origin(e) for e in _strings(value, "SOCIALCHECK_EXTENSION_IDS")),
            cache_size=_positive_int(value, "SOCIALCHECK_CACHE_SIZE", allow_zero=True),
            cache_bytes=_positive_int(value, "SOCIALCHECK_CACHE_BYTES", allow_zero=True),
            text_body_limit=_positive_int(value, "SOCIALCHECK_TEXT_BODY_LIMIT"),
            image_body_limit=_positive_int(value, "SOCIALCHECK_IMAGE_BODY_LIMIT"),
            max_image_pixels=_optional_int(value, "SOCIALCHECK_MAX_IMAGE_PIXELS") or _library_pixel_limit(),
            dictionary=Path(value["SOCIALCHECK_DICTIONARY"]) if value["SOCIALCHECK_DICTIONARY"] is not None else None,
        )

    def origin_allowed(self, origin: str) -> bool:
        """True for the extension's origins: a fixed list when configured, else any extension."""
        if self.extension_origins:
            return origin in self.extension_origins
        return _EXTENSION_ORIGIN.fullmatch(origin) is not None

    def cors_origins(self) -> list[str]:
        """Origins for flask-cors: the fixed ones, or patterns for any extension."""
        if self.extension_origins:
            return sorted(self.extension_origins)
        return [f"^{CHROME_EXTENSION_ORIGIN}$", f"^{FIREFOX_EXTENSION_ORIGIN}$"]


def normalise_host(host: str) -> str:
    """Lower case, without the brackets of an IPv6 literal."""
    return host.strip().lower().removeprefix("[").removesuffix("]")


def is_loopback(host: str) -> bool:
    host = normalise_host(host)
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def extension_origin(value: str) -> str:
    """A bare Chrome extension id or a full extension origin, as an origin."""
    value = value.strip().rstrip("/")
    if _BARE_CHROME_ID.fullmatch(value):
        return f"chrome-extension://{value}"
    if _EXTENSION_ORIGIN.fullmatch(value):
        return value
    raise ValueError(
        f"extension id {value!r} is neither a Chrome extension id (32 letters a-p) "
        "nor an origin such as chrome-extension://ID or moz-extension://UUID"
    )


def _library_pixel_limit() -> int:
    from checker.image.decode import MAX_HEADER_PIXELS  # numpy and Pillow: only when the app is built

    return MAX_HEADER_PIXELS


def _strings(value: Mapping[str, Any], key: str) -> Iterable[str]:
    items = value[key]
    if isinstance(items, str) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"{key} must be a list of strings")
    return items


def _optional_int(value: Mapping[str, Any], key: str) -> int | None:
    item = value[key]
    if item is None:
        return None
    return _positive_int(value, key)


def _positive_int(value: Mapping[str, Any], key: str, *, allow_zero: bool = False) -> int:
    item = value[key]
    if not isinstance(item, int) or isinstance(item, bool) or item < (0 if allow_zero else 1):
        raise ValueError(f"{key} must be a {'non-negative' if allow_zero else 'positive'} whole number, not {item!r}")
    return item
