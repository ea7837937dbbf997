"""Rasa's REST channel, for staff and the clinic's own systems, with its input checked before
Rasa sees it.

Rasa's REST channel takes any sender id from anyone, so whoever knows or guesses a conversation
id could read its replies and write into it. Here it needs the HTTP API token (`?token=`, as
`rasa shell` sends it) unless REST_REQUIRES_TOKEN is false; patients use the widget (socket.io,
server-issued session ids) or a messaging platform (signed webhooks).

Rasa's own answers a missing sender by filing the message under a shared
"default" conversation, a non-object body with a 500, bad JSON with an HTML
page, and an empty message with an empty list. Here each of those gets a 400
with a JSON body that says, kindly, what to change; nothing reaches a
conversation unless it is a real message from a named sender.
"""

import json
import os
from http import HTTPStatus
from typing import Any, Optional, Text

from rasa.core.channels import rest
from sanic import Blueprint, response
from sanic.request import Request

from clinic_assistant import settings
from clinic_assistant.channels.safety_net import (
    MAX_ID_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_METADATA_CHARS,
    NeverSilent,
    RateLimiter,
    clean_text,
    empty_reply,
    limited_reply,
    oversized,
    reserved_id,
    same_secret,
    too_long_reply,
)

MAX_SENDER_CHARS = MAX_ID_CHARS
# A body that holds a message at its limit, every character JSON-escaped (\uXXXX), plus
# metadata: anything larger is refused before it is parsed.
MAX_BODY_BYTES = 6 * MAX_MESSAGE_CHARS + MAX_METADATA_CHARS + 1024


class BadInput(ValueError):
    def __init__(self, code: Text, message: Text, status: int = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.code, self.status = code, status


def checked_body(raw: bytes) -> dict:
    """The request body as {"sender", "message", "metadata"?}, or BadInput saying what is wrong."""
    if len(raw) > MAX_BODY_BYTES:
        raise BadInput("body_too_large", too_long_reply(), HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadInput(
            "invalid_json",
            "Please send a JSON object encoded as UTF-8, like "
            '{"sender": "your-id", "message": "hello"}.',
        )
    if not isinstance(body, dict):
        raise BadInput(
            "invalid_json",
            'Please send a JSON object, like {"sender": "your-id", "message": "hello"}.',
        )
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if (
        not isinstance(sender, str)
        or not sender.strip()
        or len(sender) > MAX_SENDER_CHARS
        or clean_text(sender) != sender
        or reserved_id(sender)
    ):
        raise BadInput(
            "invalid_sender",
            f"Please give a sender id: text of 1 to {MAX_SENDER_CHARS} "
            "characters, with no control characters, not starting with a platform's name "
            'and ":".',
        )
    message = body.get("message")
    if not isinstance(message, str):
        raise BadInput("invalid_message", "Please send the message as text.")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadInput("message_too_long", too_long_reply(), HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    message = clean_text(message)
    if not message:
        raise BadInput("empty_message", empty_reply())
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadInput(
            "invalid_metadata", "Please send metadata as a JSON object, or leave it out."
        )
    if oversized("", metadata):
        raise BadInput(
            "metadata_too_large",
            f"Please keep metadata under {MAX_METADATA_CHARS:,} characters of JSON.",
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        )
    return {"sender": sender, "message": message, **({"metadata": metadata} if metadata else {})}


def has_api_token(request: Request) -> bool:
    """`?token=` is the HTTP API token (constant-time). No token configured: nobody has it."""
    token = os.environ.get("RASA_AUTH_TOKEN")
    return bool(token) and same_secret(request.args.get("token", ""), token)


class RestInput(NeverSilent, rest.RestInput):
    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        # Behind a proxy every request comes from its address: see README "Security".
        per_address = RateLimiter(int(settings.get("RATE_LIMIT_PER_ADDRESS")))
        token_required = settings.get("REST_REQUIRES_TOKEN").lower() != "false"

        @blueprint.middleware("request")
        async def check(request: Request) -> Optional[response.HTTPResponse]:
            if request.method != "POST":
                return None
            if token_required and not has_api_token(request):
                return response.json(
                    {
                        "error": "not_authenticated",
                        "message": "This address is for clinic staff: add ?token= with the API "
                        "token. To talk to the assistant, use the chat on the clinic's website.",
                    },
                    status=HTTPStatus.UNAUTHORIZED,
                )
            try:
                # Rasa's handler reads `request.json`, which is this parsed, checked body.
                request.parsed_json = checked_body(request.body)
            except BadInput as bad:
                return response.json({"error": bad.code, "message": str(bad)}, status=bad.status)
            if not per_address.allow(request.ip or "unknown"):
                # Still a list of messages, as a REST client expects, with the crisis lines.
                sender = request.parsed_json["sender"]
                return response.json(
                    [{"recipient_id": sender, "text": limited_reply()}],
                    status=HTTPStatus.TOO_MANY_REQUESTS,
                )
            return None

        return blueprint

    def _extract_input_channel(self, req: Request) -> Text:
        # A client may not claim to be another channel (tickets record the channel).
        return self.name()
