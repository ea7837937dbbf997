"""Escalation to clinicians and handoff tickets.

Medical decisions (eligibility, dose, medication, diagnosis, own symptoms) are
never answered: the person is told why a clinician must decide, the escalation
is recorded as a ticket staff see, and a callback is offered.
"""

import logging
from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic_assistant import callback, settings
from clinic_assistant.tickets.notifier import deliver_in_background
from clinic_assistant.tickets.store import CONTACT_FIELDS, TicketStore

logger = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def ticket_store() -> TicketStore:
    return TicketStore()


def notify_clinic() -> None:
    """Sends every undelivered ticket to the clinic's webhook, off the reply's path."""
    deliver_in_background(ticket_store(), settings.webhook_url(settings.load_clinic()))


def file_ticket(tracker: Tracker, reason: Text, priority: Text) -> int:
    """Stores a ticket for this conversation, then notifies the clinic in the background."""
    ticket = ticket_store().file(
        conversation_id=tracker.sender_id,
        reason=reason,
        priority=priority,
        message=tracker.latest_message.get("text") or "",
        channel=tracker.get_latest_input_channel() or "unknown",
    )
    logger.info("Filed %s handoff ticket #%s (%s)", priority, ticket.id, reason)
    notify_clinic()
    return ticket.id


def latest_intent(tracker: Tracker) -> Text:
    return (tracker.latest_message.get("intent") or {}).get("name") or "unknown"


# The crisis protocol's static replies (data/rules/safety.yml), whatever the kind of crisis.
CRISIS_REPLIES = ("utter_crisis", "utter_crisis_es")


def after_crisis(tracker: Tracker) -> bool:
    """Whether this session has had a crisis reply: a request for a person then is urgent. The
    events are read, not the crisis_active slot: a yes to the direct risk question also runs the
    crisis protocol, and that turn's intent is affirm."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "action" and event.get("name") in CRISIS_REPLIES:
            return True
    return False


def handoff_priority(tracker: Tracker) -> Text:
    return "urgent" if after_crisis(tracker) else "routine"


def risk_signal(tracker: Tracker) -> bool:
    """Whether the safety router saw some likelihood of risk in the latest message, short of
    a tier (`safety.risk_signal`)."""
    return bool((tracker.latest_message.get("safety") or {}).get("risk_signal"))


def in_callback_form(tracker: Tracker) -> bool:
    return (tracker.active_loop or {}).get("name") == callback.FORM


class ActionEscalateToClinician(Action):
    """Runs on every medical_* topic."""

    def name(self) -> Text:
        return "action_escalate_to_clinician"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        topic = latest_intent(tracker)
        response = f"utter_escalate_{topic}"
        dispatcher.utter_message(
            response=response
            if response in domain.get("responses", {})
            else "utter_escalate_general"
        )
        risk = risk_signal(tracker)
        if risk:  # a medical question can carry danger too: the crisis lines, one tap to help
            dispatcher.utter_message(response="utter_check_safety")
        priority = handoff_priority(tracker)
        if risk and priority == "routine":
            priority = "review"  # staff look at it soon; nobody is paged
        if in_callback_form(tracker):  # a clinician is already asked to call: no second offer
            dispatcher.utter_message(response="utter_escalate_in_form")
            form_ticket = tracker.get_slot(callback.TICKET_SLOT)
            if risk and form_ticket is not None:
                ticket_store().raise_priority(form_ticket, priority)
                notify_clinic()
            return []
        ticket_id = file_ticket(tracker, reason=topic, priority=priority)
        dispatcher.utter_message(response="utter_offer_callback")
        return [SlotSet(callback.TICKET_SLOT, ticket_id)]


class ActionRequestHandoff(Action):
    """book_consultation and talk_to_human: a person is asked for. During or right after a
    crisis the request is urgent, and the reply gives the after-hours instruction in place of
    the usual promise of a call within business hours."""

    def name(self) -> Text:
        return "action_request_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        topic = latest_intent(tracker)
        priority = handoff_priority(tracker)
        reply = "utter_handoff_urgent" if priority == "urgent" else f"utter_handoff_{topic}"
        dispatcher.utter_message(response=reply)
        if in_callback_form(tracker):  # the request being filled in is the handoff
            return []
        ticket_id = file_ticket(tracker, reason=topic, priority=priority)
        # A booking goes straight to the callback form (data/rules/forms.yml), which asks for
        # consent; a request for a person is offered the callback first.
        if topic != "book_consultation":
            dispatcher.utter_message(response="utter_offer_callback")
        return [SlotSet(callback.TICKET_SLOT, ticket_id)]


class ActionFileUrgentHandoff(Action):
    """Every crisis turn files an urgent ticket. The crisis reply itself is static
    and sent before this action, so it never depends on the action server."""

    def name(self) -> Text:
        return "action_file_urgent_handoff"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return [
            SlotSet(callback.TICKET_SLOT, file_ticket(tracker, reason="crisis", priority="urgent"))
        ]


class ActionFlagRiskReview(Action):
    """A possible risk was asked about directly: staff see a review ticket, nobody is paged.
    A "yes" (or crisis words) next runs the crisis protocol with its urgent ticket."""

    def name(self) -> Text:
        return "action_flag_risk_review"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return [
            SlotSet(
                "handoff_ticket_id", file_ticket(tracker, reason="possible_risk", priority="review")
            )
        ]


class ActionSubmitCallback(Action):
    """Ends the callback form. The form's validation action has already stored each consented
    detail on the ticket (the conversation keeps only masked values): a complete ticket is
    sent to the clinic; a withdrawn or unfinished request keeps no contact detail."""

    def name(self) -> Text:
        return "action_submit_callback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        ticket_id = tracker.get_slot(callback.TICKET_SLOT)
        ticket = ticket_store().get(int(ticket_id)) if ticket_id else None
        left = tracker.latest_action_name == "action_deactivate_loop"  # no, cancel
        complete = ticket and ticket.consent and all(getattr(ticket, f) for f in CONTACT_FIELDS)
        if complete and not left:
            ticket_store().renotify(ticket.id)
            notify_clinic()
            dispatcher.utter_message(
                response="utter_callback_confirmed_urgent"
                if ticket.priority == "urgent"
                else "utter_callback_confirmed"
            )
        else:
            if ticket:
                ticket_store().clear_contact(ticket.id)
            dispatcher.utter_message(response="utter_callback_cancelled")
        return [SlotSet(slot, None) for slot in callback.SLOTS] + [
            SlotSet(callback.TICKET_SLOT, ticket_id)
        ]
