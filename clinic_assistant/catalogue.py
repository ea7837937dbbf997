"""The topic catalogue (content/topics.yml) and what is generated from it.

The catalogue is the one list of topics. From it come:
- the domain's intents (`domain()`, written to domain/generated/topics.yml by
  clinic_assistant.build);
- the one-step rules that answer each `educate` topic with its curated response utter_<id>
  (`faq_rules()`, written to data/generated/faq.yml), followed by the rules that answer a topic
  asked inside the callback form and then ask the form's question again (`digression_rules()`)
  and the rules that read a short follow-up in the light of the topic asked last
  (`follow_up_rules()`, slot `last_topic`). The escalate, handoff and crisis rules
  are written by hand (data/rules/escalation.yml, safety.yml); tests/test_content.py checks that
  every topic is routed as its catalogue entry says;
- the plain-language labels of the fallback's topic buttons (`labels()`, read by
  actions/fallback.py at run time);
- which topic a response belongs to (`response_topic()`): utter_<id> belongs to topic <id>;
  other responses name their flow in metadata.topic (one of `flows()`).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from clinic_assistant.callback import FORM
from clinic_assistant.settings import PROJECT_ROOT

CATALOGUE = PROJECT_ROOT / "content" / "topics.yml"
ROUTINGS = ("educate", "escalate", "crisis", "ask", "handoff")
RESPONSE_PREFIX = "utter_"
# A short follow-up ("what about the VA?") is read in the light of the last topic of these groups.
CONTEXT_GROUPS = ("ptsd", "ketamine", "clinic")
FOLLOW_UP = "follow_up"
LAST_TOPIC = "last_topic"
# Not digressions inside the form: answers (affirm), or leaving it (deny, cancel: forms.yml).
FORM_ANSWERS = ("affirm", "deny", "cancel", FOLLOW_UP)


@dataclass(frozen=True)
class Topic:
    id: str
    group: str
    routing: str
    label: str
    covers: str

    @property
    def response(self) -> str:
        """The curated answer of an educate topic."""
        return RESPONSE_PREFIX + self.id


@lru_cache(maxsize=None)
def _load(path: Path = CATALOGUE) -> Dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    seen = set()
    for entry in data["topics"]:
        if entry["id"] in seen:
            raise ValueError(f"{path}: topic {entry['id']!r} is listed twice")
        if entry["routing"] not in ROUTINGS:
            raise ValueError(f"{path}: topic {entry['id']!r}: routing must be one of {ROUTINGS}")
        seen.add(entry["id"])
    return data


def topics(path: Path = CATALOGUE) -> Tuple[Topic, ...]:
    return tuple(Topic(**entry) for entry in _load(path)["topics"])


def flows(path: Path = CATALOGUE) -> Tuple[str, ...]:
    """What metadata.topic may name for a response that answers no single topic."""
    return tuple(_load(path)["flows"])


def labels(path: Path = CATALOGUE) -> Dict[str, str]:
    """Topic id -> plain-language button title."""
    return {topic.id: topic.label for topic in topics(path)}


def context_topics(path: Path = CATALOGUE) -> Tuple[str, ...]:
    """The topics a follow-up can lean on: educate topics of CONTEXT_GROUPS."""
    return tuple(t.id for t in topics(path) if t.routing == "educate" and t.group in CONTEXT_GROUPS)


def domain(path: Path = CATALOGUE) -> Dict[str, Any]:
    """The domain part generated from the catalogue: every topic id as an intent, and the slot
    `last_topic`, set by Rasa itself to each context topic when it is asked."""
    context = context_topics(path)
    last_topic = {
        "type": "categorical",
        "values": list(context),
        "influence_conversation": True,
        "mappings": [{"type": "from_intent", "intent": t, "value": t} for t in context],
    }
    return {
        "version": "3.1",
        "intents": [topic.id for topic in topics(path)],
        "slots": {LAST_TOPIC: last_topic},
    }


def routed_action(topic: Topic) -> Optional[str]:
    """What answers a topic outside the safety tiers (whose rules are written by hand)."""
    return {
        "educate": topic.response,
        "escalate": "action_escalate_to_clinician",
        "handoff": "action_request_handoff",
    }.get(topic.routing)


def digression_rules(path: Path = CATALOGUE) -> List[Dict[str, Any]]:
    """A topic asked inside the callback form is answered, then the form asks its question
    again. The form's validation action rejects a message that is a topic, not an answer."""
    return [
        {
            "rule": f"{topic.id} inside the callback form, then the form again",
            "condition": [{"active_loop": FORM}],
            "steps": [
                {"intent": topic.id},
                {"action": routed_action(topic)},
                {"action": FORM},
                {"active_loop": FORM},
            ],
        }
        for topic in topics(path)
        if routed_action(topic) and topic.id not in FORM_ANSWERS
    ]


def follow_up_rules(path: Path = CATALOGUE) -> List[Dict[str, Any]]:
    """A follow-up that names no topic is answered with the topic asked about last."""
    return [
        {
            "rule": f"a follow-up after {topic_id} stays on it",
            "condition": [{"slot_was_set": [{LAST_TOPIC: topic_id}]}],
            "steps": [{"intent": FOLLOW_UP}, {"action": RESPONSE_PREFIX + topic_id}],
        }
        for topic_id in context_topics(path)
    ]


def faq_rules(path: Path = CATALOGUE) -> Dict[str, Any]:
    """One rule per educate topic: its intent is answered with its curated response. Then the
    digressions inside the form and the follow-ups."""
    rules = [
        {"rule": f"answer {topic.id}", "steps": [{"intent": topic.id}, {"action": topic.response}]}
        for topic in topics(path)
        if topic.routing == "educate"
    ]
    return {"version": "3.1", "rules": rules + digression_rules(path) + follow_up_rules(path)}


def response_topic(name: str, metadata: Optional[Mapping[str, Any]] = None) -> Optional[str]:
    """The topic or flow a response variation belongs to: its metadata.topic if it names one,
    else the topic of utter_<id>; None if neither says."""
    stated = (metadata or {}).get("topic")
    if stated:
        return stated
    derived = name[len(RESPONSE_PREFIX) :] if name.startswith(RESPONSE_PREFIX) else None
    return derived if derived in labels() else None
