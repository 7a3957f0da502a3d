#!/usr/bin/env python3
"""Operating points of the tone model and the word lists on TweetEval offensive val.

    python scripts/measure_tone_model.py            # from the project root, ../shared beside it

The issue's target is a recall of at least 0.80 at a flag rate of at most 0.15. For each
scorer this prints its ROC AUC, its recall at a flag rate of exactly 0.15 and its flag rate at
a recall of 0.80, so a change can be judged on the whole curve, not only at the shipped
thresholds:

- the offensive head alone (whole tweets), and the other three heads;
- the checker's rules other than the two model rules ("lists": word lists, patterns, VADER);
- the checker as shipped, and with offensive.model's threshold swept (whole-tweet score,
  every other rule as it is), which is the curve the shipped rules can move along;
- an upper bound for "lists and model decide together": the offensive logit plus a fixed
  amount when any list fires, that amount chosen on val itself (so it flatters).

Only val is read: the test split stays apart. Nothing here trains or tunes the shipped model.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check_text  # noqa: E402
from checker.text.tone_model import TONES, ToneModel  # noqa: E402

MODEL_RULES = {"offensive.model", "tone.model"}
COUNTED = {"error", "warning"}
FLAG_BUDGET = 0.15
RECALL_TARGET = 0.80


def auc(score: np.ndarray, labels: np.ndarray) -> float:
    """ROC AUC as the share of (offensive, not offensive) pairs ranked right, ties counting half."""
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    i = 0
    while i < len(score):  # average ranks over ties
        j = i
        while j + 1 < len(score) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def operating_points(score: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """AUC, recall at a flag rate of at most FLAG_BUDGET, flag rate at a recall of at least RECALL_TARGET."""
    negatives = np.sort(score[labels == 0])[::-1]
    allowed = int(math.floor(FLAG_BUDGET * len(negatives)))  # tweets over the cut; ties at the cut are not flagged
    cut = negatives[allowed] if allowed < len(negatives) else -np.inf
    recall = float((score[labels == 1] > cut).mean())
    positives = np.sort(score[labels == 1])[::-1]
    needed = positives[int(math.ceil(RECALL_TARGET * len(positives))) - 1]
    flag_rate = float((score[labels == 0] >= needed).mean())
    return auc(score, labels), recall, flag_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (default: ../shared)")
    parser.add_argument("--model", type=Path, default=ROOT / "brand_assets" / "policy" / "tone_model.npz")
    args = parser.parse_args()
    folder = args.shared / "corpora" / "tweeteval" / "offensive"
    texts = (folder / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = np.array([int(x) for x in (folder / "val_labels.txt").read_text(encoding="utf-8").split()])
    model = ToneModel.load(args.model)

    probabilities = np.array([[model.score(t).probabilities[tone] for tone in TONES] for t in texts])
    lists = np.zeros(len(texts), dtype=bool)
    shipped = np.zeros(len(texts), dtype=bool)
    without_offensive_model = np.zeros(len(texts), dtype=bool)
    for row, text in enumerate(texts):
        rules = {f.rule for f in check_text(text, platform="x").findings if f.severity in COUNTED and f.category in ("offensive", "tone")}
        lists[row] = bool(rules - MODEL_RULES)
        shipped[row] = bool(rules)
        without_offensive_model[row] = bool(rules - {"offensive.model"})

    def rates(flagged: np.ndarray) -> str:
        return f"recall {flagged[labels == 1].mean():.3f}  flag rate {flagged[labels == 0].mean():.3f}"

    print(f"TweetEval offensive val: {len(texts)} tweets, {int(labels.sum())} offensive\n")
    print(f"{'scorer':<44} {'AUC':>6} {'recall@flag0.15':>16} {'flag@recall0.80':>16}")
    for column, tone in enumerate(TONES):
        a, r, f = operating_points(probabilities[:, column], labels)
        print(f"{'model, ' + tone + ' head alone':<44} {a:>6.3f} {r:>16.3f} {f:>16.3f}")
    offensive = probabilities[:, TONES.index("offensive")]
    logit = np.log(offensive / (1 - offensive))
    best = max((operating_points(logit + bonus * lists, labels), bonus) for bonus in np.arange(0, 4.01, 0.25))
    (a, r, f), bonus = best
    print(f"{'model logit + %.2f if a list fires (val-tuned)' % bonus:<44} {a:>6.3f} {r:>16.3f} {f:>16.3f}")
    print()
    print(f"lists (every rule but the two model rules):  {rates(lists)}")
    print(f"checker without offensive.model:             {rates(without_offensive_model)}")
    print(f"checker as shipped:                          {rates(shipped)}")
    print("checker with offensive.model's threshold swept (whole-tweet score, other rules as they are):")
    for threshold in (0.9, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4):
        print(f"    offensive >= {threshold:<4}  {rates(without_offensive_model | (offensive >= threshold))}")


if __name__ == "__main__":
    main()
