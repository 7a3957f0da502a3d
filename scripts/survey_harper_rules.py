"""Which of Harper's rules ever find anything in real posts and tweets: the evidence behind
`[decisions.never_found]` in brand_assets/policy/grammar.toml.

    python scripts/survey_harper_rules.py                 # writes docs/harper-rules.tsv
    python scripts/survey_harper_rules.py --toml          # also prints the never_found rule list

Every rule Harper runs by default lints the text as our engine gives it to Harper (links,
mentions and hashtags blanked): the posts official accounts published
(../shared/corpora/real_posts/dev.jsonl) and the TweetEval training tweets (offensive, hate,
irony and emotion: informal writing, full of the slips a draft has). A rule that finds nothing
in any of them looks for one rare phrase; together those rules are most of Harper's time on
every post. The table lists, for each rule, its lint kind and how many posts and tweets it
found something in. Takes about 3 minutes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.grammar.social import blank_social_tokens, social_tokens  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
TWEET_SETS = ("offensive", "hate", "irony", "emotion")


def texts() -> dict[str, list[str]]:
    real = [json.loads(line)["text"] for line in (CORPORA / "real_posts" / "dev.jsonl").open(encoding="utf-8") if line.strip()]
    tweets = []
    for name in TWEET_SETS:
        path = CORPORA / "tweeteval" / name / "train_text.txt"
        tweets += [line.rstrip("\n") for line in path.open(encoding="utf-8") if line.strip()]
    return {"real posts": real, "tweets": tweets}


def survey() -> tuple[list[str], dict[str, Counter[str]], dict[str, Counter[str]], dict[str, int]]:
    import harper

    defaults = harper.get_default_lint_config()
    rules = sorted(rule for rule, on in defaults.items() if on)
    linter = harper.Linter(harper.Dialect.BRITISH)
    linter.set_lint_config(defaults)
    found: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {rule: Counter() for rule in rules}
    sizes = {}
    for source, items in texts().items():
        sizes[source] = len(items)
        found[source] = Counter()
        for text in items:
            blanked = blank_social_tokens(text, social_tokens(text))
            for rule, lints in linter.organized_lints(blanked, language="plaintext").items():
                if lints:
                    found[source][rule] += 1
                    kinds.setdefault(rule, Counter()).update(lint.lint_kind for lint in lints)
    return rules, found, kinds, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "harper-rules.tsv"))
    parser.add_argument("--toml", action="store_true", help="print the rules that found nothing, as a TOML list")
    args = parser.parse_args()
    rules, found, kinds, sizes = survey()
    sources = list(found)
    lines = ["# " + ", ".join(f"{source}: {count}" for source, count in sizes.items()) + " (scripts/survey_harper_rules.py)"]
    lines.append("\t".join(["rule", "kind", *sources]))
    for rule in sorted(rules, key=lambda r: (-sum(found[s][r] for s in sources), r)):
        kind = kinds[rule].most_common(1)[0][0] if kinds[rule] else ""
        lines.append("\t".join([rule, kind, *(str(found[s][rule]) for s in sources)]))
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    never = [rule for rule in rules if not any(found[s][rule] for s in sources)]
    print(f"{len(rules)} rules; {len(rules) - len(never)} found something; {len(never)} found nothing; table in {args.out}")
    if args.toml:
        print("rules = [")
        for i in range(0, len(never), 6):
            print("    " + " ".join(f'"harper.{rule}",' for rule in never[i : i + 6]))
        print("]")


if __name__ == "__main__":
    main()
