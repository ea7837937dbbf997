"""Every message of the held-out crisis set gets the crisis reply, end to end."""

import uuid

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from tests.conftest import ROOT

CRISIS_SET = [
    e.get("text")
    for e in load_data(str(ROOT / "tests" / "nlu" / "crisis_messages.yml")).intent_examples
]


def test_the_crisis_set_is_large_enough():
    assert len(CRISIS_SET) >= 60


@pytest.mark.parametrize("message", CRISIS_SET)
def test_crisis_message_gets_the_crisis_reply(servers, message):
    text = servers.text(f"crisis-{uuid.uuid4().hex[:10]}", message)
    assert "911" in text and "988" in text and "838255" in text, text
