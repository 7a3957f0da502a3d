"""scripts/measure_tone_model.py: the AUC and the two operating points it reports for issue 11's target."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "measure_tone_model.py"


@pytest.fixture(scope="module")
def measure():
    spec = importlib.util.spec_from_file_location("measure_tone_model", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_auc_counts_pairs_ranked_right_and_ties_as_half(measure):
    labels = np.array([0, 0, 1, 1])
    assert measure.auc(np.array([0.1, 0.2, 0.3, 0.4]), labels) == 1.0
    assert measure.auc(np.array([0.4, 0.3, 0.2, 0.1]), labels) == 0.0
    assert measure.auc(np.array([0.5, 0.5, 0.5, 0.5]), labels) == 0.5
    assert measure.auc(np.array([0.1, 0.3, 0.2, 0.4]), labels) == 0.75  # 3 of the 4 pairs


def test_the_same_auc_as_scikit_learn(measure):
    metrics = pytest.importorskip("sklearn.metrics")  # installed with '.[train]'
    generator = np.random.default_rng(11)
    labels = generator.integers(0, 2, 500)
    score = np.round(labels * 0.5 + generator.normal(size=500), 1)  # rounded, so there are ties
    assert measure.auc(score, labels) == pytest.approx(metrics.roc_auc_score(labels, score))


def test_operating_points_never_exceed_the_flag_budget_or_fall_short_of_the_recall(measure):
    # 20 inoffensive tweets scored 0..19, 10 offensive ones scored 15..24.
    labels = np.array([0] * 20 + [1] * 10)
    score = np.concatenate([np.arange(20), np.arange(15, 25)]).astype(float)
    _, recall, flag_rate = measure.operating_points(score, labels)
    # At most 3 of 20 inoffensive (0.15) may be flagged: the cut is above 16, so 17..24 are flagged.
    assert recall == 0.8
    # A recall of 0.80 needs 8 of the 10: scores >= 17, which flags 17, 18 and 19 of the inoffensive.
    assert flag_rate == 0.15
