"""SMS keywords, as carriers expect them (Twilio): STOP opts a number out, START opts it back in,
HELP explains. Only a message that is the keyword alone counts ("stop" inside a sentence is text).

- STOP (also STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT): one confirmation, then nothing is sent to
  that number until it sends START. The opt-out is stored in the handoff database
  (`sms_opt_outs`), so it outlives restarts.
- START (also UNSTOP): the opt-out ends; a confirmation, then the greeting.
- HELP (also INFO): who we are, how to stop, the crisis lines; then what the assistant can do.

None of them bypasses the safety layers: every message, keywords and an opted-out number's
included, still goes through Rasa (a form in progress is cancelled by STOP; a crisis files an
urgent ticket that staff act on by phone). For an opted-out number, Rasa's replies are dropped.

An SMS conversation's id is `twilio:` and a keyed hash of the number (`sms_conversation_id`),
so the conversation, its tickets, the opt-outs and the logs never hold the number. Replies go
to the number the request came from (the output channel is bound to it), and the number is kept
in one place for staff to call back: the tickets' `sms_numbers` table (`pseudonymised`).
"""

import datetime as dt
import hmac
import logging
import re
from functools import lru_cache
from typing import Any, Awaitable, Callable, Optional, Text

import sqlalchemy as sa
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sqlalchemy.orm import declarative_base

from clinic_assistant import settings
from clinic_assistant.channels.safety_net import conversation_tag, server_key
from clinic_assistant.tickets.store import TicketStore

logger = logging.getLogger(__name__)

OPT_OUT = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
OPT_IN = {"start", "unstop"}
HELP = {"help", "info"}

Base = declarative_base()


class OptOut(Base):
    __tablename__ = "sms_opt_outs"
    conversation_id = sa.Column(sa.String(64), primary_key=True)  # never the number itself
    created_at = sa.Column(sa.DateTime, nullable=False, default=lambda: dt.datetime.utcnow())


class OptOuts:
    """The SMS conversations that sent STOP (and no START since)."""

    def __init__(self, url: Optional[str] = None) -> None:
        url = url or settings.get("HANDOFF_DB_URL")
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        Base.metadata.create_all(self.engine)

    def __contains__(self, conversation_id: Text) -> bool:
        with self.engine.connect() as connection:
            query = sa.select(OptOut.conversation_id).where(
                OptOut.conversation_id == conversation_id
            )
            return connection.execute(query).first() is not None

    def add(self, conversation_id: Text) -> None:
        if conversation_id not in self:
            with self.engine.begin() as connection:
                connection.execute(sa.insert(OptOut).values(conversation_id=conversation_id))

    def remove(self, conversation_id: Text) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.delete(OptOut).where(OptOut.conversation_id == conversation_id))


@lru_cache(maxsize=None)
def opt_outs() -> OptOuts:
    return OptOuts()


def keyword(text: Any) -> Optional[Text]:
    """The carrier keyword the message is, if it is one alone."""
    word = re.sub(r"[^\w]", "", str(text or "")).lower()
    return word if word in OPT_OUT | OPT_IN | HELP else None


def _clinic() -> dict:
    config = settings.load_clinic()
    return {**config["clinic"], **settings.crisis_resources(config)}


def stopped_reply() -> Text:
    c = _clinic()
    return (
        f"{c['name']}: you won't get more messages from this number. Reply START to resume. "
        f"If you are in danger, call {c['emergency']}, or call or text {c['lifeline']}."
    )


def started_reply() -> Text:
    return f"{_clinic()['name']}: you can text us again. Reply STOP to stop, HELP for help."


def help_reply() -> Text:
    c = _clinic()
    return (
        f"{c['name']}: an automated, education-only assistant, not for emergencies. "
        f"Call us at {c['phone']}. Reply STOP to stop messages, START to resume. "
        f"If you are in danger, call {c['emergency']}, or call or text {c['lifeline']}."
    )


Handler = Callable[[UserMessage], Awaitable[Any]]


def sms_conversation_id(number: Text, key: Optional[Text] = None) -> Text:
    """`twilio:` and an HMAC-SHA256 of the number (ALERT_HASH_KEY): the same number always
    gives the same conversation, and without the key the id cannot be turned back into the
    number (an unkeyed hash could: phone numbers are few enough to try them all)."""
    digest = hmac.new(server_key(key).encode(), b"sms-number:" + number.encode(), "sha256")
    return f"twilio:{digest.hexdigest()[:32]}"


@lru_cache(maxsize=None)
def tickets() -> TicketStore:
    return TicketStore()


def pseudonymised(handle: Handler, store: Callable[[], TicketStore] = tickets) -> Handler:
    """Wraps the SMS handler: the conversation is named by the number's keyed hash, the reply
    still goes to the number (the output channel's `recipient`), and the number is kept only
    in the tickets' database, for staff to call back."""

    async def on_message(message: UserMessage) -> Any:
        number = message.sender_id
        message.output_channel.recipient = number
        message.sender_id = sms_conversation_id(number)
        try:
            store().remember_sms_number(message.sender_id, number)
        except Exception as error:  # noqa: BLE001 - the message is still answered
            logger.error(
                "ALERT conversation %s: its number could not be kept for staff (%s)",
                conversation_tag(message.sender_id),
                type(error).__name__,
            )
        return await handle(message)

    return on_message


def stored_number(conversation_id: Text, store: Callable[[], TicketStore] = tickets) -> Text:
    """The number behind an SMS conversation, for a reply sent outside a turn (a clinician's
    take-over through Rasa's events endpoint, which knows only the conversation id)."""
    number = store().sms_number(conversation_id)
    if not number:
        raise LookupError("No number is kept for this SMS conversation")
    return number


def sms_keywords(handle: Handler, store: Callable[[], OptOuts] = opt_outs) -> Handler:
    """Wraps the channel's (never-silent) message handler with the carrier keywords."""

    async def on_message(message: UserMessage) -> Any:
        sender, word, out = message.sender_id, keyword(message.text), message.output_channel
        if word in OPT_OUT:
            store().add(sender)
            await out.send_text_message(sender, stopped_reply())
        elif word in OPT_IN:
            store().remove(sender)
            await out.send_text_message(sender, started_reply())
            message.text = "/start"
        elif word in HELP and sender not in store():
            await out.send_text_message(sender, help_reply())
            message.text = "/help"
        if sender in store():
            logger.info(
                "Conversation %s opted out of SMS: reply withheld", conversation_tag(sender)
            )
            message.output_channel = CollectingOutputChannel()
        return await handle(message)

    return on_message
