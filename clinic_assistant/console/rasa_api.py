"""Take-over and hand-back through Rasa's own HTTP API (checked in rasa 3.6.21's source):

- `POST /conversations/{id}/tracker/events?output_channel=latest&execute_side_effects=true`
  appends events under the conversation's lock; with `execute_side_effects` each `bot` event is
  sent through `_get_output_channel`, which for `latest` rebuilds the output channel of the
  conversation's last input channel (rasa/server.py `append_events`, `_get_output_channel`;
  `MessageProcessor.execute_side_effects`). For socket.io that is the one AsyncServer of this
  process, which emits `bot_uttered` to the room named by the session id.
- `{"event": "pause"}` (ConversationPaused): from then on `_should_handle_message` predicts no
  action, so the bot is silent; messages are still parsed and stored. `{"event": "resume"}`
  hands the conversation back.

The clinician's own words go to the person as a `bot` event whose text names them as a person.
"Dana is typing" has no Rasa event: it goes to the widget through our socket.io channel's
`/webhooks/socketio/typing` (clinic_assistant/channels/webchat.py).
"""

from typing import Any, Dict, List
from urllib.parse import quote

import aiohttp

from clinic_assistant import settings


class RasaUnavailable(Exception):
    pass


def _clinic_name() -> str:
    return settings.load_clinic()["clinic"]["name"]


def joined_text(display_name: str) -> str:
    return (
        f"{display_name}, a clinician at {_clinic_name()}, has joined this chat. "
        f"The assistant will stay quiet while {display_name} is here."
    )


def left_text(display_name: str) -> str:
    return f"{display_name} has left the chat. The assistant is back to answer your questions."


def clinician_text(display_name: str, text: str) -> str:
    return f"{display_name} (clinician): {text}"


class RasaConversations:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url, self.token = base_url.rstrip("/"), token

    def _url(self, conversation_id: str, suffix: str = "") -> str:
        # Rasa's route does not unquote the id: ":" and "+" (a platform's "twilio:+1555...")
        # go as they are. An id that still needs quoting would name another conversation,
        # which _request notices.
        return f"{self.base_url}/conversations/{quote(conversation_id, safe=':+@')}/tracker{suffix}"

    async def _call(self, method: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        params = {"token": self.token, **kwargs.pop("params", {})}
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
                async with http.request(method, url, params=params, **kwargs) as response:
                    if response.status != 200:
                        raise RasaUnavailable(f"Rasa answered {response.status}")
                    return await response.json()
        except aiohttp.ClientError as error:
            raise RasaUnavailable(type(error).__name__) from error

    async def _request(
        self, method: str, conversation_id: str, suffix: str = "", **kwargs: Any
    ) -> Dict[str, Any]:
        tracker = await self._call(method, self._url(conversation_id, suffix), **kwargs)
        if tracker.get("sender_id") != conversation_id:
            raise RasaUnavailable("the conversation id cannot be sent to Rasa's API as it is")
        return tracker

    async def tracker(self, conversation_id: str) -> Dict[str, Any]:
        return await self._request("GET", conversation_id)

    async def append(self, conversation_id: str, events: List[Dict[str, Any]]) -> Dict[str, Any]:
        """Appends `events`; `bot` events among them reach the person on their channel."""
        return await self._request(
            "POST",
            conversation_id,
            "/events",
            params={"output_channel": "latest", "execute_side_effects": "true"},
            json=events,
        )

    async def take_over(self, conversation_id: str, display_name: str, channel: str) -> None:
        await self.append(
            conversation_id,
            [
                {"event": "pause"},
                _from_clinician(display_name, joined_text(display_name), channel, "joined"),
            ],
        )

    async def say(self, conversation_id: str, display_name: str, text: str) -> None:
        await self.append(
            conversation_id, [_from_clinician(display_name, clinician_text(display_name, text))]
        )

    async def typing(self, conversation_id: str, display_name: str) -> None:
        """Shows "Dana is typing" in the person's chat widget (socket.io conversations only)."""
        await self._call(
            "POST",
            f"{self.base_url}/webhooks/socketio/typing",
            json={"session_id": conversation_id, "clinician": display_name},
        )

    async def hand_back(self, conversation_id: str, display_name: str, channel: str) -> None:
        await self.append(
            conversation_id,
            [
                _from_clinician(display_name, left_text(display_name), channel, "left"),
                {"event": "resume"},
            ],
        )


def _from_clinician(
    display_name: str, text: str, channel: str = "", presence: str = ""
) -> Dict[str, Any]:
    """A `bot` event written by a person: the metadata tells the transcript who. Joining and
    leaving also tell the chat widget, as custom data after the text (Rasa's socket.io output
    emits `custom["data"]` as a `bot_uttered` of its own; other channels would send custom data
    as a message, so they get the text only)."""
    event = {"event": "bot", "text": text, "metadata": {"clinician": display_name}}
    if presence and channel == "socketio":
        event["data"] = {"custom": {"data": {"presence": presence, "clinician": display_name}}}
    return event


def transcript(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The conversation as stored (redacted by the tracker store): who said what, when."""
    lines = []
    for event in tracker.get("events", []):
        if event.get("event") in ("user", "bot") and event.get("text"):
            intent = (event.get("parse_data") or {}).get("intent") or {}
            clinician = (event.get("metadata") or {}).get("clinician")
            lines.append(
                {
                    # A clinician's message names them in its own text.
                    "from": "person"
                    if event["event"] == "user"
                    else "clinician"
                    if clinician
                    else "assistant",
                    "text": event["text"],
                    "at": event.get("timestamp"),
                    "topic": intent.get("name"),
                }
            )
    return lines
