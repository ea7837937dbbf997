"""Two-stage fallback: when unsure, never guess.

First unclear message: offer the likeliest topics as buttons. Second in a row:
ask the person to rephrase. Third and later: offer a person. A crisis in the
ranking always brings the crisis lines forward.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from clinic_assistant import catalogue

FALLBACK = "nlu_fallback"
MAX_CHOICES = 3
# Small talk is not worth a button when the person asked something real.
NOT_OFFERED = {"greet", "goodbye", "thank", "affirm", "deny", "out_of_scope", "crisis", FALLBACK}
CRISIS_HINT = 0.05
FOLLOW_UP_HINT = 0.3


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many user messages in a row, ending with the latest, were unclear."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != FALLBACK:
            break
        count += 1
    return count


def ranking(tracker: Tracker) -> List[Dict[Text, Any]]:
    return [
        r for r in tracker.latest_message.get("intent_ranking") or [] if r.get("name") != FALLBACK
    ]


def topic_buttons(tracker: Tracker) -> List[Dict[Text, Text]]:
    labels = catalogue.labels()
    choices = [
        r["name"] for r in ranking(tracker) if r["name"] not in NOT_OFFERED and r["name"] in labels
    ]
    buttons = [{"title": labels[name], "payload": f"/{name}"} for name in choices[:MAX_CHOICES]]
    return buttons + [{"title": labels["out_of_scope"], "payload": "/out_of_scope"}]


def might_be_crisis(tracker: Tracker) -> bool:
    return any(
        r["name"] == "crisis" and r.get("confidence", 0) >= CRISIS_HINT
        for r in ranking(tracker)[:MAX_CHOICES]
    )


def follow_up_of(tracker: Tracker) -> Optional[Text]:
    """The topic asked about last, when an unclear message reads most like a follow-up of it
    ("and how long does it last?"): the likeliest intent is follow_up."""
    last = tracker.get_slot(catalogue.LAST_TOPIC)
    top = ranking(tracker)[:1]
    if last and top and top[0]["name"] == catalogue.FOLLOW_UP:
        return last if top[0].get("confidence", 0) >= FOLLOW_UP_HINT else None
    return None


class ActionClarifyTopic(Action):
    def name(self) -> Text:
        return "action_clarify_topic"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.get_slot("crisis_active") and might_be_crisis(tracker):
            # After a crisis, an unclear message that could be one gets the protocol again.
            dispatcher.utter_message(response="utter_crisis")
            return [FollowupAction("action_file_urgent_handoff")]
        if might_be_crisis(tracker):
            dispatcher.utter_message(response="utter_check_safety")
        elif follow_up_of(tracker):
            dispatcher.utter_message(response=f"utter_{follow_up_of(tracker)}")
            return []
        stage = consecutive_fallbacks(tracker)
        if stage <= 1:
            dispatcher.utter_message(response="utter_clarify_topic", buttons=topic_buttons(tracker))
        elif stage == 2:
            dispatcher.utter_message(response="utter_ask_rephrase")
        else:
            dispatcher.utter_message(response="utter_offer_human")
        return []
