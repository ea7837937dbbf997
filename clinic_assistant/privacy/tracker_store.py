"""The conversation store Rasa uses (endpoints.yml:
`type: clinic_assistant.privacy.tracker_store.RedactingSQLTrackerStore`).

Rasa's SQLTrackerStore (SQLite or PostgreSQL, same `url`), except that every event is
redacted before it is written, whichever channel the message came through:

- user messages (text, the parse's text, entity values, metadata) pass through
  `clinic_assistant.redact`: phone numbers, e-mails, SSNs, dates and street addresses become tokens;
- answers to the callback form's contact questions (name, phone or e-mail, best time) are
  replaced whole by [name] / [contact] / [time], and so are those slots' values. They are
  kept only on the handoff ticket, which the form's validation action writes in the same
  turn (actions/forms.py);
- other text slot values pass through `clinic_assistant.redact`.

Bot messages are stored as sent. The tracker of the turn being handled keeps the raw text
(the NLU and the actions need it); the next turn reads the redacted events back.
"""

import asyncio
import copy
from typing import Any, Dict, Iterator, List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.events import ActiveLoop, Event, Restarted, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_assistant import callback
from clinic_assistant.callback import FORM, NOT_ANSWERS
from clinic_assistant.redact import redact

# The form's free-text contact answers and the token each is stored as.
CONTACT_SLOTS = {
    callback.NAME: "[name]",
    callback.CONTACT: "[contact]",
    callback.BEST_TIME: "[time]",
}


def _redact_nested(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_nested(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_nested(item) for item in value]
    return value


def redact_event(data: Dict[str, Any], answering: Optional[str] = None) -> Dict[str, Any]:
    """A redacted copy of one serialised event. `answering`: the contact slot the callback
    form was asking for when this event happened, if any."""
    data = copy.deepcopy(data)
    kind = data.get("event")
    if kind == "user":
        parse = data.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        if answering in CONTACT_SLOTS and intent not in NOT_ANSWERS:
            token = CONTACT_SLOTS[answering]
            clean = lambda value: token if isinstance(value, str) else _redact_nested(value)  # noqa: E731
        else:
            clean = _redact_nested
        for holder in (data, parse):
            if "text" in holder:
                holder["text"] = clean(holder["text"])
            if holder.get("metadata"):
                holder["metadata"] = _redact_nested(holder["metadata"])
        for entity in parse.get("entities") or []:
            for key in ("value", "text"):
                if key in entity:
                    entity[key] = clean(entity[key])
    elif kind == "slot":
        if data.get("name") in CONTACT_SLOTS and data.get("value") is not None:
            data["value"] = CONTACT_SLOTS[data["name"]]
        else:
            data["value"] = _redact_nested(data.get("value"))
    elif kind == "entities":
        data["entities"] = _redact_nested(data.get("entities"))
    return data


class StoredEvent:
    """What SQLTrackerStore.save reads of an event: its type name and its data, here redacted.
    (Rebuilding a Rasa Event from the data would drop parse fields such as `crisis_guard`.)"""

    def __init__(self, type_name: str, data: Dict[str, Any]) -> None:
        self.type_name = type_name
        self.data = data

    def as_dict(self) -> Dict[str, Any]:
        return self.data


def redacted_events(events: List[Event], first: int) -> List[StoredEvent]:
    """Redacted `events[first:]`. The events before `first` tell whether the callback form
    was asking for a contact detail when a message came in."""
    loop = requested = None
    stored = []
    for index, event in enumerate(events):
        if index >= first:
            stored.append(
                StoredEvent(
                    event.type_name,
                    redact_event(event.as_dict(), requested if loop == FORM else None),
                )
            )
        if isinstance(event, ActiveLoop):
            loop = event.name
        elif isinstance(event, SlotSet) and event.key == REQUESTED_SLOT:
            requested = event.value
        elif isinstance(event, (SessionStarted, Restarted)):
            loop = requested = None
    return stored


# How many of the tracker's latest events `save` redacts ahead in a worker thread: more than
# one turn's worth, and the rest are cache hits or were stored by an earlier save.
WARM_EVENTS = 50


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that stores only redacted events (see the module's docstring)."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Redacting a long message takes tens of milliseconds: that work is done in a thread
        # (filling redact's cache), so Rasa's synchronous save below does not hold the event
        # loop, and every other conversation, for that long.
        events = list(tracker.events)[-WARM_EVENTS:]
        await asyncio.to_thread(lambda: [redact_event(event.as_dict()) for event in events])
        await super().save(tracker)

    def _additional_events(
        self, session: Any, tracker: DialogueStateTracker
    ) -> Iterator[StoredEvent]:
        # Rasa stores the events after the ones already stored in this session; it counts
        # them, and the redacted events are as many, so the count stays right.
        events = list(tracker.events)
        new = sum(1 for _ in super()._additional_events(session, tracker))
        return iter(redacted_events(events, len(events) - new))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """An event broker, if one is configured, also gets only redacted events."""
        if self.event_broker is None:
            return
        old = await self.retrieve(tracker.sender_id)
        events = list(tracker.events)
        for event in redacted_events(events, len(old.events) if old else 0):
            self.event_broker.publish({"sender_id": tracker.sender_id, **event.as_dict()})
