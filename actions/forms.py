"""Validation of clinician_callback_form (name, contact method and detail, best time, consent)."""
import re
from typing import Any, Dict, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

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


class ValidateClinicianCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_clinician_callback_form"

    def validate_callback_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        name = short_text(value)
        if not name:
            dispatcher.utter_message(response="utter_invalid_callback_name")
        return {"callback_name": name}

    def validate_callback_contact_method(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        method = contact_method(str(value or ""))
        if not method:
            dispatcher.utter_message(response="utter_invalid_callback_contact_method")
        return {"callback_contact_method": method}

    def validate_callback_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        text = str(value or "").strip()
        if tracker.get_slot("callback_contact_method") == "email":
            contact = text if EMAIL.match(text) else None
            invalid = "utter_invalid_callback_email"
        else:
            contact = normalise_phone(text)
            invalid = "utter_invalid_callback_phone"
        if not contact:
            dispatcher.utter_message(response=invalid)
        return {"callback_contact": contact}

    def validate_callback_best_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        best_time = short_text(value)
        if not best_time:
            dispatcher.utter_message(response="utter_invalid_callback_best_time")
        return {"callback_best_time": best_time}
