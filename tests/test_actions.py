"""Custom actions run against tracker data shaped as the Rasa server sends it."""

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import (
    ActionEscalateToClinician,
    ActionFileUrgentHandoff,
    ActionRequestHandoff,
    ActionSubmitCallback,
)
from clinic_assistant import settings
from clinic_assistant.callback import SLOTS as CALLBACK_SLOTS
from tests.conftest import ROOT

DOMAIN = {"responses": {}}
for path in (ROOT / "domain" / "responses").glob("*.yml"):
    DOMAIN["responses"].update(yaml.safe_load(path.read_text())["responses"])


def tracker(
    intent: str,
    text: str,
    slots: dict = None,
    channel: str = "rest",
    earlier: list = (),
    safety: dict = None,
) -> Tracker:
    """The tracker as the Rasa server serialises it for the action server; `earlier` are the
    session's events before this message, `safety` the safety router's output for it."""
    latest = {"intent": {"name": intent, "confidence": 0.93}, "entities": [], "text": text}
    if safety:
        latest["safety"] = safety
    return Tracker.from_dict(
        {
            "sender_id": "patient-42",
            "slots": slots or {},
            "latest_message": latest,
            "events": [
                {"event": "action", "name": "action_session_start"},
                {"event": "session_started"},
                *earlier,
                {"event": "action", "name": "action_listen"},
                {"event": "user", "text": text, "parse_data": latest, "input_channel": channel},
            ],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action, tracker_data):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker_data, DOMAIN)
    return [m["response"] for m in dispatcher.messages], events


def test_escalation_explains_why_offers_a_callback_and_records_a_ticket(ticket_store):
    responses, events = run(
        ActionEscalateToClinician(), tracker("medical_dosage", "how much ketamine should i get")
    )
    assert responses == ["utter_escalate_medical_dosage", "utter_offer_callback"]
    [ticket] = ticket_store.list()
    assert (ticket.reason, ticket.priority, ticket.channel, ticket.conversation_id) == (
        "medical_dosage",
        "routine",
        "rest",
        "patient-42",
    )
    assert ticket.message == "how much ketamine should i get"
    assert events == [SlotSet("handoff_ticket_id", ticket.id)]


def test_an_escalation_with_a_risk_signal_shows_the_crisis_lines_and_asks_staff_to_review(
    ticket_store,
):
    text = "can i take an extra seroquel tonight, i just want everything to stop"
    responses, _ = run(
        ActionEscalateToClinician(),
        tracker("medical_medication", text, safety={"tier": None, "risk_signal": True}),
    )
    assert responses == [
        "utter_escalate_medical_medication",
        "utter_check_safety",
        "utter_offer_callback",
    ]
    [ticket] = ticket_store.list()
    assert (ticket.reason, ticket.priority) == ("medical_medication", "review")


def test_every_medical_topic_has_its_own_escalation_reason():
    medical = [
        i
        for i in yaml.safe_load((ROOT / "domain" / "generated" / "topics.yml").read_text())[
            "intents"
        ]
        if i.startswith("medical_")
    ]
    assert medical and all(f"utter_escalate_{topic}" in DOMAIN["responses"] for topic in medical)


def test_escalation_of_an_unexpected_intent_still_says_a_clinician_decides(ticket_store):
    responses, _ = run(ActionEscalateToClinician(), tracker("nlu_fallback", "hmm"))
    assert responses == ["utter_escalate_general", "utter_offer_callback"]


def test_handoff_request_records_a_routine_ticket(ticket_store):
    responses, _ = run(
        ActionRequestHandoff(),
        tracker("talk_to_human", "can i talk to a real person", channel="socketio"),
    )
    assert responses == ["utter_handoff_talk_to_human", "utter_offer_callback"]
    [ticket] = ticket_store.list()
    assert (ticket.reason, ticket.priority, ticket.channel) == (
        "talk_to_human",
        "routine",
        "socketio",
    )


def test_a_booking_files_a_ticket_and_leaves_the_asking_to_the_form(ticket_store):
    responses, events = run(ActionRequestHandoff(), tracker("book_consultation", "book me in"))
    assert responses == ["utter_handoff_book_consultation"], "the form asks for consent next"
    [ticket] = ticket_store.list()
    assert SlotSet("handoff_ticket_id", ticket.id) in events


def test_a_medical_question_inside_the_form_is_not_answered_nor_offered_a_second_callback(
    ticket_store,
):
    inside = tracker("medical_dosage", "how much will i get", {"requested_slot": "callback_name"})
    inside.active_loop = {"name": "clinician_callback_form"}
    responses, events = run(ActionEscalateToClinician(), inside)
    assert responses == ["utter_escalate_medical_dosage", "utter_escalate_in_form"]
    assert events == [] and ticket_store.list() == []


def test_a_risky_medical_question_inside_the_form_raises_the_forms_ticket_to_review(
    ticket_store, webhook_factory, monkeypatch
):
    webhook = webhook_factory()
    monkeypatch.setenv("CLINIC_WEBHOOK_URL", webhook.url)
    booked = ticket_store.file(
        conversation_id="patient-42", reason="book_consultation", priority="routine"
    )
    text = "is it ok to double my klonopin tonight, honestly i dont care what happens"
    inside = tracker(
        "medical_medication",
        text,
        {"requested_slot": "callback_name", "handoff_ticket_id": booked.id},
        safety={"tier": None, "risk_signal": True},
    )
    inside.active_loop = {"name": "clinician_callback_form"}
    responses, events = run(ActionEscalateToClinician(), inside)
    assert responses == [
        "utter_escalate_medical_medication",
        "utter_check_safety",
        "utter_escalate_in_form",
    ]
    assert events == [] and [t.id for t in ticket_store.list()] == [booked.id]
    [delivered] = webhook.wait_for_tickets(1)
    assert (delivered["id"], delivered["priority"]) == (booked.id, "review")


def test_crisis_files_an_urgent_ticket_and_says_nothing_more(ticket_store):
    responses, _ = run(ActionFileUrgentHandoff(), tracker("crisis", "i want to die"))
    assert responses == []
    [ticket] = ticket_store.list()
    assert (ticket.reason, ticket.priority, ticket.message) == ("crisis", "urgent", "i want to die")


def test_a_completed_form_confirms_and_the_details_stay_only_on_the_ticket(ticket_store):
    ticket = ticket_store.file("patient-42", "medical_eligibility", "routine")
    ticket_store.record_consent(ticket.id)
    details = {
        "contact_name": "Sam",
        "contact_method": "email",
        "contact_value": "sam@example.org",
        "best_time": "evenings",
    }
    ticket_store.add_contact(ticket.id, **details)
    # The slots as the stored conversation holds them: masked (the redacting tracker store).
    slots = {
        "handoff_ticket_id": ticket.id,
        "callback_name": "[name]",
        "callback_contact_method": "email",
        "callback_contact": "[contact]",
        "callback_best_time": "[time]",
        "callback_consent": True,
    }
    responses, events = run(ActionSubmitCallback(), tracker("out_of_scope", "evenings", slots))
    assert responses == ["utter_callback_confirmed"]
    stored = ticket_store.get(ticket.id)
    assert (
        stored.consent,
        stored.contact_name,
        stored.contact_method,
        stored.contact_value,
        stored.best_time,
    ) == (True, "Sam", "email", "sam@example.org", "evenings")
    assert all(SlotSet(slot, None) in events for slot in CALLBACK_SLOTS)


def test_withdrawn_consent_removes_the_details_already_on_the_ticket(ticket_store):
    ticket = ticket_store.file("patient-42", "book_consultation", "routine")
    ticket_store.record_consent(ticket.id)
    ticket_store.add_contact(
        ticket.id, contact_name="Sam", contact_method="phone", contact_value="(555) 222-3333"
    )
    slots = {
        "handoff_ticket_id": ticket.id,
        "callback_consent": True,
        "callback_name": "[name]",
        "callback_contact_method": "phone",
        "callback_contact": "[contact]",
    }
    responses, events = run(ActionSubmitCallback(), tracker("deny", "no", slots))
    assert responses == ["utter_callback_cancelled"]
    stored = ticket_store.get(ticket.id)
    assert (
        stored.consent,
        stored.contact_name,
        stored.contact_method,
        stored.contact_value,
        stored.best_time,
    ) == (False, None, None, None, None)
    assert all(SlotSet(slot, None) in events for slot in CALLBACK_SLOTS)


def test_refused_consent_stores_nothing(ticket_store):
    ticket = ticket_store.file("patient-42", "book_consultation", "routine")
    responses, _ = run(
        ActionSubmitCallback(), tracker("deny", "no", {"handoff_ticket_id": ticket.id})
    )
    assert responses == ["utter_callback_cancelled"]
    stored = ticket_store.get(ticket.id)
    assert (stored.consent, stored.contact_name, stored.contact_value) == (False, None, None)


# ---------------------------------------------------------------- after a crisis

CRISIS_TURN = [
    {"event": "user", "text": "i want to die", "parse_data": {"intent": {"name": "crisis"}}},
    {"event": "action", "name": "utter_crisis"},
    {"event": "action", "name": "action_file_urgent_handoff"},
]
# A "yes" to the direct risk question runs the crisis protocol on an affirm turn.
YES_TO_THE_DIRECT_QUESTION = [
    {"event": "action", "name": "utter_risk_check"},
    {"event": "user", "text": "yes", "parse_data": {"intent": {"name": "affirm"}}},
    {"event": "action", "name": "utter_crisis"},
]


def test_a_person_asked_for_right_after_a_crisis_is_urgent_and_joins_the_crisis_ticket(
    ticket_store,
):
    crisis = ticket_store.file("patient-42", "crisis", "urgent", "i want to die")
    responses, events = run(
        ActionRequestHandoff(),
        tracker("talk_to_human", "connect me with the clinic", earlier=CRISIS_TURN),
    )
    assert responses == ["utter_handoff_urgent", "utter_offer_callback"]
    [ticket] = ticket_store.list()
    assert (ticket.id, ticket.priority) == (crisis.id, "urgent")
    assert events == [SlotSet("handoff_ticket_id", crisis.id)]


def test_after_a_yes_to_the_direct_question_a_booking_or_an_escalation_is_urgent(ticket_store):
    responses, _ = run(
        ActionRequestHandoff(),
        tracker("book_consultation", "book me in", earlier=YES_TO_THE_DIRECT_QUESTION),
    )
    assert responses == ["utter_handoff_urgent"]
    run(
        ActionEscalateToClinician(),
        tracker("medical_dosage", "how much", earlier=YES_TO_THE_DIRECT_QUESTION),
    )
    assert [t.priority for t in ticket_store.list()] == ["urgent"], "one urgent ticket"


def test_a_crisis_in_an_earlier_session_leaves_a_new_request_routine(ticket_store):
    earlier = [*CRISIS_TURN, {"event": "action", "name": "action_session_start"}]
    earlier.append({"event": "session_started"})
    responses, _ = run(
        ActionRequestHandoff(), tracker("talk_to_human", "a person please", earlier=earlier)
    )
    assert responses == ["utter_handoff_talk_to_human", "utter_offer_callback"]
    assert [t.priority for t in ticket_store.list()] == ["routine"]


def test_an_urgent_callback_is_confirmed_without_a_business_day_promise(ticket_store):
    ticket = ticket_store.file("patient-42", "crisis", "urgent")
    ticket_store.record_consent(ticket.id)
    ticket_store.add_contact(
        ticket.id,
        contact_name="Sam",
        contact_method="phone",
        contact_value="+15550102238",
        best_time="now",
    )
    slots = {"handoff_ticket_id": ticket.id, "callback_consent": True}
    responses, _ = run(ActionSubmitCallback(), tracker("out_of_scope", "now", slots))
    assert responses == ["utter_callback_confirmed_urgent"]


@pytest.mark.parametrize("name", ["utter_handoff_urgent", "utter_callback_confirmed_urgent"])
def test_urgent_replies_give_the_after_hours_instruction_and_no_callback_time(name):
    [variation] = DOMAIN["responses"][name]
    text = variation["text"].format(**settings.slot_values(settings.load_clinic()))
    clinic = settings.load_clinic()["clinic"]
    assert clinic["after_hours"] in text and clinic["hours"] in text
    assert "business day" not in text and clinic["callback_within"] not in text
    assert "911" in text and "988" in text
