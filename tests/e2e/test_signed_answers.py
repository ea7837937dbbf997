"""clinic.yml review.serve_only_signed, on the real Rasa server: the generator named in
endpoints.yml holds back answers no clinician has signed (all of them today)."""

import uuid

import pytest
import yaml

from clinic_assistant import settings
from tests.e2e.conftest import started

AWAITING = "I'm sorry, I can't answer that here yet."


@pytest.fixture(scope="module")
def rasa(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signed-only")
    clinic = yaml.safe_load(settings.DEFAULT_CLINIC_CONFIG.read_text())
    clinic["review"] = {"serve_only_signed": True}
    config = folder / "clinic.yml"
    config.write_text(yaml.safe_dump(clinic))
    with started(folder, action_server=False, CLINIC_CONFIG=str(config)) as running:
        yield running


def sender() -> str:
    return f"signed-{uuid.uuid4().hex[:10]}"


def test_an_unsigned_answer_is_replaced_by_the_clinics_contact(rasa):
    text = rasa.text(sender(), "what is ptsd?")
    assert text.startswith(AWAITING)
    assert settings.load_clinic()["clinic"]["phone"] in text and "988" in text
    assert "Source:" not in text


def test_the_crisis_protocol_and_the_greeting_are_always_sent(rasa):
    crisis = rasa.text(sender(), "I want to kill myself")
    assert AWAITING not in crisis and "911" in crisis and "988" in crisis
    assert AWAITING not in rasa.text(sender(), "hello")
