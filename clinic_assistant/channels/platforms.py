"""Rasa's messaging connectors with the two things the clinic needs added.

1. Every inbound request is verified. Slack's connector already checks its
   signing secret. Twilio's checks nothing, so `X-Twilio-Signature` is verified
   here. Telegram's secret token header is checked here. Facebook's answers a bad
   signature with 200 and only knows the SHA-1 header, so here it is refused with
   403 and `X-Hub-Signature-256` is preferred.
2. Each platform's API address is configurable (`api_url`), for a regional or
   self-hosted endpoint, a proxy, or the loopback fakes of the tests.
3. On Messenger, a message that names the clinic's phone carries Messenger's own call button.

Channel names and webhook paths are Rasa's own (`/webhooks/<name>/webhook`), and
no channel is ever silent (clinic_assistant/channels/safety_net.py).
"""

import asyncio
import hmac
import logging
import os
import time
from collections import OrderedDict
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from aiogram.bot.api import Methods, TelegramAPIServer
from fbmessenger import MessengerClient
from rasa.core.channels import facebook, slack, telegram, twilio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from clinic_assistant import dialable, settings
from clinic_assistant.channels.safety_net import (
    NeverSilent,
    PlatformAddressed,
    never_silent,
    same_secret,
)
from clinic_assistant.channels.sms import pseudonymised, sms_keywords, stored_number

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def refused(reason: Text) -> response.HTTPResponse:
    logger.warning("Refused an inbound platform request: %s", reason)
    return response.text(reason, status=HTTPStatus.FORBIDDEN)


class ApiUrl:
    """Mixin: Rasa's `from_credentials`, plus the optional `api_url` credential."""

    api_url: Optional[Text] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> Any:
        channel = super().from_credentials(credentials)
        channel.api_url = credentials.get("api_url")
        return channel


# --- Telegram ---------------------------------------------------------------------------


class TelegramOutput(telegram.TelegramOutput):
    def __init__(self, access_token: Text, api_url: Optional[Text], secret_token: Text) -> None:
        server = TelegramAPIServer.from_base(api_url) if api_url else None
        # aiogram's Bot takes the server as a keyword; Rasa's subclass doesn't pass one.
        super(telegram.TelegramOutput, self).__init__(
            access_token, **({"server": server} if server else {})
        )
        self.secret_token = secret_token

    async def set_webhook(self, url: Text, **_: Any) -> bool:
        # aiogram 2.15 predates `secret_token` (Bot API 6.1), so the call is made directly.
        return await self.request(
            Methods.SET_WEBHOOK, {"url": url, "secret_token": self.secret_token}
        )

    async def register(self, url: Text) -> None:
        """Sets the webhook from outside the server's event loop, then closes the HTTP
        session bound to that short-lived loop (Rasa's connector keeps it, and every
        later call fails with "Event loop is closed"); the next call opens a new one."""
        await self.set_webhook(url)
        await self.close()


class TelegramInput(NeverSilent, telegram.TelegramInput):
    """Telegram sends `secret_token` back in a header with every update."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        channel = cls(
            credentials["access_token"], credentials["verify"], credentials["webhook_url"]
        )
        channel.secret_token = credentials["secret_token"]
        channel.api_url = credentials.get("api_url")
        return channel

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def verify(request: Request) -> Optional[response.HTTPResponse]:
            sent = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if request.method == "POST" and not same_secret(sent, self.secret_token):
                return refused("Telegram secret token missing or wrong")
            return None

        return blueprint

    def get_output_channel(self) -> PlatformAddressed:
        channel = TelegramOutput(self.access_token, self.api_url, self.secret_token)
        # Rasa's connector registers the webhook when it builds its output channel, at start.
        # Built again later, on the server's loop (Rasa's events endpoint: the staff console),
        # asyncio.run would fail: the webhook is registered already.
        if not _loop_running():
            asyncio.run(channel.register(self.webhook_url))
        return PlatformAddressed(channel)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


# --- Slack --------------------------------------------------------------------------------


class SlackInput(ApiUrl, NeverSilent, slack.SlackInput):
    """Rasa's connector verifies the signing secret (and refuses to start without it)."""

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> PlatformAddressed:
        bot = super().get_output_channel(channel, thread_id)
        if self.api_url:
            bot.client.base_url = self.api_url.rstrip("/") + "/"
        return PlatformAddressed(bot)


# --- Facebook Messenger --------------------------------------------------------------------


# Messenger's limits: a button template holds at most 3 buttons and 640 characters of text.
MESSENGER_MAX_BUTTONS = 3
MESSENGER_MAX_TEMPLATE_TEXT = 640


def with_call_button(payload: Dict[str, Any], number: Text, dial: Text) -> Dict[str, Any]:
    """The message as Messenger gets it: if its text names the clinic's phone, with a native
    call button (a phone_number button) under it; the text itself is unchanged. Crisis lines
    (911, 988) get none: Messenger's call button takes only a full international number."""
    call = {"type": "phone_number", "title": "Call the clinic", "payload": dial}
    if set(payload) == {"text"}:
        text, buttons = payload["text"], []
    else:
        template = (payload.get("attachment") or {}).get("payload") or {}
        if template.get("template_type") != "button":
            return payload
        text, buttons = template.get("text", ""), template.get("buttons", [])
    if number not in text or len(buttons) >= MESSENGER_MAX_BUTTONS:
        return payload
    if len(text) > MESSENGER_MAX_TEMPLATE_TEXT:
        return payload
    template = {"template_type": "button", "text": text, "buttons": [*buttons, call]}
    return {"attachment": {"type": "template", "payload": template}}


class CallingMessengerClient(MessengerClient):
    """The Graph API client that every Messenger reply goes through (plain text and buttons)."""

    def __init__(self, page_access_token: Text) -> None:
        super().__init__(page_access_token)
        clinic = settings.load_clinic()
        self.clinic_phone = clinic["clinic"]["phone"]
        self.dial = dialable.dial_address(self.clinic_phone, settings.phone_region(clinic))

    def send(self, payload: Dict[str, Any], recipient_id: Text, *args: Any, **kwargs: Any) -> Any:
        payload = with_call_button(payload, self.clinic_phone, self.dial)
        return super().send(payload, recipient_id, *args, **kwargs)


class Messenger(facebook.Messenger):
    def __init__(
        self, page_access_token: Text, on_new_message: OnNewMessage, graph_url: Optional[Text]
    ) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = CallingMessengerClient(page_access_token)
        if graph_url:
            self.client.graph_url = graph_url.rstrip("/")


def valid_hub_signature(app_secret: Text, body: bytes, headers: Any) -> bool:
    """Meta signs the raw body with the app secret: SHA-256 header first, SHA-1 as before."""
    for header, algorithm in (("X-Hub-Signature-256", "sha256"), ("X-Hub-Signature", "sha1")):
        sent = headers.get(header)
        if sent:
            expected = algorithm + "=" + hmac.new(app_secret.encode(), body, algorithm).hexdigest()
            return same_secret(sent, expected)
    return False


class FacebookInput(ApiUrl, facebook.FacebookInput):
    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        # Rasa's Facebook blueprint is replaced, not extended, so the wrapper is applied here.
        on_new_message = never_silent(on_new_message)
        blueprint = Blueprint("fb_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> response.HTTPResponse:
            if same_secret(request.args.get("hub.verify_token", ""), self.fb_verify):
                return response.text(request.args.get("hub.challenge", ""))
            return refused("Facebook verify token wrong")

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> response.HTTPResponse:
            if not valid_hub_signature(self.fb_secret, request.body, request.headers):
                return refused("Facebook signature missing or wrong")
            messenger = Messenger(self.fb_access_token, on_new_message, self.api_url)
            await messenger.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return blueprint

    def get_output_channel(self) -> PlatformAddressed:
        # Rasa's builds its own client: the API address is set here too.
        bot = super().get_output_channel()
        if self.api_url:
            bot.messenger_client.graph_url = self.api_url.rstrip("/")
        return PlatformAddressed(bot)


# --- Twilio SMS ----------------------------------------------------------------------------


class TwilioOutput(twilio.TwilioOutput):
    """Sends to `recipient`, the number the message came from (set per request by
    sms.pseudonymised): Rasa addresses replies to the conversation id, a hash of it. Outside a
    turn (a clinician's take-over) the number is read from where it is kept for staff."""

    recipient: Optional[Text] = None

    def __init__(
        self, account_sid: Text, auth_token: Text, twilio_number: Text, api_url: Optional[Text]
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_url:
            self.api.base_url = api_url.rstrip("/")

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        message_data = {**message_data, "to": self.recipient or stored_number(message_data["to"])}
        # The Twilio client is synchronous: send from a thread, not on the server's event loop.
        # A failure is raised, not swallowed: the safety net counts the reply as not sent and
        # alerts staff (Twilio's own message can quote the phone number: only its code is logged).
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:
            logger.error("Twilio refused a message: error %s (HTTP %s)", error.code, error.status)
            raise


class SeenOnce:
    """Ids seen in the last `ttl` seconds, at most `size` of them (oldest forgotten first).
    Per process: instances behind a load balancer each keep their own."""

    def __init__(self, size: int = 50_000, ttl: float = 24 * 3600) -> None:
        self.size, self.ttl = size, ttl
        self._seen: "OrderedDict[str, float]" = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        while self._seen and (
            len(self._seen) >= self.size or next(iter(self._seen.values())) < now - self.ttl
        ):
            self._seen.popitem(last=False)
        if not key or key in self._seen:
            return False
        self._seen[key] = now
        return True


class TwilioInput(twilio.TwilioInput):
    """Verifies `X-Twilio-Signature`: HMAC-SHA1 of the public webhook URL and the form fields.
    Carrier keywords (STOP, START, HELP) wrap the never-silent handler: an opted-out number
    gets nothing, not even the kind reply (clinic_assistant/channels/sms.py)."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        if not os.environ.get("ALERT_HASH_KEY"):
            # A process's own key would change every SMS conversation's id at each restart
            # (and forget every STOP): `make run` generates one into .run/alert_hash_key.
            raise ValueError("Twilio SMS needs ALERT_HASH_KEY: conversation ids are keyed by it")
        channel = cls(
            credentials["account_sid"],
            credentials["auth_token"],
            credentials["twilio_number"],
            debug_mode=False,
        )
        # Twilio signs the URL it calls, which behind a proxy is not the URL Rasa sees.
        channel.webhook_url = credentials["webhook_url"]
        channel.api_url = credentials.get("api_url")
        return channel

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(pseudonymised(sms_keywords(never_silent(on_new_message))))
        validator = RequestValidator(self.auth_token)
        seen = SeenOnce()

        @blueprint.middleware("request")
        async def verify(request: Request) -> Optional[response.HTTPResponse]:
            if request.method != "POST":
                return None
            signature = request.headers.get("X-Twilio-Signature", "")
            try:
                valid = validator.validate(self.webhook_url, request.form, signature)
            except Exception:  # noqa: BLE001 - an odd header is a wrong signature, not a 500
                valid = False
            if not valid:
                return refused("Twilio signature missing or wrong")
            if not request.form.get("From") or request.form.get("Body") is None:
                return response.text("An SMS needs From and Body", status=HTTPStatus.BAD_REQUEST)
            # Twilio's signature has no time in it, so a captured request stays valid: each
            # message (its signed MessageSid) is handled once; a replay, or Twilio's own retry,
            # is acknowledged and dropped.
            if not seen.first_time(request.form.get("MessageSid") or ""):
                logger.warning("Dropped a replayed Twilio request")
                return response.text("", status=HTTPStatus.NO_CONTENT)
            return None

        return blueprint

    def get_output_channel(self) -> TwilioOutput:
        # Not PlatformAddressed: the stored id is a hash, and TwilioOutput finds the number.
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_url)
