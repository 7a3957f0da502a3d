"""Personal data in a post: phone numbers, e-mail addresses, payment cards, IBANs, NHS numbers,
IP addresses and home addresses.

Formats are recognised by the libraries made for them, not by hand-written patterns: phone
numbers of every country by `phonenumbers` (Google's libphonenumber), card numbers (Luhn),
IBANs (ISO 13616 mod 97, with each country's length and layout) and NHS numbers (mod 11) by
`python-stdnum`, IP addresses by `ipaddress`. The regular expressions here only find
candidates (runs of digits and separators, with bounded repetition and no nested quantifiers,
so they run in linear time); the libraries decide.

What belongs to the organisation (its phone ranges, and role mailboxes such as info@ on any
domain) is data in identity.toml's [privacy] table; the rules and their severities are data in
policy/rules/privacy.toml.
"""

from __future__ import annotations

import bisect

import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType
from phonenumbers.phonenumberutil import _VALID_PUNCTUATION  # the separators its matcher allows in a number
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.gb import nhs

from checker.findings import Finding
from checker.policy import Policy
from checker.text import analysis
from checker.text.document import Document
from checker.text.matchers import PhraseIndex
from checker.text.gate import pattern_gate
from checker.text.rules import Check, Context

# --- phone numbers -----------------------------------------------------------------------

# phonenumbers' types, by the names the policy uses; "unassigned" is a number of a possible
# length written as a phone number (with +, or with the trunk 0) that no operator was given
# (Ofcom's drama ranges, or a made-up number): it still stands for someone's number.
PHONE_TYPES: Mapping[str, int | None] = {
    "fixed_line": PhoneNumberType.FIXED_LINE,
    "mobile": PhoneNumberType.MOBILE,
    "fixed_line_or_mobile": PhoneNumberType.FIXED_LINE_OR_MOBILE,
    "toll_free": PhoneNumberType.TOLL_FREE,
    "premium_rate": PhoneNumberType.PREMIUM_RATE,
    "shared_cost": PhoneNumberType.SHARED_COST,
    "voip": PhoneNumberType.VOIP,
    "personal_number": PhoneNumberType.PERSONAL_NUMBER,
    "pager": PhoneNumberType.PAGER,
    "uan": PhoneNumberType.UAN,
    "voicemail": PhoneNumberType.VOICEMAIL,
    "unassigned": None,
}
_TYPE_NAMES = {value: name for name, value in PHONE_TYPES.items() if value is not None}
# An unassigned number counts only when it has at least this many digits (a UK number has 10 after the 0).
UNASSIGNED_MIN_DIGITS = 10
# A number written without a country code is read in another region than the organisation's only when
# it is this long: shorter ones (eight-digit local numbers) look like any other figure.
ALSO_REGIONS_MIN_DIGITS = 9
_DIGIT = re.compile(r"\d")
# Seven digits that phonenumbers' matcher could read as one number: at most four of its separators
# (spaces, dots, dashes, brackets, "x"...) between each two. A sentence with none ("12 students
# in 2023") has no phone number, and the matcher's two passes over it are skipped.
_SEVEN_DIGITS = re.compile(r"\d(?:[" + _VALID_PUNCTUATION + r"]{0,4}\d){6}", re.IGNORECASE)
_SEVEN_DIGITS_GATE = r"(?i:\p{Nd}(?:[" + _VALID_PUNCTUATION + r"]{0,4}\p{Nd}){6})"  # the same, for RE2
# Candidates phonenumbers tries in one pass over a text: a post has a handful; a paste of thousands of
# figures stops here rather than taking seconds (each try parses a number).
MAX_TRIES = 500


@dataclass(frozen=True, slots=True)
class PhoneSettings:
    """How the organisation's numbers are read: identity.toml's [privacy] table."""

    region: str
    also_regions: tuple[str, ...]
    own_prefixes: tuple[str, ...]  # E.164 digits, without "+"


@dataclass(frozen=True, slots=True)
class PhoneHit:
    start: int
    end: int
    type: str
    own: bool


def privacy_settings(policy: Policy) -> Mapping[str, Any]:
    table = policy.identity.get("privacy", {})
    return table if isinstance(table, Mapping) else {}


def _phone_settings(check: Check, policy: Policy) -> PhoneSettings:
    table = privacy_settings(policy)
    region = table.get("phone_region", "GB")
    also = table.get("phone_regions_also", [])
    supported = phonenumbers.SUPPORTED_REGIONS
    if not isinstance(region, str) or region.upper() not in supported:
        raise check.error(f"identity.toml [privacy] phone_region {region!r} is not a region phonenumbers knows")
    if not isinstance(also, list) or not all(isinstance(r, str) and r.upper() in supported for r in also):
        raise check.error("identity.toml [privacy] phone_regions_also must be a list of region codes (GB, AU, US...)")
    prefixes = []
    for entry in table.get("phone_ranges", []):
        prefix = entry.get("prefix") if isinstance(entry, Mapping) else None
        if not isinstance(prefix, str) or not prefix.strip().startswith("+"):
            raise check.error("identity.toml [[privacy.phone_ranges]] needs a prefix in international form, such as \"+44 116 252\"")
        prefixes.append("".join(ch for ch in prefix if ch.isdigit()))
    return PhoneSettings(region.upper(), tuple(r.upper() for r in also), tuple(prefixes))


def find_phone_numbers(doc: Document, settings: PhoneSettings) -> list[PhoneHit]:
    """Every phone number in the text, once, with its type; computed once per document."""
    key = f"personal_data.phones:{settings!r}"
    cached = doc.cache.get(key)
    if cached is None:
        cached = doc.cache[key] = _phone_numbers(doc, settings)
    return cached


def _phone_numbers(doc: Document, settings: PhoneSettings) -> list[PhoneHit]:
    text = doc.text
    # The shortest number anywhere has 7 digits with its area code; links' digits (t.co/x1y2) do not count.
    digits = len(_DIGIT.findall(text))
    if digits < 7 or _SEVEN_DIGITS.search(text) is None or digits - sum(len(_DIGIT.findall(text, span.start, span.end)) for span in doc.special) < 7:
        return []
    hits: list[PhoneHit] = []
    covered = bytearray(len(text))  # characters already read as part of a number

    def free(start: int, end: int) -> bool:
        return not any(covered[start:end]) and doc.special_at(start, end) is None

    def take(start: int, end: int, number_type: str, own: bool) -> None:
        hits.append(PhoneHit(start, end, number_type, own))
        covered[start:end] = b"\x01" * (end - start)

    def read(match: phonenumbers.PhoneNumberMatch, offset: int = 0) -> None:
        start, end = offset + match.start, offset + match.end
        start += match.raw_string.startswith("(") and ")" not in match.raw_string  # "(1800 333 864"
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)[1:]
        own = any(e164.startswith(prefix) for prefix in settings.own_prefixes)
        take(start, end, _TYPE_NAMES.get(phonenumbers.number_type(match.number), "unassigned"), own)

    # Numbers valid in the organisation's region, and numbers with a country code, over the whole text.
    for match in PhoneNumberMatcher(text, settings.region, leniency=Leniency.VALID, max_tries=MAX_TRIES):
        if free(match.start, match.end):
            read(match)
    possible = [m for m in PhoneNumberMatcher(text, settings.region, leniency=Leniency.POSSIBLE, max_tries=MAX_TRIES) if free(m.start, m.end)]
    home_shaped = _home_shaped_numbers(possible, settings.region)
    # Other regions read only the candidates left over, each on its own; a number valid in several
    # is read in the first of them (the policy's order).
    leftovers = []
    for match in possible:
        digits = "".join(ch for ch in match.raw_string if ch.isdigit())
        if match.raw_string.lstrip("(").startswith("+") or digits in home_shaped:
            continue  # 07700 900456 is a British number (unassigned), not an Indian mobile
        if len(digits) < ALSO_REGIONS_MIN_DIGITS or _reads_as_nhs_number(match.raw_string):
            continue  # "9094 9546" is a local number somewhere and a figure anywhere; 3-3-4 NHS numbers are the NHS rule's
        leftovers.append(match)
    for region in settings.also_regions:
        for candidate in leftovers:
            if not free(candidate.start, candidate.end):
                continue
            for match in PhoneNumberMatcher(candidate.raw_string, region, leniency=Leniency.VALID):
                # "(2016) 388.201" is a year and a figure, not (201) 638-8201
                if match.raw_string == candidate.raw_string and _written_as_in(match.raw_string, region):
                    read(match, candidate.start)
    # Numbers written as phone numbers that no operator was given.
    for match in possible:
        raw = match.raw_string.lstrip("(")
        digits = len(_DIGIT.findall(raw))
        written_as_phone = raw.startswith("+") or (raw.startswith("0") and not raw.startswith("00") and digits >= UNASSIGNED_MIN_DIGITS + 1)
        if written_as_phone and digits >= UNASSIGNED_MIN_DIGITS and free(match.start, match.end):
            take(match.start, match.end, "unassigned", False)
    hits.sort(key=lambda h: h.start)
    return hits


def _home_shaped_numbers(possible: list[phonenumbers.PhoneNumberMatch], region: str) -> set[str]:
    """The digits of numbers written in the home region's full national form: its trunk prefix and
    its longest length (0 and ten digits in Britain), whether or not the number was ever assigned."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or not metadata.national_prefix:
        return set()
    length = len(metadata.national_prefix) + max(metadata.general_desc.possible_length)
    shaped = set()
    for match in possible:
        digits = "".join(ch for ch in match.raw_string if ch.isdigit())
        if digits.startswith(metadata.national_prefix) and len(digits) == length:
            shaped.add(digits)
    return shaped


def _written_as_in(raw: str, region: str) -> bool:
    """A number without a country code reads as another region's when it starts with that region's
    trunk prefix (0490 75 40 81 in Australia) or is grouped as the region groups its numbers."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    trunk = metadata.national_prefix if metadata is not None else None
    if trunk and raw.lstrip("(").startswith(trunk):
        return True
    return any(m.raw_string == raw for m in PhoneNumberMatcher(raw, region, leniency=Leniency.STRICT_GROUPING))


def _reads_as_nhs_number(raw: str) -> bool:
    return bool(_NHS_CANDIDATE.fullmatch(raw)) and nhs.is_valid(raw)


PHONE_CONTEXTS = ("any", "personal", "impersonal")


class Phone(Check):
    """Phone numbers of the types a rule lists (mobile, fixed_line...), outside the organisation's own ranges.

    `context` narrows a rule to sentences that say the number is someone's own ("personal": "text me
    on", "my number is": identity.toml's personal_context_words) or to the others ("impersonal").
    """

    options_schema = {"types": list, "context": str}
    required = ("types",)

    def setup(self, policy: Policy) -> None:
        self.types = set(self.strings("types"))
        unknown = self.types - set(PHONE_TYPES)
        if unknown or not self.types:
            raise self.error(f"option 'types' must list phone number types from {sorted(PHONE_TYPES)}; unknown: {sorted(unknown)}")
        self.settings = _phone_settings(self, policy)
        self.context = self.options.get("context", "any")
        if self.context not in PHONE_CONTEXTS:
            raise self.error(f"option 'context' must be one of {', '.join(PHONE_CONTEXTS)}, not {self.context!r}")
        words = privacy_settings(policy).get("personal_context_words", [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise self.error("identity.toml [privacy] personal_context_words must be a list of words and phrases")
        try:
            self.personal_words = PhraseIndex(dict.fromkeys(words, ())) if words else None
        except ValueError as problem:  # a phrase with no words ("")
            raise self.error(f"identity.toml [privacy] personal_context_words: {problem}") from None

    def gates(self) -> list[str]:
        return [_SEVEN_DIGITS_GATE]

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        hits = [h for h in find_phone_numbers(doc, self.settings) if h.type in self.types and not h.own]
        if hits and self.context != "any":
            personal = self.personal_words is not None and next(self.personal_words.finditer(doc), None) is not None
            if personal != (self.context == "personal"):
                return
        for hit in hits:
            yield self.finding(hit.start, hit.end, match=doc.text[hit.start : hit.end], type=hit.type.replace("_", " "))


# --- e-mail addresses --------------------------------------------------------------------

_LOCAL_PARTS = re.compile(r"[a-z]+")
# What every address the Document finds holds (its pattern without the look-behind), for RE2.
_EMAIL_GATE = r"[A-Za-z0-9._%+-]@[A-Za-z0-9.-]+\.[A-Za-z]{2}"
EMAIL_CLASSES = ("private", "named")


class Email(Check):
    """E-mail addresses that belong to a person.

    A role mailbox (info@, study@, degreestudies@ on any domain: identity.toml's
    [privacy.role_mailboxes]) is never personal. Otherwise an address on a personal mail
    service (gmail.com...) is "private", and one whose local part looks like a person's
    (jane.smith, abc12) on any other domain is "named": a colleague's own work address.
    A rule reports the classes in its `report` option.
    """

    options_schema = {"report": list, "personal_local_part": str, "shared_message": str}

    def setup(self, policy: Policy) -> None:
        self.domains = policy.organisation.domains
        self.personal = self.regex(self.options.get("personal_local_part", r"^[a-z]+[._-][a-z]+\d*$|^[a-z]{2,4}\d{1,4}$"), re.I)
        self.shared_message = self.options.get("shared_message")
        self.report = set(self.strings("report") or EMAIL_CLASSES)
        if self.report - set(EMAIL_CLASSES):
            raise self.error(f"option 'report' must list classes from {list(EMAIL_CLASSES)}")
        settings = privacy_settings(policy)
        roles = settings.get("role_mailboxes", {})
        words = roles.get("words", []) if isinstance(roles, Mapping) else None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise self.error("identity.toml [privacy.role_mailboxes] words must be a list of strings")
        self.role_words = frozenset(w.lower() for w in words)
        domains = settings.get("personal_mail_domains", [])
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise self.error("identity.toml [privacy] personal_mail_domains must be a list of domains")
        self.personal_domains = tuple(d.lower() for d in domains)

    def gates(self) -> list[str]:
        return [_EMAIL_GATE]

    def classify(self, address: str) -> str:
        """"role", "private", "named" or "other" (not personal)."""
        local, _, domain = address.rpartition("@")
        domain = domain.lower()
        if self.is_role(local):
            return "role"
        if any(domain == d or domain.endswith("." + d) for d in self.personal_domains):
            return "private"
        return "named" if self.personal.search(local) else "other"

    def is_role(self, local: str) -> bool:
        """A local part with a role word in it, as a part (study.abroad) or a compound (degreestudies)."""
        for part in _LOCAL_PARTS.findall(local.lower()):
            if part in self.role_words:
                return True
            # Short pieces of a compound (web, it, hr) are too often part of a name ("webster").
            if len(part) >= 6 and any(len(word) >= 4 and word in self.role_words for word in analysis.segment(part)):
                return True
        return False

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for span in doc.spans_of("email"):
            address = doc.text[span.start : span.end]
            kind = self.classify(address)
            if kind not in self.report:
                continue
            domain = address.rpartition("@")[2].lower()
            ours = any(domain == d or domain.endswith("." + d) for d in self.domains)
            message = self.shared_message if ours and self.shared_message else None
            yield self.finding(span.start, span.end, message=message, match=address, domain=self.domains[0] if self.domains else "")


# --- numbers with a check digit ----------------------------------------------------------

# 12 to 19 digits, optionally in groups split by one space or hyphen; not inside a longer number.
_CARD_CANDIDATE = re.compile(r"(?<![\w.,/-])\d(?:[ -]?\d){11,18}(?![\w]|[.,/-]\d)")
# The major networks' first digits (ISO/IEC 7812 issuer ranges): 2 and 5 Mastercard, 3 Amex,
# Diners and JCB, 4 Visa, 6 Discover, Maestro and UnionPay.
_CARD_FIRST_DIGITS = "23456"
_CARD_GROUPINGS = ((4, 4, 4, 4), (4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 3), (4, 4, 4, 1), (4, 4, 4, 2), (4, 4, 4, 3), (4, 4, 4, 4, 2), (4, 4, 4, 4, 1))


def is_card_number(candidate: str) -> bool:
    """Luhn-valid, of a card's length and first digit, and unbroken or grouped as cards are printed."""
    digits = "".join(ch for ch in candidate if ch.isdigit())
    if not 13 <= len(digits) <= 19 or digits[0] not in _CARD_FIRST_DIGITS or len(set(digits)) < 2:
        return False
    groups = tuple(len(g) for g in re.split(r"[ -]", candidate))
    if len(groups) > 1 and groups not in _CARD_GROUPINGS:
        return False
    return luhn.is_valid(digits)


class CardNumber(Check):
    """Payment card numbers (Luhn check digit)."""

    def gates(self) -> list[str]:
        return [r"\p{Nd}(?:[ -]?\p{Nd}){11}"]  # what every candidate starts with

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for match in _CARD_CANDIDATE.finditer(doc.text):
            if is_card_number(match.group()) and doc.special_at(*match.span()) is None:
                yield self.finding(match.start(), match.end(), match=match.group())


# Two letters, two check digits, then 11 to 30 letters and digits, in groups of four or unbroken.
_IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.I)


class Iban(Check):
    """International bank account numbers (ISO 13616: the country's length and layout, mod 97)."""

    def gates(self) -> list[str]:
        # A candidate's country, check digits and eleven more ([A-Z] ignoring case holds only letters).
        return [r"\pL\pL\p{Nd}\p{Nd}(?: ?[\pL0-9]){11}"]

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for match in _IBAN_CANDIDATE.finditer(doc.text):
            found = _longest_valid_iban(match.group())
            if found and doc.special_at(match.start(), match.start() + len(found)) is None:
                yield self.finding(match.start(), match.start() + len(found), match=found)


def _longest_valid_iban(candidate: str) -> str:
    """The candidate, or its longest prefix ending at a group, that is a valid IBAN ("" if none):
    the candidate may run on into the next word ("GB82 WEST 1234 5698 7654 32 today")."""
    pieces = candidate.split(" ")
    for count in range(len(pieces), 0, -1):
        prefix = " ".join(pieces[:count])
        if stdnum_iban.is_valid(prefix):
            return prefix
    return ""


# Ten digits, unbroken or as 3-3-4; not inside a longer number.
_NHS_CANDIDATE = re.compile(r"(?<![\w.,/-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w]|[.,/-]\d)")


class NhsNumber(Check):
    """NHS numbers (ten digits, mod 11 check digit), written as the NHS prints them (3-3-4) or
    shortly after a word that says what they are (`near`: "NHS no. 4010232137")."""

    options_schema = {"near": list, "within": int}
    scope = "post"  # "NHS no. 401..." is one sentence to a reader, two to the sentence splitter

    def setup(self, policy: Policy) -> None:
        self.near = self.phrases("near")
        self.within = self.options.get("within", 40)

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        cues: list[int] | None = None
        # A number lies inside one sentence (digits, spaces and hyphens hold no sentence end), so each
        # sentence's numbers are found once; the words before them are looked for in the whole post.
        for offset, part in doc.sentence_parts:
            for start, end, found in _nhs_numbers(part):
                start, end = start + offset, end + offset
                if cues is None:
                    cues = [m.end for m in self.near.finditer(doc)] if self.near is not None else []
                grouped = bool(re.fullmatch(r"\d{3} \d{3} \d{4}", found))
                if grouped or any(0 <= start - cue <= self.within for cue in cues):
                    yield self.finding(start, end, match=found)


def _nhs_numbers(doc: Document) -> list[tuple[int, int, str]]:
    """Valid NHS numbers outside links and handles: (start, end, number); computed once a document."""
    found = doc.cache.get("nhs_numbers")
    if found is None:
        found = doc.cache["nhs_numbers"] = [
            (*match.span(), match.group())
            for match in _NHS_CANDIDATE.finditer(doc.text)
            if nhs.is_valid(match.group()) and doc.special_at(*match.span()) is None
        ]
    return found  # type: ignore[no-any-return]


# --- IP addresses -------------------------------------------------------------------------

_IPV4_CANDIDATE = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)")
_IPV6_CANDIDATE = re.compile(r"(?<![\w:.])[0-9a-f:]{3,39}(?:%\w{1,16})?(?![\w:])", re.I)


class IpAddress(Check):
    """IPv4 and IPv6 addresses, which identify a person's device."""

    def gates(self) -> list[str]:
        # An IPv4 candidate's four numbers; an IPv6 one's two colons with only hex digits between.
        return [r"\p{Nd}\.\p{Nd}{1,3}\.\p{Nd}{1,3}\.\p{Nd}|:[0-9A-Fa-f]*:"]

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        for match in _IPV4_CANDIDATE.finditer(doc.text):
            if _is_ip(match.group(), 4) and doc.special_at(*match.span()) is None:
                yield self.finding(match.start(), match.end(), match=match.group())
        if ":" not in doc.text:
            return
        for match in _IPV6_CANDIDATE.finditer(doc.text):
            found = match.group()
            hex_digits = sum(ch not in ":" for ch in found.split("%")[0])
            if found.count(":") >= 2 and hex_digits >= 4 and _is_ip(found, 6) and doc.special_at(*match.span()) is None:
                yield self.finding(match.start(), match.end(), match=found)


def _is_ip(text: str, version: int) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return address.version == version


# --- home addresses ----------------------------------------------------------------------


class Address(Check):
    """Home addresses: a flat or house number with a street ("Flat 12, Bruce Stream",
    "14 Victoria Road"), with or without a town and postcode.

    The street's names are capitalised words; the words that say what it is (Flat, Road,
    Stream) match in any case. A number of four digits from 1800 to 2099 is a year, and a
    street followed straight on by another capitalised word is a title ("21 Awesome Street Art").
    """

    options_schema = {"dwellings": list, "street_types": list, "said_after": list}
    required = ("dwellings", "street_types")

    def setup(self, policy: Policy) -> None:
        dwellings = "|".join(map(re.escape, sorted(self.strings("dwellings"), key=len, reverse=True)))
        streets = "|".join(map(re.escape, sorted(self.strings("street_types"), key=len, reverse=True)))
        if not dwellings or not streets:
            raise self.error("options 'dwellings' and 'street_types' must not be empty")
        # A name is a word in title case (Victoria, McKay, St); small words join names (Stratford upon Avon).
        title = r"[A-Z][a-z'’-][\w'’-]*"
        name = rf"(?:{title}|of|the|upon|on|de|la)"
        street = rf"(?:{title})[ \t]+(?:{name}[ \t]+){{0,2}}(?i:{streets})\b"
        # What may follow a street: a town (after a comma), a postcode, or anything but a capitalised word.
        town = rf"(?:,[ \t]*(?:{title})(?:[ \t]+(?:{title}))?)?"
        postcode = r"(?:,?[ \t]*[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b)?"
        end = r"(?![ \t]+[A-Z])"
        self.patterns = [
            # Flat 12, Bruce Stream / Apartment 3 Carlton House
            self.regex(rf"\b(?i:{dwellings})\.?[ \t]+\d{{1,4}}[A-Za-z]?\b,?\s+(?:{street}|(?:{title})(?:[ \t]+{name}){{0,2}}[ \t]+(?i:house|court|lodge|building|tower|hall|mansions)\b|{title}){town}{postcode}"),
            # 14 Victoria Road, Leicester LE2 1AB / 7 Elm Close
            self.regex(rf"(?<![\w.,/-])(?!(?:18|19|20)\d\d\b)\d{{1,4}}[A-Za-z]?\b,?[ \t]+{street}{town}{postcode}{end}"),
        ]
        # The house-number pattern runs on `regex` (look-around); its gate is the same without it: a
        # digit, then names and a street word (i also standing for İ, which `regex` takes for i
        # ignoring case and RE2 does not).
        self._street_gate = (
            r"\p{Nd}[A-Za-z]?,?[ \t]+[A-Z]\S*[ \t]+(?:\S+[ \t]+){0,2}(?i:" + re.sub("[iI]", "[iIİı]", streets) + ")"
        )
        said_after = "|".join(map(re.escape, sorted(self.strings("said_after"), key=len, reverse=True)))
        if said_after:
            # After words that say an address follows ("she lives at"), the street may be in lower case.
            self.patterns.append(self.regex(rf"(?i:\b(?:{said_after})[ \t]+)(?P<flag>\d{{1,4}}[A-Za-z]?,?[ \t]+(?:[a-z][\w'’-]*[ \t]+){{1,3}}(?i:{streets})\b)"))

    def gates(self) -> list[str | None]:
        gates = [pattern_gate(p) for p in self.patterns]
        if gates[1] is None:
            gates[1] = self._street_gate
        return gates

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        return self.run_parts(doc, context, None)

    def run_parts(self, doc: Document, context: Context, parts: frozenset[int] | None) -> Iterator[Finding]:
        # The spans kept so far, apart and sorted: one that overlaps [start, end) can only be the
        # last to start before `end` (a look-up by halving, not a walk: linear on hostile text).
        starts: list[int] = []
        ends: list[int] = []
        for index, pattern in enumerate(self.patterns):
            if parts is not None and index not in parts:
                continue  # its gate says it matches nowhere in this text
            for match in pattern.finditer(doc.text):
                start, end = match.span("flag") if "flag" in pattern.groupindex else match.span()
                before = bisect.bisect_left(starts, end) - 1
                if (before >= 0 and ends[before] > start) or doc.special_at(start, end) is not None:
                    continue
                starts.insert(before + 1, start)
                ends.insert(before + 1, end)
                found = doc.text[start:end].rstrip(" ,")
                yield self.finding(start, start + len(found), match=found)


KINDS = {
    "phone": Phone,
    "email": Email,
    "card_number": CardNumber,
    "iban": Iban,
    "nhs_number": NhsNumber,
    "ip_address": IpAddress,
    "address": Address,
}
