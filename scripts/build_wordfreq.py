"""Build checker/wordfreq.npz from wordsegment's unigram counts and pyspellchecker's English words.

    pip install -e '.[train]' && python scripts/build_wordfreq.py

The table ships with the package so that a check never spends a second hashing
333,000 words at start-up: keys are the first 8 bytes of each word's BLAKE2b
hash (stable across processes, unlike hash()), sorted, with float32 counts. `dictionary`
holds the keys of the 160,000 words of pyspellchecker's English dictionary (OpenSubtitles
words that pass a dictionary, misspellings removed): a word it knows is not a typo.
tests/test_grammar_decisions.py checks the shipped file against wordsegment.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from checker.wordfreq import TABLE_FILE, word_key  # noqa: E402


def main() -> None:
    import wordsegment

    text = resources.files(wordsegment).joinpath("unigrams.txt").read_text(encoding="utf-8")
    fields = text.split()
    keys = np.array([word_key(word) for word in fields[0::2]], dtype=np.int64)
    counts = np.array(fields[1::2], dtype=np.float64).astype(np.float32)
    order = np.argsort(keys, kind="stable")
    dictionary = np.unique(np.array([word_key(word) for word in dictionary_words()], dtype=np.int64))
    np.savez(TABLE_FILE, keys=keys[order], counts=counts[order], dictionary=dictionary)
    print(f"{TABLE_FILE}: {len(keys)} counted words, {len(dictionary)} dictionary words, "
          f"{TABLE_FILE.stat().st_size / 1e6:.1f} MB")


def dictionary_words() -> list[str]:
    import gzip
    import json

    import spellchecker

    path = resources.files(spellchecker).joinpath("resources", "en.json.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as words:
        return list(json.load(words))


if __name__ == "__main__":
    main()
