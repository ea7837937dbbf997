"""The danger model's training corpus (data/danger_corpus/): its form, that no evaluation message
is in it, and that training reads it and retrains when it changes."""

import re

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic_assistant.nlu.danger_model import CORPUS_LABELS, corpus_fingerprint, load_corpus
from clinic_assistant.nlu.safety_router import SafetyRouter
from clinic_assistant.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "data" / "danger_corpus"
INDEPENDENT = PROJECT_ROOT / "tests" / "nlu" / "independent"


def words(text):
    return " ".join(re.findall(r"\w+", text.lower()))


def test_the_corpus_has_every_label_and_no_empty_or_repeated_message():
    texts, labels = load_corpus(str(CORPUS))
    assert set(labels) == set(CORPUS_LABELS)
    assert all(isinstance(text, str) and text.strip() for text in texts)
    assert len({words(text) for text in texts}) == len(texts)
    assert 0.25 < labels.count("danger_now") / len(labels) < 0.6


def test_no_evaluation_message_is_in_the_corpus():
    corpus = {words(text) for text in load_corpus(str(CORPUS))[0]}
    evaluation = {
        words(message["text"])
        for path in INDEPENDENT.glob("*/*.yml")
        for message in yaml.safe_load(path.read_text("utf-8"))["messages"]
    }
    assert evaluation and not corpus & evaluation


def test_a_missing_corpus_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="danger_corpus"):
        load_corpus(str(tmp_path / "nowhere"))


def test_an_unknown_label_is_an_error(tmp_path):
    (tmp_path / "a.yml").write_text('danger_now: ["x"]\nmaybe: ["y"]\n')
    with pytest.raises(ValueError, match="maybe"):
        load_corpus(str(tmp_path))


def test_the_fingerprint_follows_the_corpus(tmp_path):
    assert corpus_fingerprint(str(tmp_path)) is None
    path = tmp_path / "a.yml"
    path.write_text('danger_now: ["the ferry at dawn"]\n')
    before = corpus_fingerprint(str(tmp_path))
    path.write_text('no_risk: ["the ferry at dawn"]\n')
    assert corpus_fingerprint(str(tmp_path)) not in (None, before)


def train_router(tmp_path, corpus):
    examples = {"hello": "greet", "i will end it tonight": "crisis", "what does it cost": "cost"}
    data = TrainingData(
        [Message(data={TEXT: text, INTENT: intent}) for text, intent in examples.items()]
    )
    config = {**SafetyRouter.get_default_config(), "danger_corpus": corpus}
    folder = tmp_path / f"model-{corpus is not None}"
    folder.mkdir()
    storage = LocalModelStorage(folder)
    router = SafetyRouter.create(config, storage, Resource("safety_router"), None)
    router.train(data)
    return router


def test_training_learns_from_the_configured_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.yml").write_text(
        "danger_now:\n"
        + "".join(f'- "walking to the quarry edge now {i}"\n' for i in range(20))
        + "possible_risk:\n"
        + "".join(f'- "the quarry looks peaceful lately {i}"\n' for i in range(20))
        + "no_risk:\n"
        + "".join(f'- "the quarry is a nice walk {i}"\n' for i in range(20))
    )
    danger, possible = ["walking to the quarry edge now"], ["the quarry looks peaceful lately"]
    without, learned = train_router(tmp_path, None), train_router(tmp_path, str(corpus))
    assert learned.danger_model.probability(danger)[0] > 0.5
    assert without.danger_model.probability(danger)[0] < 0.5
    # A possible risk is not danger now.
    assert learned.danger_model.probability(possible)[0] < 0.5
    assert SafetyRouter.fingerprint_addon({"danger_corpus": str(corpus)})
