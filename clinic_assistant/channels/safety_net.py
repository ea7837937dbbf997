"""Nobody who writes to the clinic is met with silence.

Rasa keeps going when a part fails: a custom action that times out or whose server
is down loses its messages, and a tracker store that fails is swapped for memory
with only an ERROR line in the log. For a person in distress either looks like
being ignored. Every channel of this project wraps Rasa's message handler with
`never_silent`: when a turn sends nothing, raises, or a dependency reported a
problem during it (`report_problem`), the person gets the clinic's phone number
and the crisis lines, and the log gets an ALERT line for staff. Who wrote and
what they wrote are not logged, only the conversation id.
"""

import asyncio
import logging
import re
import unicodedata
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, List, Optional, Text

import rasa.core.actions.action
from rasa.core.channels.channel import OutputChannel, UserMessage

from clinic_assistant import settings

logger = logging.getLogger(__name__)

_problems: ContextVar[Optional[List[Text]]] = ContextVar("turn_problems", default=None)


def report_problem(what: Text) -> None:
    """Records a problem of the current turn (a no-op outside a turn)."""
    problems = _problems.get()
    if problems is not None:
        problems.append(what)


class _TurnErrors(logging.Handler):
    """Rasa reports a failed custom action or tracker store only as an ERROR log line
    and carries on; seen here, that line becomes a problem of the turn."""

    def emit(self, record: logging.LogRecord) -> None:
        report_problem(f"{record.name}: {record.getMessage()[:300]}")


# The parts of Rasa that swallow failures: custom actions, the tracker store (its
# FailSafeTrackerStore falls back to memory), the lock store and the turn loop itself.
WATCHED_LOGGERS = (
    "rasa.core.actions.action",
    "rasa.core.tracker_store",
    "rasa.core.lock_store",
    "rasa.core.processor",
)
_turn_errors = _TurnErrors(level=logging.ERROR)


def install() -> None:
    """Makes this process's Rasa report failures to the safety net. Idempotent.

    Nothing happens on import: `never_silent` calls this when a channel of this package
    wraps Rasa's message handler, that is when credentials.yml (the configuration) selects
    one of these channels and Rasa builds its webhook. It
    - watches the loggers in WATCHED_LOGGERS, so a failure Rasa only logs becomes a problem
      of the turn (and the person gets the kind reply);
    - sets how long Rasa waits for a custom action (a module constant in Rasa, 5 minutes,
      not a setting) to ACTION_TIMEOUT_SECONDS: past that the turn fails over to the kind
      reply instead of leaving a person waiting."""
    for name in WATCHED_LOGGERS:
        watched = logging.getLogger(name)
        if _turn_errors not in watched.handlers:
            watched.addHandler(_turn_errors)
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = float(settings.get("ACTION_TIMEOUT_SECONDS"))


MAX_MESSAGE_CHARS = 20_000
# Control characters (terminal escapes, NUL...) are dropped; line breaks and tabs are kept.
KEPT_CONTROLS = {"\n", "\t"}


def clean_text(text: Text) -> Text:
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if c in KEPT_CONTROLS or unicodedata.category(c) != "Cc").strip()


# The bot's own buttons send a bare "/intent" payload. Anything else that starts with "/" was
# typed, and Rasa would skip the NLU pipeline (and so every safety layer) for it: it is read as
# text instead. Platform commands are mapped to what they mean.
BUTTON_PAYLOAD = re.compile(r"/[a-z_]+")
PLATFORM_COMMANDS = {"/start": "/greet", "/help": "/ask_capabilities"}


def typed_commands_as_text(text: Text) -> Text:
    command = PLATFORM_COMMANDS.get(text.lower())
    if command:
        return command
    if text.startswith("/") and not BUTTON_PAYLOAD.fullmatch(text):
        return text.lstrip("/").strip() or text
    return text


def crisis_line() -> Text:
    crisis = settings.crisis_resources(settings.load_clinic())
    return (
        f"If you are in danger, call {crisis['emergency']}, or call or text {crisis['lifeline']}."
    )


def kind_reply() -> Text:
    clinic = settings.load_clinic()["clinic"]
    return (
        f"I'm sorry, something went wrong on our side, so I may not have answered fully. "
        f"Please try again in a moment, or call {clinic['name']} at {clinic['phone']}. "
        f"{crisis_line()}"
    )


def empty_reply() -> Text:
    return f"Your message looks empty. Type your question and send it again. {crisis_line()}"


def too_long_reply() -> Text:
    return (
        f"That message is too long for me. Please send it in parts of up to {MAX_MESSAGE_CHARS:,} "
        f"characters. {crisis_line()}"
    )


def screen(text: Any) -> Optional[Text]:
    """Why a message can't be handled (the reply to send instead), or None."""
    if not isinstance(text, str) or not clean_text(text):
        return empty_reply()
    if len(text) > MAX_MESSAGE_CHARS:
        return too_long_reply()
    return None


class ObservedOutput:
    """The turn's output channel, counting what it sends; everything else is the channel's own."""

    def __init__(self, inner: OutputChannel) -> None:
        self._inner = inner
        self.sent = 0

    REPLIES = {
        "send_response",
        "send_text_message",
        "send_text_with_buttons",
        "send_quick_replies",
        "send_image_url",
        "send_attachment",
        "send_elements",
        "send_custom_json",
    }

    def __getattr__(self, name: Text) -> Any:
        attribute = getattr(self._inner, name)
        if name not in self.REPLIES:
            return attribute

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.sent += 1
            return await attribute(*args, **kwargs)

        return counted


OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def never_silent(on_new_message: OnNewMessage) -> OnNewMessage:
    """Rasa's message handler, wrapped: see the module's docstring. Installs the safety net."""
    install()

    async def handle(message: UserMessage) -> Any:
        refusal = screen(message.text)
        if refusal:
            return await message.output_channel.send_text_message(message.sender_id, refusal)
        message.text = typed_commands_as_text(clean_text(message.text))
        output = ObservedOutput(message.output_channel)
        message.output_channel = output
        problems: List[Text] = []
        token = _problems.set(problems)
        try:
            return await on_new_message(message)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever failed, the person gets an answer
            problems.append(f"{type(error).__name__}: {error}")
        finally:
            _problems.reset(token)
            if problems or not output.sent:
                logger.error(
                    "ALERT conversation %s: %s",
                    message.sender_id,
                    "; ".join(problems) or "the turn sent no reply",
                )
                await output._inner.send_text_message(message.sender_id, kind_reply())

    return handle


class NeverSilent:
    """Mixin for an InputChannel: its blueprint gets the wrapped handler."""

    def blueprint(self, on_new_message: OnNewMessage) -> Any:
        return super().blueprint(never_silent(on_new_message))
