"""Validation of clinician_callback_form: consent first, then name, contact method and detail,
best time.

Each detail, once valid, is stored on the handoff ticket straight away, in the same turn:
the conversation store keeps only masked values ([name], [contact], [time]; see
clinic_assistant/privacy/tracker_store.py), so the next turn could not read the detail back.
"""

import logging
import re
from typing import Any, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.escalation import file_ticket, ticket_store
from clinic_assistant import callback

logger = logging.getLogger(__name__)

MAX_TEXT = 120
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
METHOD_WORDS = {
    "email": ("email", "e-mail", "mail"),
    "phone": ("phone", "call", "text", "sms", "cell", "mobile"),
}


def contact_method(text: Text) -> Optional[Text]:
    lowered = text.lower()
    for method, words in METHOD_WORDS.items():
        if any(word in lowered for word in words):
            return method
    return None


def normalise_phone(text: Text) -> Optional[Text]:
    """US numbers: 10 digits, optionally with a leading 1."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return None
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def short_text(value: Any) -> Optional[Text]:
    text = str(value or "").strip()
    return text if 0 < len(text) <= MAX_TEXT else None


def keep_on_ticket(tracker: Tracker, field: Text, value: Optional[Text]) -> None:
    """Stores a valid detail on the conversation's ticket, only after consent."""
    ticket_id = tracker.get_slot(callback.TICKET_SLOT)
    if value is None or not ticket_id or tracker.get_slot(callback.CONSENT) is not True:
        return
    try:
        ticket_store().add_contact(int(ticket_id), **{field: value})
    except PermissionError:
        logger.warning(
            "Ticket #%s has no consent on record; a contact detail was not stored", ticket_id
        )


class ValidateClinicianCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_clinician_callback_form"

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Consent is asked first: no detail is asked for, or stored, without it."""
        if value is not True:
            return {callback.CONSENT: None}
        ticket_id = tracker.get_slot(callback.TICKET_SLOT) or file_ticket(
            tracker, reason="callback_request", priority="routine"
        )
        ticket_store().record_consent(int(ticket_id))
        return {callback.CONSENT: True, callback.TICKET_SLOT: ticket_id}

    def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        name = short_text(value)
        if not name:
            dispatcher.utter_message(response="utter_invalid_callback_name")
        keep_on_ticket(tracker, "contact_name", name)
        return {callback.NAME: name}

    def validate_callback_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        method = contact_method(str(value or ""))
        if not method:
            dispatcher.utter_message(response="utter_invalid_callback_contact_method")
        keep_on_ticket(tracker, "contact_method", method)
        return {callback.CONTACT_METHOD: method}

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if tracker.get_slot(callback.CONTACT_METHOD) == "email":
            contact = text if EMAIL.match(text) else None
            invalid = "utter_invalid_callback_email"
        else:
            contact = normalise_phone(text)
            invalid = "utter_invalid_callback_phone"
        if not contact:
            dispatcher.utter_message(response=invalid)
        keep_on_ticket(tracker, "contact_value", contact)
        return {callback.CONTACT: contact}

    def validate_callback_best_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        best_time = short_text(value)
        if not best_time:
            dispatcher.utter_message(response="utter_invalid_callback_best_time")
        keep_on_ticket(tracker, "best_time", best_time)
        return {callback.BEST_TIME: best_time}
