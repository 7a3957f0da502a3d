"""The `socialcheck` command.

    socialcheck text FILE|-  [--platform x] [--profile corporate] [--json] [--no-grammar] [--no-server]
    socialcheck image FILE|FOLDER...  [--platform x] [--profile corporate] [--json]
    socialcheck policy validate PATH
    socialcheck serve [--host 127.0.0.1] [--port 8765] [--policy DIR|URL] [--token T] [--require-token]
    socialcheck autostart on|off|status  [--port 8765] [--policy DIR|URL]
    socialcheck extension path
    socialcheck extension build --output FILE.zip [--for-store]

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
from checker.policy import DEFAULT_PACK, Policy, load_policy

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
    server = None
    if args.grammar and args.server:
        # A running server that checks as we would answers at once (server.client).
        from server.client import LocalServer

        server = LocalServer.connect(args.policy)
    policy = None
    status = EXIT_CLEAN
    results = []
    for path in args.files:
        text = _read_input(path)
        report = server.check(text, args.platform, args.profile) if server is not None else None
        if report is None:
            server = None  # from here on, in this process
            if policy is None:
                policy = _load_for_text(args)
            from checker.text.engine import check_text

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


def _load_for_text(args: argparse.Namespace) -> Policy:
    if args.grammar:
        # Harper's dictionary takes as long as the policy's load: both at once (it lets go of the GIL).
        from checker.grammar.harper_engine import prewarm

        prewarm()
    return load_policy(args.policy)


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
    from checker.grammar import decision_example_holds, read_config

    config = read_config(policy)
    decisions = config.decisions
    if config.engines == "off" and decisions.all:
        print(f"{decisions.file}: examples not run: grammar checking is off (SOCIALCHECK_GRAMMAR or [grammar] engines)")
    for decision in decisions.all if config.engines != "off" else ():
        for flagged, texts in ((True, decision.flag_examples), (False, decision.pass_examples)):
            for text in texts:
                checked += 1
                if not decision_example_holds(policy, decision, text, flagged=flagged):
                    failed += 1
                    should = f"be reported at {decision.severity}" if flagged else "not be blocked"
                    print(f"{decisions.file}: decision {decision.name!r}: this example should {should}: {text!r}")
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
            policy_check_minutes=args.policy_check_minutes,
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


def cmd_autostart(args: argparse.Namespace) -> int:
    from server.autostart import Autostart

    autostart = Autostart()
    if args.action == "on":
        serve_args = ["--port", str(args.port)]
        if args.policy:
            # Absolute, since a login entry starts in another folder.
            serve_args += ["--policy", args.policy if "://" in args.policy else os.path.abspath(args.policy)]
        said = autostart.on(serve_args)
    elif args.action == "off":
        said = autostart.off()
    else:
        on, said = autostart.status()
        port = autostart.port() if on else None
        if port is not None:
            said.append(_server_answers(port))
        print("\n".join(said))
        return EXIT_CLEAN if on else EXIT_FOUND
    print("\n".join(said))
    return EXIT_CLEAN


def _server_answers(port: int) -> str:
    """Whether a socialcheck server answers on this machine's port, and with which pack."""
    import urllib.request

    url = f"http://127.0.0.1:{port}"
    request = urllib.request.Request(f"{url}/v1/health", headers={"X-Socialcheck-Client": "cli"})
    try:
        with urllib.request.urlopen(request, timeout=3) as answer:
            health = json.load(answer)
    except (OSError, ValueError):
        return f"the server is not answering at {url} now"
    pack = health.get("pack") or {}
    return f"the server is answering at {url} (version {health.get('version')}, policy pack {pack.get('name') or health.get('policy')} {str(pack.get('hash', ''))[:19]})".rstrip()


def cmd_extension_path(args: argparse.Namespace) -> int:
    from server.extension_package import extension_dir

    print(extension_dir())
    return EXIT_CLEAN


def cmd_extension_build(args: argparse.Namespace) -> int:
    from server.extension_package import build_zip, packaged_manifest

    try:
        output = build_zip(args.output, keep_key=not args.for_store)
    except ValueError as error:
        print(f"socialcheck extension build: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(f"wrote {output} (extension version {packaged_manifest()['version']})")
    return EXIT_CLEAN


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
    text.add_argument("--no-server", dest="server", action="store_false", help="check in this process even when a running 'socialcheck serve' could answer (it answers only when it would report the same)")
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
    serve.add_argument("--policy", default=None, metavar="DIR|URL", help=f"a policy pack folder (reloaded when its files change), or the https:// or file:// address of a published pack (a zip, or a folder on a share) to follow (default: {DEFAULT_PACK})")
    serve.add_argument("--policy-check-minutes", type=_positive_minutes, default=15, metavar="N", help="how often to check a published pack for a new version (default 15)")
    serve.add_argument("--token", default=None, help="use this pairing token instead of the one kept in your config folder")
    serve.add_argument("--require-token", action="store_true", help="refuse requests without the pairing token on loopback too")
    serve.add_argument("--show-token", action="store_true", help="print the pairing token in full (it is printed in full only when it is made)")
    serve.add_argument("--extension-id", action="append", default=[], metavar="ID", help="answer only this extension (a Chrome extension id or an extension origin); repeat for more")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME", help="also answer requests addressed to this host name (for a shared server)")
    serve.add_argument("--no-grammar", dest="grammar", action="store_false", help="run the policy's rules only, without grammar and spelling")
    serve.set_defaults(handler=cmd_serve)

    autostart = commands.add_parser("autostart", help="start the server when you log in", description="Start the server when you log in: a systemd user unit on Linux, a LaunchAgent on macOS, a Startup folder entry on Windows.")
    autostart.add_argument("action", choices=("on", "off", "status"), help="on: install and start; off: stop and remove; status: say whether it is on")
    autostart.add_argument("--port", type=int, default=8765, help="port the server listens on (default 8765)")
    autostart.add_argument("--policy", default=None, help="a policy pack folder or URL to serve instead of the bundled one")
    autostart.set_defaults(handler=cmd_autostart)

    extension = commands.add_parser("extension", help="the browser extension: its folder, or a zip to install")
    extension_commands = extension.add_subparsers(dest="extension_command", required=True, metavar="ACTION")
    path = extension_commands.add_parser("path", help="print the extension's folder (for Load unpacked in chrome://extensions)")
    path.set_defaults(handler=cmd_extension_path)
    build = extension_commands.add_parser("build", help="write the extension as a zip, versioned with this package")
    build.add_argument("--output", required=True, metavar="FILE.zip", help="the zip file to write")
    build.add_argument("--for-store", action="store_true", help="leave out the manifest's key: the Chrome Web Store gives the item its own")
    build.set_defaults(handler=cmd_extension_build)
    return parser


def _positive_minutes(value: str) -> float:
    try:
        minutes = float(value)
    except ValueError:
        minutes = 0.0
    if not minutes > 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of minutes")
    return minutes


def _version() -> str:
    from checker import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from checker.native_output import keep_native_output_off_stdout

    keep_native_output_off_stdout()  # harper-py prints words of the text there
    try:
        return int(args.handler(args))
    except PolicyError as error:
        print(f"socialcheck: policy error: {error}", file=sys.stderr)
    except (CheckerError, OSError, UnicodeDecodeError) as error:
        print(f"socialcheck: {error}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
