"""Nobody who writes to the clinic is met with silence.

Rasa keeps going when a part fails: a custom action that times out or whose server
is down loses its messages, and a tracker store that fails is swapped for memory
with only an ERROR line in the log. For a person in distress either looks like
being ignored. Every channel of this project wraps Rasa's message handler with
`never_silent`: when a turn sends nothing, raises, or a dependency reported a
problem during it (`report_problem`), the person gets the clinic's phone number
and the crisis lines, and the log gets an ALERT line for staff. Who wrote and
what they wrote are not logged: an ALERT names the conversation by a short keyed hash
(`conversation_tag`), which staff can compute for a known id but a log reader cannot reverse.

A turn, once started, is finished even when the person's side goes away: a REST client that
disconnects or a proxy that times out cancels Rasa's request handler, and without the shield
below the turn (and a crisis turn's urgent ticket) would be cancelled with it.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
import unicodedata
import warnings
from collections import OrderedDict, deque
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, List, Optional, Text

import rasa.core.actions.action
from rasa.core.channels.channel import OutputChannel, UserMessage

from clinic_assistant import settings
from clinic_assistant.channels.held import answered_while_held

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
        # The watched loggers' filter (_NoUserTextInErrors) has already cut user text out.
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
# Loggers whose error lines may quote a message or an action server's reply.
QUIET_LOGGERS = ("rasa.core.agent", "rasa.server", "rasa.core.channels.rest", "sanic.error")


# The keys of Rasa's structured log lines that hold what a person wrote (Rasa's own list in
# rasa.utils.log_utils._anonymizer, less nothing): withheld unless the level is DEBUG.
USER_TEXT_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)
WITHHELD = "[withheld]"


def withhold_user_text(_: Any, method_name: str, event_dict: dict) -> dict:
    """structlog processor: what a person wrote stays out of the log above DEBUG (e.g. Rasa's
    "rest.message.received.timeout" line, which carries the whole message)."""
    if method_name != "debug":
        for key in USER_TEXT_KEYS & event_dict.keys():
            event_dict[key] = WITHHELD
    return event_dict


class _NoUserTextInErrors(logging.Filter):
    """On the loggers that report failed turns: a traceback's messages can hold user text (an
    action server's error body carries the tracker, a failed save its events), so above DEBUG
    only the exception types are kept, and a quoted body or SQL parameters are cut."""

    # A response body (ClientResponseError) and SQL parameters (a failed save's event data).
    QUOTED = re.compile(r"body='.*|\[parameters: .*", re.S)

    def filter(self, record: logging.LogRecord) -> bool:
        # Staff's debug runs (launcher --debug) see everything.
        if record.levelno <= logging.DEBUG or logging.getLogger().isEnabledFor(logging.DEBUG):
            return True
        message = self.QUOTED.sub("[withheld]", record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            chain, error = [], record.exc_info[1]
            while error is not None and len(chain) < 5:
                chain.append(type(error).__name__)
                error = error.__cause__ or error.__context__
            message += f" ({' <- '.join(chain)})"
            record.exc_info = record.exc_text = None
        record.msg, record.args = message, None
        return True


_no_user_text = _NoUserTextInErrors()


def _withhold_in_structlog() -> None:
    import structlog

    processors = structlog.get_config()["processors"]
    if withhold_user_text not in processors:
        # In place: Rasa's loggers are cached with this very list.
        processors.insert(0, withhold_user_text)


def same_secret(sent: Any, expected: Text) -> bool:
    """Constant-time comparison of a secret a client sent. Compared as bytes: a header or
    argument with non-ASCII characters is a mismatch (403), not compare_digest's TypeError (500)."""
    return hmac.compare_digest(
        str(sent).encode("utf-8", "surrogateescape"), str(expected).encode("utf-8")
    )


_PROCESS_KEY = secrets.token_hex(16)


def server_key(key: Optional[Text] = None) -> Text:
    """ALERT_HASH_KEY (the launcher generates one into .run when unset), else this process's."""
    return key if key is not None else os.environ.get("ALERT_HASH_KEY") or _PROCESS_KEY


def conversation_tag(sender_id: Text, key: Optional[Text] = None) -> Text:
    """A short keyed hash of a conversation id, for log lines: `#` and 12 hex digits. The key
    is ALERT_HASH_KEY (the launcher generates one into .run/alert_hash_key when unset)."""
    # Unset (a deployment that did not pass one): a key of this process, never no key, since an
    # unkeyed hash of a phone number is reversed by trying every number.
    key = server_key(key)
    digest = hmac.new(key.encode(), str(sender_id).encode(), hashlib.sha256).hexdigest()
    return "#" + digest[:12]


def install() -> None:
    """Makes this process's Rasa report failures to the safety net. Idempotent.

    Nothing happens on import: `never_silent` calls this when a channel of this package
    wraps Rasa's message handler, that is when credentials.yml (the configuration) selects
    one of these channels and Rasa builds its webhook. It
    - watches the loggers in WATCHED_LOGGERS, so a failure Rasa only logs becomes a problem
      of the turn (and the person gets the kind reply);
    - sets how long Rasa waits for a custom action (a module constant in Rasa, 5 minutes,
      not a setting) to ACTION_TIMEOUT_SECONDS: past that the turn fails over to the kind
      reply instead of leaving a person waiting;
    - keeps user text out of the log above DEBUG: Rasa's structured lines (a REST client that
      left), the failure lines of the loggers above (an action server's error body, a failed
      save's SQL parameters) and the warning that quotes a malformed "/intent{...}" message."""
    for name in WATCHED_LOGGERS + QUIET_LOGGERS:
        watched = logging.getLogger(name)
        if name in WATCHED_LOGGERS and _turn_errors not in watched.handlers:
            watched.addHandler(_turn_errors)
        if _no_user_text not in watched.filters:
            watched.addFilter(_no_user_text)
    _withhold_in_structlog()
    # Rasa warns about a malformed "/intent{...}" message by quoting it whole.
    warnings.filterwarnings("ignore", message=r"Failed to parse arguments in line")
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = float(settings.get("ACTION_TIMEOUT_SECONDS"))


# Size limits on everything a client controls (README "Security"): a message, a conversation
# or sender id, and the metadata sent with a message (as JSON). A message: the longest SMS
# Twilio delivers (1,600 characters); the widget stops at 1,000, and the longest of 18,000
# messages in our training and test sets has 224. The NLU's lexicon matching costs about
# 0.2 ms a word, so 20,000 characters of short "words" ("a.a.a.") held the server for 6 s.
MAX_MESSAGE_CHARS = 1_600
MAX_ID_CHARS = 128
MAX_METADATA_CHARS = 4_096


def oversized(sender_id: Any, metadata: Any) -> bool:
    """A backstop for every channel: ids and metadata over their limits are refused."""
    if len(str(sender_id)) > MAX_ID_CHARS:
        return True
    if metadata:
        try:
            return len(json.dumps(metadata, default=str)) > MAX_METADATA_CHARS
        except (TypeError, ValueError):
            return True
    return False


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


def limited_reply() -> Text:
    """For a message over a rate limit: it is not processed, so whatever it said, the reply
    carries every crisis line (a crisis message is never met with only "slow down")."""
    crisis = settings.crisis_resources(settings.load_clinic())
    clinic = settings.load_clinic()["clinic"]
    extra = "; ".join(
        f"{label}: {crisis[key]}"
        for key, label in (("veterans", "Veterans"), ("text_line", "Crisis Text Line"))
        if crisis.get(key)
    )
    return (
        "You've sent a lot of messages in a short time, so I'll need a minute before I can "
        f"answer again. {crisis_line()}"
        + (f" ({extra})." if extra else "")
        + f" You can also call {clinic['name']} at {clinic['phone']}."
    )


class RateLimiter:
    """At most `limit` events per key in a sliding `window` (seconds); 0 means no limit. At
    most `keys` keys are remembered (the least recently seen are forgotten first), so a flood
    of new ids cannot exhaust memory. Per process."""

    def __init__(self, limit: int, window: float = 60.0, keys: int = 100_000) -> None:
        self.limit, self.window, self.keys = limit, window, keys
        self._events: "OrderedDict[Text, deque]" = OrderedDict()

    def allow(self, key: Text) -> bool:
        if self.limit <= 0:
            return True
        now = time.monotonic()
        events = self._events.pop(key, None) or deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        self._events[key] = events
        if len(self._events) > self.keys:
            self._events.popitem(last=False)
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True


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


class PlatformAddressed:
    """An output channel addressed with stored ids: Rasa addresses replies to the stored
    (namespaced, "twilio:+1555...") id, the platform wants its own. Everything but the replies
    is the channel's own. Used for turns (ObservedOutput) and for the replies Rasa sends
    outside a turn (`POST /conversations/{id}/tracker/events`: the staff console)."""

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

    def __init__(self, inner: OutputChannel) -> None:
        self._inner = inner

    def __getattr__(self, name: Text) -> Any:
        attribute = getattr(self._inner, name)
        if name not in self.REPLIES:
            return attribute

        async def addressed(*args: Any, **kwargs: Any) -> Any:
            if args:
                args = (platform_id(args[0]), *args[1:])
            if "recipient_id" in kwargs:
                kwargs["recipient_id"] = platform_id(kwargs["recipient_id"])
            return await self._send(attribute, args, kwargs)

        return addressed

    async def _send(self, reply: Callable, args: tuple, kwargs: dict) -> Any:
        return await reply(*args, **kwargs)


class ObservedOutput(PlatformAddressed):
    """The turn's output channel, counting what it sent."""

    def __init__(self, inner: OutputChannel) -> None:
        super().__init__(inner)
        self.sent = 0

    async def _send(self, reply: Callable, args: tuple, kwargs: dict) -> Any:
        # A reply that could not go out is a problem of the turn, not the turn's end: the
        # turn goes on, so it is stored and a crisis still files its urgent ticket, and the
        # safety net then alerts staff and tries the kind reply.
        try:
            result = await reply(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - any platform failure
            report_problem(f"a reply could not be sent ({type(error).__name__})")
            return None
        self.sent += 1
        return result


OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# A messaging platform's conversations are stored as "<platform>:<its id>", so they can be
# reached only through that platform's verified webhook: a REST or socket.io client that knows
# a patient's phone number cannot name the SMS conversation ("twilio:+1555..."), because those
# channels refuse ids with these prefixes (`reserved_id`). Replies go to the platform's own id.
NAMESPACED_CHANNELS = ("telegram", "slack", "facebook", "twilio")


def namespaced(channel: Optional[Text], sender_id: Text) -> Text:
    if channel in NAMESPACED_CHANNELS and not str(sender_id).startswith(f"{channel}:"):
        return f"{channel}:{sender_id}"
    return sender_id


def platform_id(sender_id: Any) -> Any:
    """The id the platform knows (the prefix removed), for sending."""
    if isinstance(sender_id, str):
        channel, _, rest = sender_id.partition(":")
        if rest and channel in NAMESPACED_CHANNELS:
            return rest
    return sender_id


def reserved_id(sender_id: Text) -> bool:
    """An id a REST or socket.io client may not use: it names a platform's conversation."""
    return str(sender_id).partition(":")[0].lower() in NAMESPACED_CHANNELS


# Turns still running after their client left: kept referenced so they finish.
_detached: "set[asyncio.Task]" = set()


def never_silent(on_new_message: OnNewMessage) -> OnNewMessage:
    """Rasa's message handler, wrapped: see the module's docstring. Installs the safety net."""
    install()

    async def turn(message: UserMessage, output: ObservedOutput) -> Any:
        problems: List[Text] = []
        token = _problems.set(problems)
        try:
            return await on_new_message(message)
        except asyncio.CancelledError:
            problems.append("the turn was cancelled")
            raise
        except Exception as error:  # noqa: BLE001 - whatever failed, the person gets an answer
            problems.append(type(error).__name__)
        finally:
            _problems.reset(token)
            # A conversation held by a clinician is silent on purpose (channels/held.py).
            if not problems and not output.sent and await answered_while_held(message, output):
                return None
            if problems or not output.sent:
                logger.error(
                    "ALERT conversation %s: %s",
                    conversation_tag(message.sender_id),
                    "; ".join(problems) or "the turn sent no reply",
                )
                try:
                    await output._inner.send_text_message(
                        platform_id(message.sender_id), kind_reply()
                    )
                except Exception as error:  # noqa: BLE001 - the ALERT above is already out
                    logger.error(
                        "ALERT conversation %s: the kind reply could not be sent (%s)",
                        conversation_tag(message.sender_id),
                        type(error).__name__,
                    )

    per_conversation = RateLimiter(int(settings.get("RATE_LIMIT_PER_CONVERSATION")))

    async def handle(message: UserMessage) -> Any:
        refusal = screen(message.text)
        if refusal:
            return await message.output_channel.send_text_message(message.sender_id, refusal)
        if oversized(message.sender_id, message.metadata):
            logger.warning("Refused a message: its sender id or metadata is over the size limit")
            return None
        if not per_conversation.allow(f"{message.input_channel}:{message.sender_id}"):
            logger.warning("Rate limited conversation %s", conversation_tag(message.sender_id))
            return await message.output_channel.send_text_message(
                message.sender_id, limited_reply()
            )
        message.text = typed_commands_as_text(clean_text(message.text))
        message.sender_id = namespaced(message.input_channel, message.sender_id)
        output = ObservedOutput(message.output_channel)
        message.output_channel = output
        task = asyncio.ensure_future(turn(message, output))
        _detached.add(task)
        task.add_done_callback(_detached.discard)
        try:
            # Shielded: if the client goes away (the handler is cancelled), the turn still
            # runs to the end, is stored, and a crisis still files its urgent ticket.
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                raise
            # Nothing is logged of the message (Rasa's REST channel would log it whole).
            logger.warning(
                "The client of conversation %s left before the reply; the turn goes on",
                conversation_tag(message.sender_id),
            )
            return None

    return handle


async def check_api_token(request: Any) -> Any:
    """Sanic request middleware: a wrong `?token=` is refused here with a constant-time
    comparison, before Rasa's own check (which compares with ==) sees it."""
    from sanic import response

    token, provided = os.environ.get("RASA_AUTH_TOKEN"), request.args.get("token")
    if not token or provided is None or request.path.startswith(("/webhooks/", "/socket.io")):
        return None
    if same_secret(provided, token):
        return None
    return response.json(
        {"status": "failure", "reason": "NotAuthenticated", "message": "User is not authenticated.",
         "code": 401},
        status=401,
    )  # fmt: skip


def guard_api_token(blueprint: Any) -> Any:
    """Adds `check_api_token` to the whole app (once) when Rasa registers `blueprint`: app-wide
    middleware has to be added before the app is finalised, and this is the channels' moment.
    (Sanic's blueprints take no new attributes, so the blueprint gets a subclass of its class
    whose `register` does this first.)"""
    kind = type(blueprint)

    def register(self: Any, app: Any, options: Any) -> Any:
        if check_api_token not in app.request_middleware:
            app.register_middleware(check_api_token, "request")
        return kind.register(self, app, options)

    blueprint.__class__ = type(
        f"TokenChecked{kind.__name__}", (kind,), {"__slots__": (), "register": register}
    )
    return blueprint


class NeverSilent:
    """Mixin for an InputChannel: its blueprint gets the wrapped handler, and the app the
    constant-time API token check."""

    def blueprint(self, on_new_message: OnNewMessage) -> Any:
        return guard_api_token(super().blueprint(never_silent(on_new_message)))
