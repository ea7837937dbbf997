"""A second opinion on danger now: word and character TF-IDF with a binary logistic regression.

The intent classifier alone is overconfident on ordinary first-person statements (it gave
"going to the fireworks tonight, wish me luck" P(crisis) 0.99). A model of a different kind,
trained only to tell the danger intents from everything else, errs on different messages, so
the router pages on a weighted vote of the two (README "Safety routing").
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, List, Text

import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

DANGER_INTENTS = ("crisis", "crisis_es")
# skops refuses to load any type not listed here: a model file cannot run code.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


class DangerModel:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    @classmethod
    def train(cls, texts: List[Text], intents: List[Text]) -> DangerModel:
        pipeline = make_pipeline(
            make_union(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            ),
            LogisticRegression(C=10, max_iter=3000, class_weight="balanced", random_state=0),
        )
        pipeline.fit(texts, [intent in DANGER_INTENTS for intent in intents])
        return cls(pipeline)

    def probability(self, texts: Iterable[Text]) -> List[float]:
        """P(danger now) for each text."""
        return [float(p) for p in self.pipeline.predict_proba(list(texts))[:, 1]]

    def save(self, path: Path) -> None:
        sio.dump(self.pipeline, path)

    @classmethod
    def load(cls, path: Path) -> DangerModel:
        untrusted = sio.get_untrusted_types(file=path)
        if set(untrusted) - set(TRUSTED_TYPES):
            raise ValueError(f"Unexpected types in the danger model: {untrusted}")
        return cls(sio.load(path, trusted=TRUSTED_TYPES))
