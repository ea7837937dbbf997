"""Rasa's socket.io channel (the website widget), never silent (safety_net.py), with the size
of everything a client sends limited.

Rasa's server accepts packets of up to a megabyte, any session id and any Origin; here a browser's
Origin must be one of RASA_CORS_ORIGINS, a packet is at most
MAX_PACKET_BYTES, a session id must be text of 1 to MAX_ID_CHARS characters without control
characters, and a message or its metadata over their limits gets the kind "too long" reply or
is refused (safety_net.py). Nothing of a refused event is logged.
"""

import logging
from typing import Any, Callable, Optional

from rasa.core.channels import socketio
from sanic import Blueprint

from clinic_assistant import settings
from clinic_assistant.channels.safety_net import (
    MAX_ID_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_METADATA_CHARS,
    NeverSilent,
    clean_text,
    reserved_id,
)

logger = logging.getLogger(__name__)

MAX_PACKET_BYTES = 6 * MAX_MESSAGE_CHARS + MAX_METADATA_CHARS + 1024


def valid_session_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_ID_CHARS
        and clean_text(value) == value
        and not reserved_id(value)  # a platform's conversation ("twilio:+1555...")
    )


class SocketIOInput(NeverSilent, socketio.SocketIOInput):
    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        # The engine.io server reads this for each packet: larger ones close the connection.
        self.sio.eio.max_http_buffer_size = MAX_PACKET_BYTES
        handlers = self.sio.handlers[self.namespace or "/"]
        handlers["connect"] = self._origin_checked(handlers["connect"])
        handlers["session_request"] = self._checked(handlers["session_request"], required=False)
        handlers[self.user_message_evt] = self._checked(
            handlers[self.user_message_evt], required=self.session_persistence
        )
        return blueprint

    @staticmethod
    def _origin_checked(connect: Callable) -> Callable:
        """Rasa's socket.io server allows every origin (cors_allowed_origins=[] switches the
        library's check off). A browser always sends Origin: it must be one of
        RASA_CORS_ORIGINS, so another site cannot open a socket in a visitor's browser. A client
        without Origin is not a browser and gains nothing from one."""

        async def checked(sid: str, environ: dict, auth: Optional[Any] = None) -> Any:
            origin = environ.get("HTTP_ORIGIN")
            if origin is not None and origin not in settings.get("RASA_CORS_ORIGINS").split():
                logger.warning("Refused a socket.io connection from an origin not allowed")
                return False
            return await connect(sid, environ, auth)

        return checked

    @staticmethod
    def _checked(handler: Callable, required: bool) -> Callable:
        """`handler`, called only when the event's session id (optional for a session request,
        where the server makes one) is valid and the data is an object."""

        async def checked(sid: str, data: Optional[Any] = None) -> Any:
            if data is not None and not isinstance(data, dict):
                logger.warning("Refused a socket.io event: its data is not an object")
                return None
            session_id = (data or {}).get("session_id")
            if (session_id is not None or required) and not valid_session_id(session_id):
                logger.warning("Refused a socket.io event: its session id is not valid")
                return None
            return await handler(sid, data)

        return checked
