"""Regression guard on the held-out set, which is never training data."""

import pytest

from clinic_assistant.settings import MODEL
from harness import evaluate_nlu


@pytest.fixture(scope="module")
def results():
    model = MODEL
    if not model.exists():
        pytest.fail("No trained model: run the tests through `make test`, which trains it.")
    return evaluate_nlu.evaluate(str(model))


def test_heldout_macro_f1_stays_at_or_above_0_90(results):
    assert results["heldout_size"] >= 8 * 53
    assert results["macro_f1"] >= 0.90, results["confused_pairs"]


def test_every_topic_is_recognised_on_the_heldout_set(results):
    assert {topic: f1 for topic, f1 in results["per_topic_f1"].items() if f1 < 0.6} == {}
