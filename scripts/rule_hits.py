"""List every finding of the chosen rules on a posts file, with the words found and their context.

    python scripts/rule_hits.py ../shared/corpora/real_posts/dev.jsonl inclusive. tone.textspeak offensive.

A rule is chosen by its id or by a prefix of it ("inclusive."). Only warnings and errors are listed,
unless --all is given. Grammar is not run: these are the policy's own rules.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from checker import check_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("posts")
    parser.add_argument("rules", nargs="+")
    parser.add_argument("--all", action="store_true", help="list info findings too")
    args = parser.parse_args()
    counted = {"error", "warning", "info"} if args.all else {"error", "warning"}
    per_rule: Counter[str] = Counter()
    for line in Path(args.posts).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        post = json.loads(line)
        text = post["text"]
        report = check_text(text, platform=post.get("platform", "x"), grammar=False)
        for f in report.findings:
            if f.severity in counted and any(f.rule == r or f.rule.startswith(r) for r in args.rules):
                per_rule[f.rule] += 1
                around = text[max(0, f.start - 40) : f.end + 40].replace("\n", " ")
                print(f"{f.rule}\t{f.severity}\t{text[f.start:f.end]!r}\t{post['id']}\t…{around}…")
    for rule, count in per_rule.most_common():
        print(f"# {rule}: {count}")


if __name__ == "__main__":
    main()
