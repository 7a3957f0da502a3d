#!/usr/bin/env python3
"""Train the tone model that ships in brand_assets/policy/tone_model.npz.

    pip install -e '.[train]'
    python scripts/train_tone_model.py            # or: make model

Reads the labelled tweets in ../shared/corpora/tweeteval/ (see its README) and, as extra
examples of what is fit to publish, part of ../shared/corpora/real_posts/dev.jsonl:

    tone        positive examples                     trained on          tuned on
    offensive   OffensEval (OLID) offensive           offensive/train     offensive/val
    hostile     HatEval hate, SemEval anger           hate/train, emotion/train (anger vs the rest)   their val
    sarcastic   SemEval 2018 irony                    irony/train         irony/val
    negative    SemEval 2017 negative                 sentiment/test      sentiment/val

Real posts are split by account: the posts of REAL_TRAIN_ACCOUNTS are negatives for every
tone in training; every other account is held back, and the figures printed for it are the
honest ones (accounts the model never saw). For each tone the script picks the
regularisation C with the best average precision on the tone's val split, then prints
recall and flag rates at a few thresholds, to choose the thresholds in the policy files.

Deterministic: a fixed vocabulary order, a fixed solver (liblinear) and fixed seeds, so the
same data gives the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.text.tone_model import CHAR_NGRAMS, FORMAT, TONES, ToneModel, save_model, text_features  # noqa: E402

try:
    from scipy.sparse import csr_matrix, diags, vstack
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, roc_auc_score
except ImportError:  # pragma: no cover - the message is the point
    sys.exit("training needs scikit-learn: pip install -e '.[train]'")

SEED = 20261201
MIN_COUNT = 3  # a feature seen in fewer training texts is dropped
C_GRID = (1.0, 3.0, 10.0)
REAL_WEIGHT = 2.0  # a real post counts this much against a tone (they are what the checker must let through)
REAL_TRAIN_ACCOUNTS = frozenset(
    {"unitartu", "BondUniversity", "Deakin", "Griffith_Uni", "QUT", "Sydney_Uni", "UQ_News", "UniNewEngland", "cdarwin", "unimelb", "victoriauninews"}
)
# Texts whose scores the file records, for the test that the shipped model still gives them.
EXAMPLES = (
    "You are a fucking idiot and everyone knows it",
    "Congratulations to all our graduates: a brilliant day on campus!",
    "Oh great, another Monday. Just what I needed.",
    "Our thoughts are with the families of the victims.",
    "Go back to your own country, you are not welcome here",
)  # weights smaller than this in every tone are dropped: they never decide anything


def read_split(folder: Path, split: str) -> tuple[list[str], list[int]]:
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()]
    if len(texts) != len(labels):
        raise SystemExit(f"{folder}/{split}: {len(texts)} texts but {len(labels)} labels")
    return texts, labels


def tone_data(tweeteval: Path) -> dict[str, dict[str, tuple[list[str], list[int]]]]:
    """For each tone, train and val texts with 0/1 labels."""

    def binary(folder: str, split: str, positive: set[int]) -> tuple[list[str], list[int]]:
        texts, labels = read_split(tweeteval / folder, split)
        return texts, [int(label in positive) for label in labels]

    def joined(*parts: tuple[list[str], list[int]]) -> tuple[list[str], list[int]]:
        return [t for p in parts for t in p[0]], [y for p in parts for y in p[1]]

    return {
        "offensive": {"train": binary("offensive", "train", {1}), "val": binary("offensive", "val", {1})},
        "hostile": {
            "train": joined(binary("hate", "train", {1}), binary("emotion", "train", {0})),
            "val": joined(binary("hate", "val", {1}), binary("emotion", "val", {0})),
        },
        "sarcastic": {"train": binary("irony", "train", {1}), "val": binary("irony", "val", {1})},
        "negative": {"train": binary("sentiment", "test", {0}), "val": binary("sentiment", "val", {0})},
    }


def real_posts(path: Path) -> tuple[list[str], list[str]]:
    """The real posts of the training accounts, and those held back."""
    train, held = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            post = json.loads(line)
            (train if post["account"] in REAL_TRAIN_ACCOUNTS else held).append(post["text"])
    return train, held


def matrix(texts: list[str], vocabulary: dict[str, int]) -> csr_matrix:
    rows, columns = [], []
    for row, text in enumerate(texts):
        for feature in text_features(text):
            column = vocabulary.get(feature)
            if column is not None:
                rows.append(row)
                columns.append(column)
    values = np.ones(len(rows), dtype=np.float64)
    result = csr_matrix((values, (rows, columns)), shape=(len(texts), len(vocabulary)))
    result.sum_duplicates()  # a feature twice in a text counts twice, as the sum at inference does
    # Counts over the square root of their total, as ToneModel.score divides them.
    totals = np.sqrt(np.asarray(result.sum(axis=1)).ravel())
    totals[totals == 0] = 1.0
    return (diags(1.0 / totals) @ result).tocsr()


def nb_ratio(x: csr_matrix, y: np.ndarray) -> np.ndarray:
    """Log of how much more often each feature occurs in positive texts than in negative ones (add-one smoothed)."""
    present = (x > 0).astype(np.float64)
    positive = np.asarray(present[y == 1].sum(axis=0)).ravel() + 1
    negative = np.asarray(present[y == 0].sum(axis=0)).ravel() + 1
    return np.log((positive / positive.sum()) / (negative / negative.sum()))


def rates(probabilities: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float]:
    flagged = probabilities >= threshold
    return float(flagged[labels == 1].mean()), float(flagged[labels == 0].mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (default: ../shared)")
    parser.add_argument("--out", type=Path, default=ROOT / "brand_assets" / "policy" / "tone_model.npz")
    args = parser.parse_args()
    np.random.seed(SEED)

    data = tone_data(args.shared / "corpora" / "tweeteval")
    real_train, real_held = real_posts(args.shared / "corpora" / "real_posts" / "dev.jsonl")

    # One vocabulary for every tone: features seen in at least MIN_COUNT training texts.
    counts: Counter[str] = Counter()
    training_texts = [t for tone in TONES for t in data[tone]["train"][0]] + real_train
    for text in training_texts:
        counts.update(set(text_features(text)))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    print(f"vocabulary: {len(vocabulary):,} features from {len(training_texts):,} texts")

    x_real_train = matrix(real_train, vocabulary)
    x_real_held = matrix(real_held, vocabulary)
    weights = np.zeros((len(vocabulary), len(TONES)))
    bias = np.zeros(len(TONES))
    report: dict[str, dict[str, object]] = {}
    for column, tone in enumerate(TONES):
        train_texts, train_labels = data[tone]["train"]
        val_texts, val_labels = data[tone]["val"]
        x_train = vstack([matrix(train_texts, vocabulary), x_real_train]).tocsr()
        y_train = np.array(train_labels + [0] * len(real_train))
        sample_weight = np.array([1.0] * len(train_labels) + [REAL_WEIGHT] * len(real_train))
        x_val, y_val = matrix(val_texts, vocabulary), np.array(val_labels)
        # NB-LR (Wang and Manning 2012): each feature scaled by how much likelier it is in the tone
        # than outside it, then a logistic regression; the scale folds into the shipped weights.
        ratio = diags(nb_ratio(x_train, y_train))
        best = None
        for c in C_GRID:
            model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", random_state=SEED, max_iter=1000)
            model.fit(x_train @ ratio, y_train, sample_weight=sample_weight)
            model.coef_ = model.coef_ @ ratio  # weights of the unscaled features, as inference reads them
            p_val = model.predict_proba(x_val)[:, 1]
            ap = average_precision_score(y_val, p_val)
            print(f"  {tone:<10} C={c:<5} val AP={ap:.3f} AUC={roc_auc_score(y_val, p_val):.3f}")
            if best is None or ap > best[0]:
                best = (ap, c, model, p_val)
        assert best is not None
        ap, c, model, p_val = best
        weights[:, column] = model.coef_[0]
        bias[column] = model.intercept_[0]
        p_held = model.predict_proba(x_real_held)[:, 1]
        table = {}
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            recall, flag_rate = rates(p_val, y_val, threshold)
            table[str(threshold)] = {"val_recall": round(recall, 3), "val_flag_rate": round(flag_rate, 3), "held_real_flag_rate": round(float((p_held >= threshold).mean()), 4)}
        report[tone] = {"C": c, "val_average_precision": round(ap, 3), "val_auc": round(float(roc_auc_score(y_val, p_val)), 3), "thresholds": table}
        print(f"{tone}: C={c} AP={ap:.3f}")
        for threshold, row in table.items():
            print(f"    p >= {threshold:<4}  val recall {row['val_recall']:.3f}  val flag rate {row['val_flag_rate']:.3f}  held-back real posts flagged {row['held_real_flag_rate']:.4f}")

    # Every feature stays, even one of small weight: it still counts in the square root that divides the sum.
    kept = sorted(vocabulary, key=vocabulary.__getitem__)
    meta = {
        "format": FORMAT,
        "tones": list(TONES),
        "char_ngrams": list(CHAR_NGRAMS),
        "seed": SEED,
        "min_count": MIN_COUNT,
        "real_train_accounts": sorted(REAL_TRAIN_ACCOUNTS),
        "real_weight": REAL_WEIGHT,
        "features": len(kept),
        "report": report,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_model(args.out, meta, kept, weights, bias)
    # What ships is float32: check that it scores as the trained model does.
    shipped = ToneModel.load(args.out)
    check_texts = [t for tone in TONES for t in data[tone]["val"][0][:200]]
    x_check = matrix(check_texts, vocabulary)
    trained = 1 / (1 + np.exp(-(x_check @ weights + bias)))
    scored = np.array([[shipped.score(t).probabilities[tone] for tone in TONES] for t in check_texts])
    gap = float(np.abs(trained - scored).max())
    print(f"shipped model against the trained one on {len(check_texts)} val texts: largest difference {gap:.4f}")
    if gap > 0.02:
        raise SystemExit("the shipped model does not reproduce the trained one")
    meta["examples"] = {text: {tone: round(p, 4) for tone, p in shipped.score(text).probabilities.items()} for text in EXAMPLES}
    save_model(args.out, meta, kept, weights, bias)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {len(kept):,} features)")


if __name__ == "__main__":
    main()
