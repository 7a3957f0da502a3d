#!/usr/bin/env python3
"""Every finding of the policy's rules (grammar off) on the team's corpora, one JSON line a check.

    .venv/bin/python scripts/dump_findings.py OUT.jsonl [--limit N]

Run it before and after a change to the rule engine and diff the two files: a speed-up must
find exactly what it found before. Each post is checked on its own platform, on x and on
generic, for the corporate and department profiles; long texts (consecutive real posts joined
to 3,000 characters) and one-letter edits of them are checked too, after the text they edit,
as a draft is re-checked while someone types (the memos then answer most of it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from checker import check_text  # noqa: E402


def texts() -> list[tuple[str, str, str]]:
    """(id, platform, text) of every text to check."""
    found = []
    for name in ("corpora/real_posts/dev.jsonl", "eval/dev_posts.jsonl"):
        with (SHARED / name).open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    post = json.loads(line)
                    found.append((f"{name}:{post['id']}", post.get("platform", "generic"), post["text"]))
    with (SHARED / "corpora/tweeteval/offensive/val_text.txt").open(encoding="utf-8") as lines:
        found.extend((f"tweeteval:{i}", "x", line.rstrip("\n")) for i, line in enumerate(lines))
    return found


def long_texts(posts: list[str], count: int = 120) -> list[tuple[str, str]]:
    """Consecutive posts joined to about 3,000 characters, and each with one letter in its middle changed."""
    found = []
    step = max(1, len(posts) // count)
    for n in range(count):
        parts, size, index = [], 0, n * step
        while size < 3000:
            parts.append(posts[index % len(posts)])
            size += len(parts[-1]) + 1
            index += 1
        text = " ".join(parts)[:3000]
        middle = len(text) // 2
        while middle < len(text) - 1 and not text[middle].isalpha():
            middle += 1
        found.append((text, text[:middle] + "xq"[text[middle] == "x"] + text[middle + 1 :]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="check only the first N posts (a quick look)")
    args = parser.parse_args()
    posts = texts()
    if args.limit:
        posts = posts[: args.limit]
    jobs = []
    for key, platform, text in posts:
        for where in dict.fromkeys((platform, "x", "generic")):
            jobs.append((key, where, text))
    for n, (text, edit) in enumerate(long_texts([t for k, _, t in posts if k.startswith("corpora")])):
        for where in ("x", "generic"):
            jobs.append((f"long:{n}", where, text))
            jobs.append((f"long:{n}:edited", where, edit))
    with args.out.open("w", encoding="utf-8") as out:
        for key, platform, text in jobs:
            for profile in ("corporate", "department"):
                report = check_text(text, platform=platform, profile=profile, grammar=False)
                found = [[f.rule, f.start, f.end, f.severity, f.message, list(f.suggestions)] for f in report.findings]
                stats = {k: v for k, v in report.stats.items() if k != "engines"}
                out.write(json.dumps({"id": key, "platform": platform, "profile": profile, "findings": found, "stats": stats}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
