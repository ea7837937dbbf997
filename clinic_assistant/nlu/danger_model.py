"""A second opinion on danger now: word and character TF-IDF with a binary logistic regression.

The intent classifier alone is overconfident on ordinary first-person statements (it gave
"going to the fireworks tonight, wish me luck" P(crisis) 0.99). A model of a different kind,
trained only to tell the danger intents from everything else, errs on different messages, so
the router pages on a weighted vote of the two (README "Safety routing"). Besides the NLU
examples it learns from a corpus written for it alone (data/danger_corpus/), too large and too
close to the line between danger and dark-sounding talk for the intent classifier's data.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, List, Optional, Text, Tuple

import skops.io as sio
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

DANGER_INTENTS = ("crisis", "crisis_es")
# The corpus's labels; the danger model learns the first as danger now and the rest as not.
DANGER_LABELS = ("danger_now",)
CORPUS_LABELS = (*DANGER_LABELS, "possible_risk", "no_risk", "clinic")
# skops refuses to load any type not listed here: a model file cannot run code.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


class DangerModel:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    @classmethod
    def train(cls, texts: List[Text], danger: List[bool]) -> DangerModel:
        pipeline = make_pipeline(
            make_union(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            ),
            LogisticRegression(C=10, max_iter=3000, class_weight="balanced", random_state=0),
        )
        pipeline.fit(texts, danger)
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


def corpus_files(folder: Optional[Text]) -> List[Path]:
    """The corpus's files; a configured folder that is missing is an error (a path relative to
    somewhere other than the project would otherwise train without the corpus, silently)."""
    if not folder:
        return []
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"danger_corpus: no folder {folder!r}")
    return sorted(Path(folder).glob("*.yml"))


def load_corpus(folder: Optional[Text]) -> Tuple[List[Text], List[Text]]:
    """The corpus's messages and their labels; a label outside CORPUS_LABELS is an error, not
    a silent negative."""
    texts: List[Text] = []
    labels: List[Text] = []
    for path in corpus_files(folder):
        for label, messages in yaml.safe_load(path.read_text("utf-8")).items():
            if label not in CORPUS_LABELS:
                raise ValueError(f"{path}: unknown label {label!r}")
            texts += messages
            labels += [label] * len(messages)
    return texts, labels


def corpus_fingerprint(folder: Optional[Text]) -> Optional[Text]:
    """A hash of the corpus's files, so that `rasa train` retrains when they change."""
    files = corpus_files(folder)
    if not files:
        return None
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()
