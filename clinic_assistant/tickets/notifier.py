"""Posts new tickets to the clinic's webhook, with retries and backoff.

Delivery runs after the ticket is stored, so a failed delivery never loses a
ticket: it stays `failed` and is retried with the next ticket or by
`python -m clinic_assistant.tickets retry`.
"""

import logging
import threading
import time
from typing import Callable, Optional

import requests

from clinic_assistant.tickets.store import TicketStore

logger = logging.getLogger(__name__)

ATTEMPTS = 4
FIRST_BACKOFF_SECONDS = 0.5
TIMEOUT_SECONDS = 5
# One delivery pass at a time per process, so a ticket is not posted twice.
_delivery_lock = threading.Lock()


def post_with_retries(
    url: str,
    payload: dict,
    attempts: int = ATTEMPTS,
    backoff: float = FIRST_BACKOFF_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Returns the number of attempts used when delivered, or raises after the last."""
    for attempt in range(1, attempts + 1):
        try:
            response = requests.post(url, json=payload, timeout=TIMEOUT_SECONDS)
            if response.status_code < 300:
                return attempt
            error = f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            error = type(exc).__name__
        logger.warning("Clinic webhook delivery attempt %d/%d failed: %s", attempt, attempts, error)
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise ConnectionError(f"webhook not reached after {attempts} attempts")


def deliver_pending(store: TicketStore, url: str, **retry_options) -> int:
    """Delivers every undelivered ticket; returns how many were delivered."""
    with _delivery_lock:
        delivered = 0
        for ticket in store.undelivered():
            if not url:
                store.mark_not_configured(ticket.id)
                continue
            try:
                attempts = post_with_retries(
                    url, {"event": "handoff_ticket", "ticket": ticket.as_dict()}, **retry_options
                )
                store.record_delivery(ticket.id, True, attempts)
                delivered += 1
            except ConnectionError:
                store.record_delivery(ticket.id, False, retry_options.get("attempts", ATTEMPTS))
                logger.error(
                    "Handoff ticket %s kept in the database; clinic webhook unreachable", ticket.id
                )
        return delivered


def deliver_in_background(store: TicketStore, url: Optional[str]) -> threading.Thread:
    """Delivery must not delay the person's reply."""
    thread = threading.Thread(target=deliver_pending, args=(store, url or ""), daemon=True)
    thread.start()
    return thread
