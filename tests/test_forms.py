"""Validation of the clinician callback form."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateClinicianCallbackForm, contact_method, normalise_phone


def tracker_with(slots: dict, text: str = "") -> Tracker:
    return Tracker(
        "conv",
        slots,
        {"text": text, "intent": {"name": "affirm"}},
        [],
        False,
        None,
        {"name": "clinician_callback_form"},
        "action_listen",
    )


@pytest.mark.parametrize(
    "text, method",
    [
        ("phone", "phone"),
        ("Call me please", "phone"),
        ("text me", "phone"),
        ("email", "email"),
        ("E-mail is best", "email"),
        ("carrier pigeon", None),
        ("", None),
    ],
)
def test_contact_method_is_recognised(text, method):
    assert contact_method(text) == method


@pytest.mark.parametrize(
    "text, phone",
    [
        ("555 222 3333", "(555) 222-3333"),
        ("+1 (555) 222-3333", "(555) 222-3333"),
        ("5552223333", "(555) 222-3333"),
        ("12345", None),
        ("call me maybe", None),
        ("555 222 3333 444", None),
    ],
)
def test_phone_numbers_are_validated_and_normalised(text, phone):
    assert normalise_phone(text) == phone


def run_validator(slot: str, value: str, slots: dict = None):
    dispatcher = CollectingDispatcher()
    validate = getattr(ValidateClinicianCallbackForm(), f"validate_{slot}")
    return validate(value, dispatcher, tracker_with(slots or {}), {}), dispatcher.messages


def test_valid_email_is_kept_when_email_was_chosen():
    result, messages = run_validator(
        "callback_contact", "sam@example.org", {"callback_contact_method": "email"}
    )
    assert result == {"callback_contact": "sam@example.org"} and messages == []


def test_invalid_email_is_refused_with_a_kind_message():
    result, messages = run_validator(
        "callback_contact", "sam at example", {"callback_contact_method": "email"}
    )
    assert result == {"callback_contact": None}
    assert messages[0]["response"] == "utter_invalid_callback_email"


def test_invalid_phone_is_refused_with_a_kind_message():
    result, messages = run_validator(
        "callback_contact", "not a number", {"callback_contact_method": "phone"}
    )
    assert result == {"callback_contact": None}
    assert messages[0]["response"] == "utter_invalid_callback_phone"


@pytest.mark.parametrize("slot", ["callback_name", "callback_best_time"])
def test_empty_or_huge_free_text_is_refused(slot):
    for value in ("   ", "x" * 500):
        result, messages = run_validator(slot, value)
        assert result == {slot: None} and messages[0]["response"] == f"utter_invalid_{slot}"


def test_consent_is_recorded_on_the_conversations_ticket(ticket_store):
    ticket = ticket_store.file("conv", "medical_dosage", "routine")
    result, messages = run_validator("callback_consent", True, {"handoff_ticket_id": ticket.id})
    assert result == {"callback_consent": True, "handoff_ticket_id": ticket.id} and messages == []
    assert ticket_store.get(ticket.id).consent is True


def test_consent_without_a_ticket_files_one(ticket_store):
    result, _ = run_validator("callback_consent", True, {})
    [ticket] = ticket_store.list()
    assert result == {"callback_consent": True, "handoff_ticket_id": ticket.id}
    assert (ticket.reason, ticket.consent) == ("callback_request", True)


@pytest.mark.parametrize(
    "slot, answer, field, stored",
    [
        ("callback_name", "Sam", "contact_name", "Sam"),
        ("callback_contact_method", "call me", "contact_method", "phone"),
        ("callback_contact", "555 222 3333", "contact_value", "(555) 222-3333"),
        ("callback_best_time", "weekday mornings", "best_time", "weekday mornings"),
    ],
)
def test_each_valid_detail_goes_on_the_ticket_in_the_same_turn(
    ticket_store, slot, answer, field, stored
):
    """The stored conversation keeps only a mask, so the next turn could not read the detail
    back."""
    ticket = ticket_store.file("conv", "medical_dosage", "routine")
    ticket_store.record_consent(ticket.id)
    slots = {
        "handoff_ticket_id": ticket.id,
        "callback_consent": True,
        "callback_contact_method": "phone",
    }
    result, _ = run_validator(slot, answer, slots)
    assert result == {slot: stored}
    assert getattr(ticket_store.get(ticket.id), field) == stored


def test_an_invalid_detail_is_not_stored(ticket_store):
    ticket = ticket_store.file("conv", "medical_dosage", "routine")
    ticket_store.record_consent(ticket.id)
    run_validator(
        "callback_contact",
        "12345",
        {
            "handoff_ticket_id": ticket.id,
            "callback_consent": True,
            "callback_contact_method": "phone",
        },
    )
    assert ticket_store.get(ticket.id).contact_value is None


def test_no_detail_is_stored_without_consent(ticket_store):
    ticket = ticket_store.file("conv", "medical_dosage", "routine")
    run_validator("callback_name", "Sam", {"handoff_ticket_id": ticket.id})
    assert ticket_store.get(ticket.id).contact_name is None
    with pytest.raises(PermissionError):
        ticket_store.add_contact(ticket.id, contact_name="Sam")
