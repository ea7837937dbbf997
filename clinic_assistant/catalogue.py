"""The topic catalogue (content/topics.yml) and what is generated from it.

The catalogue is the one list of topics. From it come:
- the domain's intents (`domain()`, written to domain/generated/topics.yml by
  clinic_assistant.build);
- the one-step rules that answer each `educate` topic with its curated response utter_<id>
  (`faq_rules()`, written to data/generated/faq.yml). The escalate, handoff and crisis rules
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
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

from clinic_assistant.settings import PROJECT_ROOT

CATALOGUE = PROJECT_ROOT / "content" / "topics.yml"
ROUTINGS = ("educate", "escalate", "crisis", "ask", "handoff")
RESPONSE_PREFIX = "utter_"


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


def domain(path: Path = CATALOGUE) -> Dict[str, Any]:
    """The domain part generated from the catalogue: every topic id as an intent."""
    return {"version": "3.1", "intents": [topic.id for topic in topics(path)]}


def faq_rules(path: Path = CATALOGUE) -> Dict[str, Any]:
    """One rule per educate topic: its intent is answered with its curated response."""
    rules = [
        {"rule": f"answer {topic.id}", "steps": [{"intent": topic.id}, {"action": topic.response}]}
        for topic in topics(path)
        if topic.routing == "educate"
    ]
    return {"version": "3.1", "rules": rules}


def response_topic(name: str, metadata: Optional[Mapping[str, Any]] = None) -> Optional[str]:
    """The topic or flow a response variation belongs to: its metadata.topic if it names one,
    else the topic of utter_<id>; None if neither says."""
    stated = (metadata or {}).get("topic")
    if stated:
        return stated
    derived = name[len(RESPONSE_PREFIX) :] if name.startswith(RESPONSE_PREFIX) else None
    return derived if derived in labels() else None
