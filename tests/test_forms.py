"""Validation of the clinician callback form."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateClinicianCallbackForm, contact_method, normalise_phone


def tracker_with(slots: dict) -> Tracker:
    return Tracker("conv", slots, {"text": ""}, [], False, None, {"name": "clinician_callback_form"}, "action_listen")


@pytest.mark.parametrize("text, method", [
    ("phone", "phone"), ("Call me please", "phone"), ("text me", "phone"),
    ("email", "email"), ("E-mail is best", "email"), ("carrier pigeon", None), ("", None),
])
def test_contact_method_is_recognised(text, method):
    assert contact_method(text) == method


@pytest.mark.parametrize("text, phone", [
    ("555 222 3333", "(555) 222-3333"), ("+1 (555) 222-3333", "(555) 222-3333"),
    ("5552223333", "(555) 222-3333"), ("12345", None), ("call me maybe", None), ("555 222 3333 444", None),
])
def test_phone_numbers_are_validated_and_normalised(text, phone):
    assert normalise_phone(text) == phone


def run_validator(slot: str, value: str, slots: dict = None):
    dispatcher = CollectingDispatcher()
    validate = getattr(ValidateClinicianCallbackForm(), f"validate_{slot}")
    return validate(value, dispatcher, tracker_with(slots or {}), {}), dispatcher.messages


def test_valid_email_is_kept_when_email_was_chosen():
    result, messages = run_validator("callback_contact", "sam@example.org", {"callback_contact_method": "email"})
    assert result == {"callback_contact": "sam@example.org"} and messages == []


def test_invalid_email_is_refused_with_a_kind_message():
    result, messages = run_validator("callback_contact", "sam at example", {"callback_contact_method": "email"})
    assert result == {"callback_contact": None}
    assert messages[0]["response"] == "utter_invalid_callback_email"


def test_invalid_phone_is_refused_with_a_kind_message():
    result, messages = run_validator("callback_contact", "not a number", {"callback_contact_method": "phone"})
    assert result == {"callback_contact": None}
    assert messages[0]["response"] == "utter_invalid_callback_phone"


@pytest.mark.parametrize("slot", ["callback_name", "callback_best_time"])
def test_empty_or_huge_free_text_is_refused(slot):
    for value in ("   ", "x" * 500):
        result, messages = run_validator(slot, value)
        assert result == {slot: None} and messages[0]["response"] == f"utter_invalid_{slot}"
