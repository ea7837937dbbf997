"""Rasa's socket.io channel (the website widget), never silent (safety_net.py), with the size
of everything a client sends limited.

Rasa's server accepts packets of up to a megabyte, any Origin, and lets a client join or post
into any session it names. Here a browser's Origin must be one of RASA_CORS_ORIGINS; a session
id is issued by this server (a random part and its keyed MAC), and only such an id is joined or
posted into; a packet is at most MAX_PACKET_BYTES, a session id at most MAX_ID_CHARS characters;
a message or its metadata over their limits gets the kind "too long" reply or is refused
(safety_net.py). Nothing of a refused event is logged.

With SOCKETIO_MANAGER=redis the AsyncServer shares its emits with the other Rasa instances
through python-socketio's AsyncRedisManager, so a reply appended through any instance's HTTP API
reaches the person's socket on whichever instance holds it. The staff console's "Dana is
typing" goes out the same way (POST /webhooks/socketio/typing, with the HTTP API token).
"""

import hmac
import logging
import secrets
from typing import Any, Callable, Optional

import socketio as python_socketio
from rasa.core.channels import socketio
from sanic import Blueprint, response
from sanic.request import Request

from clinic_assistant import settings
from clinic_assistant.channels.rest import has_api_token
from clinic_assistant.channels.safety_net import (
    MAX_ID_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_METADATA_CHARS,
    NeverSilent,
    clean_text,
    reserved_id,
    server_key,
)

logger = logging.getLogger(__name__)

MAX_PACKET_BYTES = 6 * MAX_MESSAGE_CHARS + MAX_METADATA_CHARS + 1024
# Sent to the person's room while a clinician types (web/widget.js shows "Dana is typing...").
TYPING_EVENT = "clinician_typing"
MAX_NAME_CHARS = 64


def _session_mac(nonce: str, key: Optional[str] = None) -> str:
    digest = hmac.new(server_key(key).encode(), b"socketio-session:" + nonce.encode(), "sha256")
    return digest.hexdigest()[:20]


def new_session_id(key: Optional[str] = None) -> str:
    """A session id only this server could have issued: a random part and its keyed MAC. Whoever
    holds it may use the session; nobody can make one up for someone else's."""
    nonce = secrets.token_hex(16)
    return f"{nonce}.{_session_mac(nonce, key)}"


def issued_session_id(value: Any, key: Optional[str] = None) -> bool:
    if not isinstance(value, str) or value.count(".") != 1:
        return False
    nonce, mac = value.split(".")
    return bool(nonce) and hmac.compare_digest(mac.encode(), _session_mac(nonce, key).encode())


def valid_session_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_ID_CHARS
        and clean_text(value) == value
        and not reserved_id(value)  # a platform's conversation ("twilio:+1555...")
    )


def share_between_instances(sio: python_socketio.AsyncServer, blueprint: Blueprint) -> None:
    """Gives `sio` the Redis client manager when SOCKETIO_MANAGER is "redis". Rasa builds its
    AsyncServer without one (rasa/core/channels/socketio.py, `blueprint`); before any client has
    connected, this is what AsyncServer(client_manager=...) does. The manager pickles what it
    publishes: Redis must be private and password-protected (README "Scaling out")."""
    url = settings.socketio_redis_url()
    if url:
        manager = python_socketio.AsyncRedisManager(url)
        manager.set_server(sio)
        sio.manager = manager
        blueprint.after_server_start(lambda app, loop: _subscribe_before_any_client(sio))


async def _subscribe_before_any_client(sio: python_socketio.AsyncServer) -> None:
    """python-socketio subscribes to Redis when the first client connects, and everything this
    instance emits goes through Redis: the first client's session_confirm could be published
    before the subscription is there, and lost. Subscribed at start, nobody waits on that."""
    if not sio.manager_initialized:
        sio.manager_initialized = True
        sio.manager.initialize()


class SocketIOInput(NeverSilent, socketio.SocketIOInput):
    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        share_between_instances(self.sio, blueprint)
        blueprint.add_route(self._clinician_typing(), "/typing", methods=["POST"])
        # The engine.io server reads this for each packet: larger ones close the connection.
        self.sio.eio.max_http_buffer_size = MAX_PACKET_BYTES
        handlers = self.sio.handlers[self.namespace or "/"]
        handlers["connect"] = self._origin_checked(handlers["connect"])
        handlers["session_request"] = self._issuing(handlers["session_request"])
        handlers[self.user_message_evt] = self._checked(
            handlers[self.user_message_evt], required=self.session_persistence
        )
        return blueprint

    def _clinician_typing(self) -> Callable:
        """The staff console's "Dana is typing": staff only (the HTTP API token), into a session
        this server issued only (every socket is also a room of its own)."""

        async def clinician_typing(request: Request) -> response.HTTPResponse:
            if not has_api_token(request):
                return response.json({"error": "the HTTP API token is required"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            session_id, clinician = body.get("session_id"), body.get("clinician")
            if not (valid_session_id(session_id) and issued_session_id(session_id)) or not (
                isinstance(clinician, str) and 0 < len(clinician) <= MAX_NAME_CHARS
            ):
                return response.json({"error": "a session id and a clinician's name"}, status=400)
            await self.sio.emit(
                TYPING_EVENT, {"clinician": clinician}, room=session_id, namespace=self.namespace
            )
            return response.json({"sent": True})

        return clinician_typing

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
    def _issuing(handler: Callable) -> Callable:
        """Rasa's session_request joins whatever session is named. Here only a session id this
        server issued is honoured; for any other (a new visitor's, or someone else's id guessed
        or seen) a new one is issued, and session_confirm tells the client (the widget keeps
        the confirmed id)."""

        async def issuing(sid: str, data: Optional[Any] = None) -> Any:
            if data is not None and not isinstance(data, dict):
                logger.warning("Refused a socket.io event: its data is not an object")
                return None
            data = dict(data or {})
            if not issued_session_id(data.get("session_id")):
                data["session_id"] = new_session_id()
            return await handler(sid, data)

        return issuing

    @staticmethod
    def _checked(handler: Callable, required: bool) -> Callable:
        """`handler`, called only when the event's session id (optional for a session request,
        where the server makes one) is valid and the data is an object."""

        async def checked(sid: str, data: Optional[Any] = None) -> Any:
            if data is not None and not isinstance(data, dict):
                logger.warning("Refused a socket.io event: its data is not an object")
                return None
            session_id = (data or {}).get("session_id")
            if (session_id is not None or required) and not (
                valid_session_id(session_id) and issued_session_id(session_id)
            ):
                # A message names its conversation itself: without this, anyone could post
                # into a session whose id they know, whatever room they joined.
                logger.warning("Refused a socket.io event: its session id was not issued here")
                return None
            return await handler(sid, data)

        return checked
