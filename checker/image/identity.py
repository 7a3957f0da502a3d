"""The visual identity and the platforms' avatar specifications, read from the policy pack.

`identity.toml` holds the palette, the approved marks, the avatar settings and,
per profile, whether an avatar must carry a mark; `avatar_specs.toml` holds each
platform's figures with their sources. Mistakes raise `PolicyError` naming the
file, the entry and the problem. The result is cached per policy object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError

from checker.errors import PolicyError, UnknownPlatformError
from checker.image.colour import parse_hex, srgb_to_lab
from checker.linear_regex import LinearPattern, compile_linear
from checker.policy import DEFAULT_PACK, Policy, read_toml

MarkRule = Literal["required", "optional", "forbidden"]
MARK_RULES: tuple[str, ...] = ("required", "optional", "forbidden")
SHAPES: tuple[str, ...] = ("circle", "square", "rounded")
ROLES: tuple[str, ...] = ("primary", "secondary", "neutral")
STILL_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "WEBP")
KNOWN_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "WEBP", "GIF")
SPECS_FILE = "avatar_specs.toml"


@dataclass(frozen=True, slots=True)
class BrandColour:
    name: str
    hex: str
    role: str
    rgb: tuple[int, int, int]


@dataclass(frozen=True, slots=True, eq=False)
class Mark:
    """An approved mark: its name and its RGBA pixels (loaded once)."""

    name: str
    file: Path
    image: Image.Image


@dataclass(frozen=True, slots=True)
class AvatarSpec:
    """One platform's profile-image figures, each with its public source."""

    id: str
    name: str
    shape: str
    recommended: int
    minimum: int
    display: int
    corner_radius: int = 0
    max_bytes: int | None = None
    formats: tuple[str, ...] = ()
    display_name_max: int | None = None
    bio_max: int | None = None
    handle_pattern: str | None = None
    handle_regex: LinearPattern | None = field(default=None, compare=False, repr=False)  # handle_pattern, compiled
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class NamingRule:
    """How one profile's accounts are named, and what their bio must mention."""

    profile: str
    display_names: tuple[str, ...] = ()
    display_name_patterns: tuple[LinearPattern, ...] = ()
    display_name_examples: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    handle_patterns: tuple[LinearPattern, ...] = ()
    handle_examples: tuple[str, ...] = ()
    bio_must_mention: str = ""

    @property
    def constrains_display_name(self) -> bool:
        return bool(self.display_names or self.display_name_patterns)

    @property
    def constrains_handle(self) -> bool:
        return bool(self.handles or self.handle_patterns)


@dataclass(frozen=True, slots=True, eq=False)
class VisualIdentity:
    palette: tuple[BrandColour, ...]
    palette_lab: NDArray[np.float64]
    marks: tuple[Mark, ...]
    formats: tuple[str, ...]
    palette_tolerance: float
    palette_min_share: float
    transparency_max_share: float
    safe_zone_max_share: float
    mark_min_scale: float
    mark_max_scale: float
    guideline: str
    mark_rules: Mapping[str, MarkRule]
    naming: Mapping[str, NamingRule]
    platforms: Mapping[str, AvatarSpec]

    def platform(self, platform_id: str) -> AvatarSpec:
        try:
            return self.platforms[platform_id]
        except (KeyError, TypeError):
            raise UnknownPlatformError(str(platform_id), self.platforms) from None

    def mark_rule(self, profile: str) -> MarkRule:
        return self.mark_rules.get(profile, "optional")


class _Table:
    """Typed access to one TOML table, raising PolicyError with file and entry."""

    def __init__(self, table: Any, file: Path, entry: str) -> None:
        if not isinstance(table, dict):
            raise PolicyError(str(file), entry, "must be a table")
        self.table, self.file, self.entry = table, file, entry

    def fail(self, problem: str) -> PolicyError:
        return PolicyError(str(self.file), self.entry, problem)

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.table:
            if default is ...:
                raise self.fail(f"missing required field {key!r}")
            return default
        value = self.table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self.fail(f"field {key!r} must be {names}, not {type(value).__name__}")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = float(self.get(key, (int, float), default))
        if not low <= value <= high:
            raise self.fail(f"field {key!r} must be between {low} and {high}, not {value}")
        return value

    def size(self, key: str, default: Any = ...) -> Any:
        value = self.get(key, int, default)
        if value is not None and value is not default and value <= 0:
            raise self.fail(f"field {key!r} must be a positive whole number")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            raise self.fail(f"field {key!r} must be a list of strings")
        return tuple(values)

    def patterns(self, key: str) -> tuple[LinearPattern, ...]:
        return tuple(compile_linear(pattern, file=str(self.file), rule=self.entry, what=f"{key} entry") for pattern in self.strings(key))


def _palette(path: Path, entries: Any) -> tuple[BrandColour, ...]:
    if not isinstance(entries, list) or not entries:
        raise PolicyError(str(path), "palette", "at least one [[palette]] colour is required")
    colours = []
    for number, entry in enumerate(entries, 1):
        table = _Table(entry, path, f"palette #{number}")
        name, value, role = table.get("name", str), table.get("hex", str), table.get("role", str)
        if role not in ROLES:
            raise table.fail(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        try:
            rgb = parse_hex(value)
        except ValueError as error:
            raise table.fail(str(error)) from None
        colours.append(BrandColour(name, value.upper(), role, rgb))
    return tuple(colours)


# A mark is a logo: a few hundred pixels a side is plenty, and every image check compares
# each mark at several scales (five 9000x9000 marks held 1.97 GB and took 87 s a check).
MAX_MARK_SIDE = 2048
MAX_MARKS = 16


def _marks(path: Path, entries: Any) -> tuple[Mark, ...]:
    if not isinstance(entries, list) or not entries:
        raise PolicyError(str(path), "marks", "at least one [[marks]] entry is required")
    if len(entries) > MAX_MARKS:
        raise PolicyError(str(path), "marks", f"{len(entries)} marks; at most {MAX_MARKS}")
    marks = []
    for number, entry in enumerate(entries, 1):
        table = _Table(entry, path, f"marks #{number}")
        name, file = table.get("name", str), path.parent / table.get("file", str)
        if file.exists() and not file.is_file():
            raise table.fail(f"mark file {file} is not a regular file")
        try:
            with Image.open(file, formats=["PNG"]) as opened:
                if max(opened.size) > MAX_MARK_SIDE:
                    width, height = opened.size
                    raise table.fail(f"mark file {file} is {width}x{height}; a mark may be at most {MAX_MARK_SIDE} pixels a side")
                image = opened.convert("RGBA")
        except FileNotFoundError:
            raise table.fail(f"mark file {file} not found") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise table.fail(f"mark file {file} has far too many pixels; a mark may be at most {MAX_MARK_SIDE} pixels a side") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise table.fail(f"mark file {file} is not a readable PNG: {error}") from None
        alpha = np.asarray(image.getchannel("A"))
        if alpha.min() == 255:
            raise table.fail(f"mark file {file} has no transparent background")
        marks.append(Mark(name, file, image))
    return tuple(marks)


def _platforms(path: Path) -> dict[str, AvatarSpec]:
    data = read_toml(path)
    tables = _Table(data.get("platforms"), path, "platforms").table
    specs = {}
    for platform_id, entry in tables.items():
        table = _Table(entry, path, f"platforms.{platform_id}")
        shape = table.get("shape", str)
        if shape not in SHAPES:
            raise table.fail(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
        formats = tuple(f.upper() for f in table.strings("formats"))
        unknown = sorted(set(formats) - set(KNOWN_FORMATS))
        if unknown:
            raise table.fail(f"formats {unknown} are not ones the checker reads ({', '.join(KNOWN_FORMATS)})")
        sources = table.get("sources", dict, {})
        for key in ("recommended", "minimum", "display", "max_bytes", "formats", "shape"):
            if key in table.table and key not in sources:
                raise table.fail(f"field {key!r} needs its public source in [platforms.{platform_id}.sources]")
        handle_pattern = table.get("handle_pattern", str, None)
        if handle_pattern is not None:
            # Linear time: `(a|aa)+` on a long handle took exponential time under re.
            handle_regex = compile_linear(handle_pattern, file=str(path), rule=f"platforms.{platform_id}", what="handle_pattern")
        spec = AvatarSpec(
            id=platform_id,
            name=table.get("name", str),
            shape=shape,
            recommended=table.size("recommended"),
            minimum=table.size("minimum"),
            display=table.size("display"),
            corner_radius=table.get("corner_radius", int, 0),
            max_bytes=table.size("max_bytes", None),
            formats=formats,
            display_name_max=table.size("display_name_max", None),
            bio_max=table.size("bio_max", None),
            handle_pattern=handle_pattern,
            handle_regex=handle_regex if handle_pattern is not None else None,
            sources=MappingProxyType({str(k): str(v) for k, v in sources.items()}),
        )
        if spec.minimum > spec.recommended:
            raise table.fail("minimum must not exceed recommended")
        specs[platform_id] = spec
    if not specs:
        raise PolicyError(str(path), "platforms", "no platform defined")
    return specs


def _naming(path: Path, tables: Any, profiles: Mapping[str, Any]) -> dict[str, NamingRule]:
    rules = {}
    for profile, entry in _Table(tables, path, "naming").table.items():
        if profile not in profiles:
            raise PolicyError(str(path), f"naming.{profile}", f"not a profile; profiles: {', '.join(sorted(profiles))}")
        table = _Table(entry, path, f"naming.{profile}")
        mention = table.get("bio_must_mention", str, "")
        if mention not in ("", "organisation"):
            raise table.fail(f"bio_must_mention must be \"organisation\" or \"\", not {mention!r}")
        rules[profile] = NamingRule(
            profile=profile,
            display_names=table.strings("display_names"),
            display_name_patterns=table.patterns("display_name_patterns"),
            display_name_examples=table.strings("display_name_examples"),
            handles=table.strings("handles"),
            handle_patterns=table.patterns("handle_patterns"),
            handle_examples=table.strings("handle_examples"),
            bio_must_mention=mention,
        )
    return rules


def _specs_path(root: Path) -> Path:
    """The pack's own platform specifications, or the bundled ones: they are facts about
    the platforms, not about the organisation, so a pack need not carry a copy."""
    own = root / SPECS_FILE
    return own if own.exists() else DEFAULT_PACK / SPECS_FILE


def read_visual_identity(policy: Policy) -> VisualIdentity:
    """Read and validate the visual identity of a policy pack (uncached)."""
    path = Path(policy.root) / "identity.toml"
    identity = dict(policy.identity)
    palette = _palette(path, identity.get("palette"))
    avatar = _Table(identity.get("avatar", {}), path, "avatar")
    formats = tuple(f.upper() for f in avatar.strings("formats")) or STILL_FORMATS
    unknown = sorted(set(formats) - set(KNOWN_FORMATS))
    if unknown:
        raise avatar.fail(f"formats {unknown} are not ones the checker reads ({', '.join(KNOWN_FORMATS)})")
    guideline = avatar.get("guideline", str, "")
    if guideline and policy.guidelines and guideline not in policy.guidelines:
        raise avatar.fail(f"guideline {guideline!r} is not defined in pack.toml")
    mark_rules: dict[str, MarkRule] = {}
    for profile, entry in _Table(avatar.get("profiles", dict, {}), path, "avatar.profiles").table.items():
        if profile not in policy.profiles:
            raise PolicyError(str(path), f"avatar.profiles.{profile}", f"not a profile; profiles: {', '.join(sorted(policy.profiles))}")
        table = _Table(entry, path, f"avatar.profiles.{profile}")
        rule = table.get("mark", str)
        if rule not in MARK_RULES:
            raise table.fail(f"mark must be one of {', '.join(MARK_RULES)}, not {rule!r}")
        mark_rules[profile] = rule
    min_scale = avatar.number("mark_min_scale", 0.25, 0.05, 1.0)
    max_scale = avatar.number("mark_max_scale", 1.0, min_scale, 1.0)
    return VisualIdentity(
        palette=palette,
        palette_lab=srgb_to_lab([c.rgb for c in palette]),
        marks=_marks(path, identity.get("marks")),
        formats=formats,
        palette_tolerance=avatar.number("palette_tolerance", 6.0, 0.1, 50.0),
        palette_min_share=avatar.number("palette_min_share", 0.5, 0.0, 1.0),
        transparency_max_share=avatar.number("transparency_max_share", 0.005, 0.0, 1.0),
        safe_zone_max_share=avatar.number("safe_zone_max_share", 0.04, 0.0, 1.0),
        mark_min_scale=min_scale,
        mark_max_scale=max_scale,
        guideline=guideline,
        mark_rules=MappingProxyType(mark_rules),
        naming=MappingProxyType(_naming(path, identity.get("naming", {}), policy.profiles)),
        platforms=MappingProxyType(_platforms(_specs_path(Path(policy.root)))),
    )


_CACHE: dict[int, tuple[Policy, VisualIdentity]] = {}


def visual_identity(policy: Policy) -> VisualIdentity:
    """The policy's visual identity, read once per policy object."""
    cached = _CACHE.get(id(policy))
    if cached is not None and cached[0] is policy:
        return cached[1]
    identity = read_visual_identity(policy)
    if len(_CACHE) >= 8:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(policy)] = (policy, identity)
    return identity

