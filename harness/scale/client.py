"""A REST client that retries the way a chat front end should when an instance goes away.

nginx already sends a turn to the other instance when one refuses the connection. What
is left for the client: a 502/503/504 (every instance was down for a moment, or the
instance died while it had the turn) or a dropped connection. The client then sends the
same message again, so a turn can run twice when an instance died after storing it but
before answering: `Reply.ambiguous_retries` counts the retries where that was possible.
"""

import time
from dataclasses import dataclass, field
from typing import List, Optional

import requests

RETRY_STATUSES = {502, 503, 504}
# Longer than Rasa's lock lifetime (60 s): a turn may wait for a crashed instance's ticket to
# expire.
REQUEST_TIMEOUT_S = 130
RETRY_DEADLINE_S = 200
RETRY_PAUSE_S = 0.5


@dataclass
class Reply:
    messages: List[dict]
    attempts: int = 1
    ambiguous_retries: int = 0  # retries after the request may have reached Rasa
    errors: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.messages)


def send(
    base_url: str,
    sender: str,
    message: str,
    session: Optional[requests.Session] = None,
    deadline_s: float = RETRY_DEADLINE_S,
) -> Reply:
    http = session or requests
    started = time.monotonic()
    attempts, ambiguous, errors = 0, 0, []
    while True:
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
