"""Builds the blank English spaCy pipeline (lookup lemmas) used by the spaCy
comparison pipeline. No model download: the lemma table comes from the
spacy-lookups-data package and is copied into the saved pipeline."""

import sys
from pathlib import Path

import spacy


def build(path: str) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)


if __name__ == "__main__":
    build(sys.argv[1])
