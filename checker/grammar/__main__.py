"""`python -m checker.grammar`: engine status, and installing LanguageTool locally.

    python -m checker.grammar status                 # each engine's state and why
    python -m checker.grammar install-languagetool   # download LanguageTool (needs Java 17+, network)
"""

from __future__ import annotations

import argparse
import json
import sys

from checker.errors import CheckerError


def _status(_: argparse.Namespace) -> int:
    from checker.grammar import shutdown_engines, start_engines

    try:
        states = start_engines(background=False)
    finally:
        shutdown_engines()
    print(json.dumps(states, indent=2))
    return 0


def _install(args: argparse.Namespace) -> int:
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool
    from language_tool_python.utils import get_language_tool_download_path

    from checker.grammar.languagetool_engine import java_major_version

    java = java_major_version()
    if java is None or java < 17:
        found = "no Java" if java is None else f"Java {java}"
        print(f"LanguageTool needs Java 17 or newer; this machine has {found}.", file=sys.stderr)
        print("Install one (for example `apt-get install openjdk-17-jre-headless`) and try again.", file=sys.stderr)
        return 1
    version = args.version or LTP_DOWNLOAD_VERSION
    folder = get_language_tool_download_path()
    print(f"Downloading LanguageTool {version} into {folder} (about 250 MB) ...")
    try:
        LocalLanguageTool.from_version_name(version).download()
    except Exception as error:  # noqa: BLE001 - the download's own errors vary; say what happened
        print(f"Could not download LanguageTool: {error}", file=sys.stderr)
        return 1
    print("Done. socialcheck now starts it in the background when grammar checking begins.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m checker.grammar", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="start the configured engines and print their states").set_defaults(run=_status)
    install = commands.add_parser("install-languagetool", help="download LanguageTool for local use")
    install.add_argument("--version", help="a LanguageTool version such as 6.8 (default: language-tool-python's)")
    install.set_defaults(run=_install)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CheckerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
