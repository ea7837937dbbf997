"""A conversation held by a clinician (README "For clinic staff").

The console pauses the conversation (Rasa's ConversationPaused): Rasa still parses and stores
each message but predicts no action (`MessageProcessor._should_handle_message`), so the bot is
silent and the safety net must not take that silence for a failure. One thing Rasa would no
longer do is the crisis reply: here a message read as a crisis still gets the static crisis
response (the domain's own, through Rasa's NLG), stored in the conversation, and files (or
updates) the conversation's urgent ticket, which the console shows at once.
"""

import asyncio
import logging
from typing import Any, Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered
from sanic import Sanic
from sanic.exceptions import SanicException

from clinic_assistant import settings
from clinic_assistant.tickets.notifier import deliver_in_background
from clinic_assistant.tickets.store import TicketStore

logger = logging.getLogger(__name__)

# The catalogue's crisis topics, each answered by its static utter_<intent>.
CRISIS_INTENTS = ("crisis", "crisis_es")


def _agent() -> Optional[Any]:
    try:
        return Sanic.get_app().ctx.agent
    except (SanicException, AttributeError):
        return None


async def answered_while_held(message: UserMessage, output: Any) -> bool:
    """True when the conversation is paused for a clinician: its silence is expected, and a
    crisis message has had its crisis reply here."""
    agent = _agent()
    if agent is None:
        return False
    async with agent.lock_store.lock(message.sender_id):
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        if tracker is None or not tracker.is_paused():
            return False
        intent = (tracker.latest_message.intent or {}).get("name")
        if intent not in CRISIS_INTENTS:
            return True
        reply = await agent.nlg.generate(f"utter_{intent}", tracker, message.input_channel)
        # A copy: send_response pops what it sends (the text, the buttons) from the dict.
        await output.send_response(message.sender_id, dict(reply))
        tracker.update(BotUttered(reply["text"], metadata={"utter_action": f"utter_{intent}"}))
        await agent.tracker_store.save(tracker)
    await asyncio.to_thread(_file_urgent_ticket, message, tracker.latest_message.text or "")
    return True


def _file_urgent_ticket(message: UserMessage, text: str) -> None:
    store = TicketStore()
    ticket = store.file(
        conversation_id=message.sender_id,
        reason="crisis",
        priority="urgent",
        message=text,
        channel=message.input_channel or "unknown",
    )
    logger.info("Filed urgent handoff ticket #%s (crisis while held by a clinician)", ticket.id)
    deliver_in_background(store, settings.webhook_url(settings.load_clinic()))
