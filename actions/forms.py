"""The clinician callback form's validation action: consent first, then name, contact method
and detail, best time.

Every slot of the form has a custom mapping: `extract_<slot>` decides whether the latest message
answers the question being asked. A question or topic asked instead (a confident topic intent,
not shaped like the answer) is not an answer: nothing is extracted, Rasa rejects the form for
that turn, and a rule answers the topic and asks the question again (data/generated/faq.yml).
Crisis and possible-risk messages, "no" and "cancel" are never answers (callback.NOT_ANSWERS).

Each detail, once valid, is stored on the handoff ticket straight away, in the same turn:
the conversation store keeps only masked values ([name], [contact], [time]; see
clinic_assistant/privacy/tracker_store.py), so the next turn could not read the detail back.
"""

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any, Callable, Dict, Optional, Text

import phonenumbers
from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.escalation import file_ticket, ticket_store
from clinic_assistant import callback, settings

logger = logging.getLogger(__name__)

MAX_TEXT = 120
REQUESTED_SLOT = "requested_slot"
# Below this the FallbackClassifier already says nlu_fallback; at or above it a topic intent is
# taken as a question, unless the message is shaped like the answer.
CONFIDENT = 0.5
# Intents that say nothing against a message being an answer.
ANSWER_INTENTS = {"affirm", "nlu_fallback", "follow_up"}

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
EMAIL_IN_TEXT = re.compile(r"[^@\s<>(),;:]+@[^@\s<>(),;:]+\.[a-z]{2,}", re.IGNORECASE)
METHOD_WORDS = {
    "email": re.compile(r"\b(e-?mail|mail|gmail|inbox)\b", re.IGNORECASE),
    "phone": re.compile(
        r"\b(phone|call|calls|calling|ring|text|texts|texting|txt|sms|cell|mobile|whatsapp)\b",
        re.IGNORECASE,
    ),
}
QUESTION = re.compile(
    r"\?|^\s*(what|how|why|who|where|which|is|are|can|could|do|does|should|will|would)\b",
    re.IGNORECASE,
)
CONSENT_WORDS = re.compile(
    r"^\W*(y|ya|yea|yeah|yes|yep|yup|ok|okay|k|sure|fine|oui|si|sí|i consent|i agree|"
    r"go ahead|that'?s fine|that'?s ok(ay)?)\b",
    re.IGNORECASE,
)
# Words a person puts before their name: "ok, it's Sam", "lol ok. Theo", "my name is Dana".
NAME_LEAD_IN = re.compile(
    r"^(?:(?:ok(?:ay)?|lol|fine|sure|yes|yeah|ya|hi|hey|hello|well|so|oh|um+|uh+)\b[\s,.!:-]*"
    r"|(?:it'?s|its|i'?m|im|i am|my name is|my name'?s|name'?s|this is|call me|you can call me)"
    r"\s+)+",
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?$")
NOT_NAME_WORDS = set(
    """a an the and or but if is are was were be been am do does did can could would should will
    what how why when where who which whom whose i me my mine you your we our us it its this that
    there here to of for in on at by with about from as not no yes yeah ok okay please thanks
    thank want need have has had get got much many cost price insurance wait hold actually just
    really cancel stop never mind nvm forget help bot human person robot real name email phone
    call text number time today tomorrow morning evening afternoon night anytime whenever
    ketamine ptsd session treatment therapy clinic doctor appointment book consult evaluation
    sure fine idk dunno lol hi hello hey bye""".split()
)
TIME_WORDS = re.compile(
    r"\d|\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day)?s?\b|\b(morning|afternoon|evening|"
    r"night|noon|lunch|midday|weekday|weekend|week|am|pm|today|tonight|tomorrow|tmrw|tmr|asap|"
    r"anytime|whenever|eastern|pacific|central|mountain|est|edt|pst|pdt|cst|cdt|hour|o'?clock|"
    r"early|late|later|soon|flexible|either|any\s*time|any\s*day|no preference|doesn'?t matter|"
    r"don'?t mind)s?\b",
    re.IGNORECASE,
)


def latest_intent(tracker: Tracker) -> tuple:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") or "", float(intent.get("confidence") or 0.0)


def is_topic(tracker: Tracker) -> bool:
    """The message was recognised with confidence as a topic: a question, not an answer."""
    name, confidence = latest_intent(tracker)
    return name not in ANSWER_INTENTS and confidence >= CONFIDENT


def contact_method(text: Text) -> Optional[Text]:
    """phone or email when the text names exactly one of them."""
    named = [method for method, words in METHOD_WORDS.items() if words.search(text or "")]
    return named[0] if len(named) == 1 else None


@lru_cache(maxsize=None)
def phone_region() -> Text:
    return settings.phone_region(settings.load_clinic())


def _only_a_number(digits: Text, region: Text) -> Optional[Text]:
    """A message that is nothing but a number: parsed as one (the matcher, made for numbers
    inside text, refuses some well-formed ones such as 200200.0010)."""
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(text: Text, region: Optional[Text] = None) -> Optional[Text]:
    """The one phone number in the text, in E.164 (an extension as ";ext="), or None.

    Parsed with phonenumbers (Google's libphonenumber): numbers without a +country code are
    read in the clinic's country (clinic.yml `country`); "00" before a country code counts as
    "+". Accepted when phonenumbers finds it a possible number of its country (length and
    country code): its stricter `is_valid_number` also refuses unassigned and fictional ranges
    such as 555-01xx. Other digits beside the number make it ambiguous: refused.
    """
    # "00" opens an international number only where a number starts ("200200.0010" is US).
    text = re.sub(r"(?<!\S)00(?=[1-9])", "+", text or "", count=1)
    if re.fullmatch(r"\s*\+?[\d\s().-]+", text):  # only a number, punctuated any way
        return _only_a_number(re.sub(r"[^\d+]", "", text), region or phone_region())
    matches = list(
        phonenumbers.PhoneNumberMatcher(
            text, region or phone_region(), leniency=phonenumbers.Leniency.POSSIBLE
        )
    )
    if len(matches) != 1:
        return None
    match = matches[0]
    rest = text[: match.start] + text[match.end :]
    if re.search(r"\d", rest) or not phonenumbers.is_possible_number(match.number):
        return None
    number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return f"{number};ext={match.number.extension}" if match.number.extension else number


def email_in(text: Text) -> Optional[Text]:
    found = EMAIL_IN_TEXT.search(text or "")
    return found.group(0).rstrip(".") if found else None


def name_in(text: Text) -> Optional[Text]:
    """The name in an answer shaped like one ("ok. its Marcus" -> "Marcus"), else None."""
    if not text or "?" in text or "@" in text:
        return None
    kept = "".join(c for c in text if unicodedata.category(c)[0] in "LZ" or c in "'’.-,!").strip(
        " ,.!"
    )
    words = NAME_LEAD_IN.sub("", kept).replace(",", " ").replace("!", " ").split()
    if not 1 <= len(words) <= 6 or not any(len(w.strip(".")) > 1 for w in words):
        return None
    if any(not NAME_WORD.match(w) or w.lower().strip(".") in NOT_NAME_WORDS for w in words):
        return None
    return " ".join(words)


def looks_like_time(text: Text) -> bool:
    return bool(TIME_WORDS.search(text or ""))


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

    # --- extraction: is the latest message an answer to the question being asked? ---

    @staticmethod
    def answer(
        tracker: Tracker,
        slot: Text,
        shaped: Callable[[Text], bool],
        questions_too: bool = False,
        no_can_answer: bool = False,
    ) -> Dict[Text, Any]:
        """{slot: text} when the message answers `slot` (valid or not: validation says which
        and asks again); {} when it is not an answer, so that the rules take over.
        `no_can_answer`: a "no" shaped like the answer is one ("no preference")."""
        text = tracker.latest_message.get("text") or ""
        if tracker.get_slot(REQUESTED_SLOT) != slot:
            return {}
        intent = latest_intent(tracker)[0]
        if intent in callback.NOT_ANSWERS and not (
            no_can_answer and intent == "deny" and shaped(text)
        ):
            return {}
        if shaped(text) and (questions_too or not QUESTION.search(text) or not is_topic(tracker)):
            return {slot: text}
        return {} if is_topic(tracker) else {slot: text}

    def extract_callback_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != callback.CONSENT:
            return {}
        intent, _ = latest_intent(tracker)
        text = tracker.latest_message.get("text") or ""
        if intent in callback.NOT_ANSWERS:
            return {}
        asks = QUESTION.search(text) and is_topic(tracker)
        if intent == "affirm" or (CONSENT_WORDS.match(text) and not asks):
            return {callback.CONSENT: True}
        # A question is answered by its rule; anything else asks again.
        return {} if is_topic(tracker) else {callback.CONSENT: None}

    def extract_callback_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self.answer(tracker, callback.NAME, lambda t: name_in(t) is not None)

    def extract_callback_contact_method(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self.answer(
            tracker,
            callback.CONTACT_METHOD,
            lambda t: contact_method(t) is not None,
            questions_too=True,
        )

    def extract_callback_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A phone number or an e-mail address. Either one, or asking for the other method
        ("can you email me instead"), also sets the method."""
        found = self.answer(
            tracker,
            callback.CONTACT,
            lambda t: bool(normalise_phone(t) or email_in(t) or contact_method(t)),
            questions_too=True,
        )
        text = found.get(callback.CONTACT)
        if not text:
            return found
        chosen = tracker.get_slot(callback.CONTACT_METHOD)
        if email_in(text):
            method = "email"
        elif normalise_phone(text):
            method = "phone"
        else:
            method = contact_method(text) or chosen
        if method == chosen:
            return found
        # The other method: the number or address given, or asked for next.
        has_detail = email_in(text) or normalise_phone(text)
        return {callback.CONTACT_METHOD: method, callback.CONTACT: text if has_detail else None}

    def extract_callback_best_time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self.answer(tracker, callback.BEST_TIME, looks_like_time, no_can_answer=True)

    # --- validation: a valid answer is stored (on the ticket); an invalid one is asked again ---

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
        name = name_in(short_text(value) or "")
        if not name:
            dispatcher.utter_message(response="utter_invalid_callback_name")
        keep_on_ticket(tracker, "contact_name", name)
        return {callback.NAME: name}

    def validate_callback_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        method = contact_method(str(value or "")) or (value if value in METHOD_WORDS else None)
        if not method:
            dispatcher.utter_message(response="utter_invalid_callback_contact_method")
        keep_on_ticket(tracker, "contact_method", method)
        return {callback.CONTACT_METHOD: method}

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:  # the method changed: its detail is asked next
            return {callback.CONTACT: None}
        text = str(value).strip()
        if tracker.get_slot(callback.CONTACT_METHOD) == "email":
            contact = email_in(text)
            contact = contact if contact and EMAIL.match(contact) else None
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
        if not best_time or not looks_like_time(best_time):
            best_time = None
            dispatcher.utter_message(response="utter_invalid_callback_best_time")
        keep_on_ticket(tracker, "best_time", best_time)
        return {callback.BEST_TIME: best_time}
