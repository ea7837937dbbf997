"""A REST client that retries the way a chat front end should when an instance goes away.

nginx already sends a turn to the other instance when one refuses the connection. What
is left for the client: a 502/503/504 (every instance was down for a moment, or the
instance died while it had the turn) or a dropped connection. Resending blindly would run a
turn twice when the instance died after storing it but before answering, and the person's
"yes" would then answer the next question too (a consent they never saw). So with the API
token the client first reads the conversation: a turn stored since it was sent is not sent
again, its stored replies are the answer (`Reply.recovered`). Without the token it resends;
`Reply.ambiguous_retries` counts the resends after the request may have reached Rasa.
"""

import time
from dataclasses import dataclass, field
from typing import List, Optional
from urllib.parse import quote

import requests

RETRY_STATUSES = {502, 503, 504}
# Longer than LOCK_WAIT_SECONDS (30 s) plus a turn: a turn may wait for a crashed instance's
# ticket to expire.
REQUEST_TIMEOUT_S = 130
RETRY_DEADLINE_S = 200
RETRY_PAUSE_S = 0.5


@dataclass
class Reply:
    messages: List[dict]
    attempts: int = 1
    ambiguous_retries: int = 0  # resends after the request may have reached Rasa
    errors: List[str] = field(default_factory=list)
    seconds: float = 0.0
    recovered: bool = False  # the turn was stored but not answered: its replies read back

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.messages)


def send(
    base_url: str,
    sender: str,
    message: str,
    session: Optional[requests.Session] = None,
    deadline_s: float = RETRY_DEADLINE_S,
    token: Optional[str] = None,
) -> Reply:
    http = session or requests
    started, sent_at = time.monotonic(), time.time()
    attempts, ambiguous, errors = 0, 0, []
    while True:
        if ambiguous and token:
            try:
                stored = stored_replies(http, base_url, token, sender, message, sent_at)
            except requests.RequestException as error:
                errors.append(f"reading back: {type(error).__name__}")
                # Still unknown: read again, never resend.
                if time.monotonic() - started > deadline_s:
                    raise TimeoutError(f"{sender}: could not read back {message!r}") from error
                time.sleep(RETRY_PAUSE_S)
                continue
            if stored is not None:
                return Reply(stored, attempts, 0, errors, time.monotonic() - started, True)
            ambiguous = 0  # not stored: sending again cannot run the turn twice
        attempts += 1
        try:
            response = http.post(
                f"{base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": message},
                timeout=REQUEST_TIMEOUT_S,
            )
            if response.status_code not in RETRY_STATUSES:
                response.raise_for_status()
                return Reply(
                    response.json(), attempts, ambiguous, errors, time.monotonic() - started
                )
            errors.append(f"HTTP {response.status_code}")
            ambiguous += (
                1  # nginx answers 502 both for "no instance reachable" and "instance died mid-turn"
            )
        except requests.ConnectionError as error:
            errors.append(type(error).__name__)
            ambiguous += "Connection refused" not in str(
                error
            )  # a refused connection reached no one
        except requests.Timeout as error:
            errors.append(type(error).__name__)
            ambiguous += 1
        if time.monotonic() - started > deadline_s:
            raise TimeoutError(
                f"{sender}: no answer to {message!r} within {deadline_s} s ({attempts} attempts: "
                f"{errors})"
            )
        time.sleep(RETRY_PAUSE_S)


def stored_replies(
    http, base_url: str, token: str, sender: str, message: str, since: float
) -> Optional[List[dict]]:
    """The bot's stored replies when the conversation's last user turn is `message`, stored at
    or after `since`; None when it was not stored. Rasa saves a turn's events together, so a
    stored turn has its replies too. Raises requests' errors when the conversation cannot be
    read."""
    response = http.get(
        f"{base_url}/conversations/{quote(sender, safe='')}/tracker",
        params={"token": token},
        timeout=REQUEST_TIMEOUT_S,
    )
    response.raise_for_status()
    events = response.json().get("events") or []
    last_user = max((i for i, e in enumerate(events) if e["event"] == "user"), default=None)
    if last_user is None:
        return None
    turn = events[last_user]
    if turn.get("text") != message or turn.get("timestamp", 0) < since:
        return None
    return [
        {"recipient_id": sender, "text": e.get("text")}
        for e in events[last_user + 1 :]
        if e["event"] == "bot"
    ]
