"""The `socialcheck` command.

    socialcheck text FILE|-  [--platform x] [--profile corporate] [--json] [--no-grammar]
    socialcheck image FILE|FOLDER...  [--platform x] [--profile corporate] [--json]
    socialcheck policy validate PATH
    socialcheck serve [--host 127.0.0.1] [--port 8765] [--policy DIR] [--token T] [--require-token]

Exit status: 0 when nothing at error or warning level was found, 1 when something
was, 2 for a usage error or input that could not be checked. So it works in
scripts and in CI for scheduled posts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from checker.errors import CheckerError, PolicyError
from checker.findings import Finding, Report
from checker.policy import DEFAULT_PACK, load_policy

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2

COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "dim": "\033[2m", "reset": "\033[0m"}


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, colour: str, enabled: bool) -> str:
    return f"{COLOURS[colour]}{text}{COLOURS['reset']}" if enabled else text


def _line_and_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def format_finding(text: str, finding: Finding, colour: bool, name: str = "") -> str:
    line, column = _line_and_column(text, finding.start)
    excerpt = text[finding.start : finding.end].replace("\n", " ")
    if len(excerpt) > 60:
        excerpt = excerpt[:57] + "..."
    head = f"{name}{line}:{column}  {_paint(f'{finding.severity:<7}', finding.severity, colour)}  {finding.category:<13} {finding.message}"
    parts = [head]
    if finding.suggestions:
        parts.append(f"    suggestion: {' | '.join(s or '(leave it out)' for s in finding.suggestions)}")
    details = f"    {finding.rule}" + (f" · {finding.guideline}" if finding.guideline else "") + f" · “{excerpt}”"
    parts.append(_paint(details, "dim", colour))
    return "\n".join(parts)


def format_report(text: str, report: Report, colour: bool, name: str = "") -> str:
    lines = [format_finding(text, f, colour, name) for f in report.findings]
    counts = report.counts
    stats = report.stats
    length = f"{stats.get('length', len(text))}" + (f"/{stats['limit']}" if stats.get("limit") else "")
    summary = f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes · length {length} on {stats.get('platform', '?')}"
    verdict = _paint("ready to publish", "info", colour) if report.ok else _paint("not ready", "error", colour)
    lines.append(f"{summary} · {verdict}")
    return "\n".join(lines)


def _read_input(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def cmd_text(args: argparse.Namespace) -> int:
    from checker.text.engine import check_text

    policy = load_policy(args.policy)
    status = EXIT_CLEAN
    results = []
    for path in args.files:
        text = _read_input(path)
        report = check_text(text, platform=args.platform, profile=args.profile, policy=policy, grammar=args.grammar)
        if not report.ok:
            status = EXIT_FOUND
        if args.json:
            results.append({"file": path, **report.to_dict()})
        else:
            name = f"{path}:" if len(args.files) > 1 else ""
            print(format_report(text, report, _use_colour(sys.stdout), name))
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False, indent=2))
    return status


def cmd_image(args: argparse.Namespace) -> int:
    from checker.image.cli import run

    return run(args.files, platform=args.platform, profile=args.profile, policy=load_policy(args.policy), as_json=args.json)


def cmd_policy_validate(args: argparse.Namespace) -> int:
    from checker.text.engine import check_example

    policy = load_policy(args.path)
    checked = failed = 0
    for rule in policy.rules.values():
        for expected, examples in ((True, rule.flag_examples), (False, rule.pass_examples)):
            for example in examples:
                checked += 1
                if check_example(policy, rule, example) != expected:
                    failed += 1
                    should = "be flagged" if expected else "pass"
                    print(f"{rule.file}: rule {rule.id!r}: this example should {should}: {example.text!r}")
    print(f"{policy.name}: {len(policy.rules)} rules, {len(policy.profiles)} profiles, {len(policy.platforms)} platforms; {checked} examples, {failed} wrong")
    return EXIT_FOUND if failed else EXIT_CLEAN


def cmd_serve(args: argparse.Namespace) -> int:
    # Imported here, so that the library and its other commands never load Flask.
    from server.serve import run

    try:
        return run(
            host=args.host,
            port=args.port,
            policy=args.policy,
            token=args.token,
            require_token=args.require_token,
            show_token=args.show_token,
            extension_ids=args.extension_id,
            allow_hosts=args.allow_host,
            grammar=args.grammar,
        )
    except OSError as error:
        print(f"socialcheck serve: cannot listen on {args.host}:{args.port}: {error.strerror or error} (is a server already running there?)", file=sys.stderr)
    except ValueError as error:  # a setting the server refuses, such as a short token
        print(f"socialcheck serve: {error}", file=sys.stderr)
    return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialcheck", description="Check social media posts and profiles against an organisation's social media identity.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    text = commands.add_parser("text", help="check the text of posts", description="Check the text of one or more posts (a file each, or - for standard input).")
    text.add_argument("files", nargs="+", metavar="FILE", help="a file with the post's text, or - for standard input")
    text.add_argument("--platform", default="generic", help="x, facebook, linkedin, instagram, threads, bluesky, mastodon or generic (default)")
    text.add_argument("--profile", default=None, help="corporate (default) or department")
    text.add_argument("--policy", default=None, help=f"a policy pack folder (default: {DEFAULT_PACK})")
    text.add_argument("--json", action="store_true", help="print the report as JSON")
    text.add_argument("--no-grammar", dest="grammar", action="store_false", help="run the policy's rules only, without grammar and spelling")
    text.set_defaults(handler=cmd_text)

    image = commands.add_parser("image", help="check profile images", description="Check profile images against the platform's specification and the visual identity (files, or folders of .png/.jpg/.webp/.gif).")
    image.add_argument("files", nargs="+", metavar="FILE", help="an image file, or a folder of them")
    image.add_argument("--platform", default="x", help="x (default), facebook, linkedin, instagram, youtube, tiktok, threads, bluesky or mastodon")
    image.add_argument("--profile", default=None, help="corporate (default), department or base")
    image.add_argument("--policy", default=None, help=f"a policy pack folder (default: {DEFAULT_PACK})")
    image.add_argument("--json", action="store_true", help="print the reports as JSON (with the circle-crop preview as base64 PNG)")
    image.set_defaults(handler=cmd_image)

    policy = commands.add_parser("policy", help="work with policy packs")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    validate = policy_commands.add_parser("validate", help="check a policy pack and run every rule's examples")
    validate.add_argument("path", help="the pack's folder (holding identity.toml and policy/)")
    validate.set_defaults(handler=cmd_policy_validate)

    serve = commands.add_parser("serve", help="run the local server the browser extension talks to", description="Run the local server that the browser extension sends drafts and images to. It prints where it listens, the pairing token and the grammar engine's state.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; any other address requires the pairing token)")
    serve.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765; 0 picks a free one)")
    serve.add_argument("--policy", default=None, help=f"a policy pack folder (default: {DEFAULT_PACK})")
    serve.add_argument("--token", default=None, help="use this pairing token instead of the one kept in your config folder")
    serve.add_argument("--require-token", action="store_true", help="refuse requests without the pairing token on loopback too")
    serve.add_argument("--show-token", action="store_true", help="print the pairing token in full (it is printed in full only when it is made)")
    serve.add_argument("--extension-id", action="append", default=[], metavar="ID", help="answer only this extension (a Chrome extension id or an extension origin); repeat for more")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME", help="also answer requests addressed to this host name (for a shared server)")
    serve.add_argument("--no-grammar", dest="grammar", action="store_false", help="run the policy's rules only, without grammar and spelling")
    serve.set_defaults(handler=cmd_serve)
    return parser


def _version() -> str:
    from checker import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except PolicyError as error:
        print(f"socialcheck: policy error: {error}", file=sys.stderr)
    except (CheckerError, OSError, UnicodeDecodeError) as error:
        print(f"socialcheck: {error}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
