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
        ("555 222 3333", "+15552223333"),
        ("+1 (555) 222-3333", "+15552223333"),
        ("5552223333", "+15552223333"),
        ("my cell is 555.222.3333, thanks", "+15552223333"),
        ("+44 7700 900461 (in London till June)", "+447700900461"),
        ("0049 30 1234 5678", "+493012345678"),
        ("1 (555) 222-3333 ext 4", "+15552223333;ext=4"),
        ("555-22", None),
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
        ("callback_contact", "555 222 3333", "contact_value", "+15552223333"),
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


def asked(slot: str, text: str, intent: str, confidence: float = 0.9, slots: dict = None):
    """What the form reads from `text` while asking for `slot`: {slot: ...}, or {} when the
    message is not an answer (Rasa rejects the form and a rule takes over)."""
    tracker = Tracker(
        "conv",
        {"requested_slot": slot, "callback_contact_method": "phone", **(slots or {})},
        {"text": text, "intent": {"name": intent, "confidence": confidence}},
        [],
        False,
        None,
        {"name": "clinician_callback_form"},
        "action_listen",
    )
    extract = getattr(ValidateClinicianCallbackForm(), f"extract_{slot}")
    return extract(CollectingDispatcher(), tracker, {})


@pytest.mark.parametrize(
    "slot, text, intent",
    [
        ("callback_name", "do you take tricare?", "ketamine_cost"),
        ("callback_name", "wait, how much does a session cost?", "ketamine_cost"),
        ("callback_consent", "what do you do with my details?", "privacy"),
        ("callback_contact", "hold on, what is ketamine exactly", "ketamine_what_is"),
        ("callback_best_time", "what should i bring on the day?", "ketamine_preparation"),
        ("callback_name", "i can't go on, i want to end it", "crisis"),
        ("callback_contact", "never mind", "cancel"),
        ("callback_best_time", "no", "deny"),
    ],
)
def test_a_question_or_a_way_out_is_never_taken_as_an_answer(slot, text, intent):
    assert asked(slot, text, intent) == {}


@pytest.mark.parametrize(
    "slot, text, intent, value",
    [
        ("callback_name", "ok, it's Sam", "greet", "ok, it's Sam"),
        ("callback_name", "María José O'Neill-Núñez", "other_language", "María José O'Neill-Núñez"),
        ("callback_contact_method", "call", "goodbye", "call"),
        ("callback_contact", "555-222-3333", "ptsd_diagnosis", "555-222-3333"),
        ("callback_best_time", "mornings", "greet", "mornings"),
        ("callback_consent", "ok", "affirm", True),
        ("callback_name", "zzzz ???", "nlu_fallback", "zzzz ???"),  # validation asks again
    ],
)
def test_an_answer_is_read_whatever_the_classifier_thought(slot, text, intent, value):
    assert asked(slot, text, intent) == {slot: value}


def test_asking_for_the_other_method_switches_it_and_asks_for_that_detail():
    read = asked("callback_contact", "can you email me instead?", "nlu_fallback")
    assert read == {"callback_contact_method": "email", "callback_contact": None}
    read = asked("callback_contact", "sam@example.org", "nlu_fallback")
    assert read == {"callback_contact_method": "email", "callback_contact": "sam@example.org"}


@pytest.mark.parametrize(
    "text, name", [("lol ok. Theo", "Theo"), ("my name is Dana Whitfield", "Dana Whitfield")]
)
def test_the_name_is_kept_without_the_words_around_it(text, name):
    result, messages = run_validator("callback_name", text)
    assert result == {"callback_name": name} and messages == []


@pytest.mark.parametrize("text", ["do you take tricare?", "yes", "the blue one"])
def test_text_that_is_not_a_name_is_never_stored_as_one(text):
    result, messages = run_validator("callback_name", text)
    assert result == {"callback_name": None}
    assert messages[0]["response"] == "utter_invalid_callback_name"


def test_no_preference_is_a_best_time_not_a_no():
    assert asked("callback_best_time", "no preference", "deny") == {
        "callback_best_time": "no preference"
    }
    assert asked("callback_best_time", "no", "deny") == {}
