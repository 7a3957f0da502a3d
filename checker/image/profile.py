"""check_profile: a whole account profile (display name, handle, bio, image) against the identity."""

from __future__ import annotations


from checker.errors import InputError
from checker.findings import Finding, Report, Severity
from checker.image.check import check_image
from checker.image.identity import AvatarSpec, NamingRule, VisualIdentity, visual_identity
from checker.image.report import ProfileReport
from checker.policy import Policy, load_policy
from checker.text.engine import check_text

# Text-rule categories that say something about a name; the rest (grammar,
# readability, sentence length...) are about prose and only apply to the bio.
NAME_CATEGORIES = frozenset({"tone", "offensive", "inclusive", "privacy", "brand", "accessibility"})
_PLATFORM_GUIDELINE = "platform"


def _text(value: object, part: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"the {part} must be a string, not {type(value).__name__}")
    return value


def bare_handle(handle: str) -> tuple[str, int]:
    """The handle without surrounding space, a leading "@" or a Mastodon "@server"; and its offset."""
    stripped = handle.strip()
    offset = len(handle) - len(handle.lstrip())
    if stripped.startswith("@"):
        stripped, offset = stripped[1:], offset + 1
    return stripped.split("@", 1)[0], offset


class _Part:
    """Findings about one part of a profile, spanning that part's text."""

    def __init__(self, policy: Policy, identity: VisualIdentity) -> None:
        self.policy = policy
        self.identity = identity
        self.findings: list[Finding] = []

    def add(self, rule: str, category: str, severity: Severity, span: tuple[int, int], message: str, *suggestions: str) -> None:
        guideline = _PLATFORM_GUIDELINE if category == "platform" else self.identity.guideline
        if guideline and self.policy.guidelines and guideline not in self.policy.guidelines:
            guideline = ""
        self.findings.append(Finding(rule, category, severity, span[0], span[1], message, tuple(suggestions), guideline))


def _length_limit(part: _Part, text: str, limit: int | None, spec: AvatarSpec, what: str, rule: str) -> None:
    if limit is not None and len(text) > limit:
        part.add(
            rule,
            "platform",
            "error",
            (limit, len(text)),
            f"The {what} is {len(text)} characters; {spec.name} allows {limit}.",
        )


def _display_name(display_name: str, spec: AvatarSpec, naming: NamingRule | None, profile: str, part: _Part) -> None:
    name = display_name.strip()
    whole = (0, len(display_name))
    if not name:
        part.add("profile.display_name.empty", "brand", "error", whole, "The display name is empty.")
        return
    _length_limit(part, display_name, spec.display_name_max, spec, "display name", "profile.display_name.too_long")
    if naming is None or not naming.constrains_display_name:
        return
    if name in naming.display_names or any(p.fullmatch(name) for p in naming.display_name_patterns):
        return
    examples = naming.display_name_examples or naming.display_names
    part.add(
        "profile.naming.display_name",
        "brand",
        "warning",
        whole,
        f"The display name {name!r} does not follow the naming format for {profile} accounts"
        + (f" (for example: {'; '.join(examples)})." if examples else "."),
        *examples,
    )


def _handle(handle: str, spec: AvatarSpec, naming: NamingRule | None, profile: str, part: _Part) -> None:
    bare, offset = bare_handle(handle)
    span = (offset, offset + len(bare))
    if not bare:
        part.add("profile.handle.empty", "brand", "error", (0, len(handle)), "The handle is empty.")
        return
    if spec.handle_regex is not None and spec.handle_regex.fullmatch(bare) is None:
        part.add(
            "profile.handle.invalid",
            "platform",
            "error",
            span,
            f"{bare!r} is not a handle {spec.name} accepts ({spec.sources.get('handle_pattern', spec.handle_pattern)}).",
        )
    if naming is None or not naming.constrains_handle:
        return
    if bare.casefold() in {h.casefold() for h in naming.handles} or any(p.fullmatch(bare) for p in naming.handle_patterns):
        return
    examples = naming.handle_examples or naming.handles
    part.add(
        "profile.naming.handle",
        "brand",
        "warning",
        span,
        f"The handle {bare!r} does not follow the naming format for {profile} accounts"
        + (f" (for example: {', '.join(examples)})." if examples else "."),
        *examples,
    )


def _bio(bio: str, spec: AvatarSpec, naming: NamingRule | None, policy: Policy, profile: str, part: _Part) -> None:
    _length_limit(part, bio, spec.bio_max, spec, "bio", "profile.bio.too_long")
    if naming is None or naming.bio_must_mention != "organisation":
        return
    organisation = policy.organisation
    folded = bio.casefold()
    if organisation.name.casefold() in folded or any(domain.casefold() in folded for domain in organisation.domains):
        return
    domains = " or ".join(organisation.domains)
    part.add(
        "profile.bio.organisation",
        "brand",
        "warning",
        (0, len(bio)),
        f"The bio of a {profile} account should name the organisation; this one mentions neither {organisation.name!r} nor {domains}.",
        f"Add “{organisation.name}” or a link to {organisation.domains[0] if organisation.domains else 'the website'}.",
    )


def check_profile(
    display_name: str,
    handle: str,
    bio: str,
    image: bytes | None = None,
    *,
    platform: str = "x",
    profile: str | None = None,
    policy: Policy | None = None,
    grammar: bool = True,
) -> ProfileReport:
    """Check a whole profile: naming rules, the bio (with the text rules) and the image.

    Findings are reported per part; text offsets index into that part's own text.
    Raises InputError for parts that are not strings (or image bytes that are empty),
    UnknownPlatformError and UnknownProfileError for names the policy does not define.
    With `grammar=False` the bio is checked with the policy's rules alone, as `check_text` does.
    """
    display_name = _text(display_name, "display name")
    handle = _text(handle, "handle")
    bio = _text(bio, "bio")
    policy = load_policy() if policy is None else policy
    identity = visual_identity(policy)
    spec = identity.platform(platform)
    profile_id = policy.profile(profile).id
    naming = identity.naming.get(profile_id)

    name_part = _Part(policy, identity)
    _display_name(display_name, spec, naming, profile_id, name_part)
    if display_name.strip():
        # Grammar says nothing about a name (NAME_CATEGORIES): the rules alone.
        name_report = check_text(display_name, "generic", profile_id, policy=policy, grammar=False)
        name_part.findings.extend(f for f in name_report.findings if f.category in NAME_CATEGORIES)

    handle_part = _Part(policy, identity)
    _handle(handle, spec, naming, profile_id, handle_part)

    bio_part = _Part(policy, identity)
    _bio(bio, spec, naming, policy, profile_id, bio_part)
    bio_report = check_text(bio, "generic", profile_id, policy=policy, grammar=grammar)
    bio_part.findings.extend(bio_report.findings)

    image_report = None if image is None else check_image(image, platform, profile_id, policy=policy)
    return ProfileReport(
        display_name=Report.build(name_part.findings),
        handle=Report.build(handle_part.findings),
        bio=Report.build(bio_part.findings, bio_report.stats),
        image=image_report,
    )
