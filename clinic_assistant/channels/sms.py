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
"""

import datetime as dt
import logging
import re
from functools import lru_cache
from typing import Any, Awaitable, Callable, Optional, Text

import sqlalchemy as sa
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sqlalchemy.orm import declarative_base

from clinic_assistant import settings

logger = logging.getLogger(__name__)

OPT_OUT = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
OPT_IN = {"start", "unstop"}
HELP = {"help", "info"}

Base = declarative_base()


class OptOut(Base):
    __tablename__ = "sms_opt_outs"
    number = sa.Column(sa.String(64), primary_key=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=lambda: dt.datetime.utcnow())


class OptOuts:
    """The numbers that sent STOP (and no START since)."""

    def __init__(self, url: Optional[str] = None) -> None:
        url = url or settings.get("HANDOFF_DB_URL")
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        Base.metadata.create_all(self.engine)

    def __contains__(self, number: Text) -> bool:
        with self.engine.connect() as connection:
            query = sa.select(OptOut.number).where(OptOut.number == number)
            return connection.execute(query).first() is not None

    def add(self, number: Text) -> None:
        if number not in self:
            with self.engine.begin() as connection:
                connection.execute(sa.insert(OptOut).values(number=number))

    def remove(self, number: Text) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.delete(OptOut).where(OptOut.number == number))


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


def sms_keywords(handle: Handler, store: Callable[[], OptOuts] = opt_outs) -> Handler:
    """Wraps the channel's (never-silent) message handler with the carrier keywords."""

    async def on_message(message: UserMessage) -> Any:
        number, word, out = message.sender_id, keyword(message.text), message.output_channel
        if word in OPT_OUT:
            store().add(number)
            await out.send_text_message(number, stopped_reply())
        elif word in OPT_IN:
            store().remove(number)
            await out.send_text_message(number, started_reply())
            message.text = "/start"
        elif word in HELP and number not in store():
            await out.send_text_message(number, help_reply())
            message.text = "/help"
        if number in store():
            logger.info("Conversation %s opted out of SMS: reply withheld", number)
            message.output_channel = CollectingOutputChannel()
        return await handle(message)

    return on_message
