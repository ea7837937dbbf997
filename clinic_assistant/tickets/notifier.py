"""Posts new tickets to the clinic's webhook, with retries and backoff.

Delivery runs after the ticket is stored, so a failed delivery never loses a
ticket: it stays `failed` and is retried with the next ticket or by
`python -m clinic_assistant.tickets retry`.
"""

import logging
import threading
import time
from typing import Callable, Optional, Tuple

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


def delivery_id(ticket: dict) -> str:
    """The same for every attempt and every sender of one ticket: the receiver de-duplicates
    on it (a sender that crashed after posting, before recording it, is retried later)."""
    return f"ticket-{ticket['id']}-{ticket['created_at']}"


def deliver_pending(store: TicketStore, url: str, **retry_options) -> int:
    """Delivers every undelivered ticket, urgent first; returns how many were delivered.
    Each ticket is claimed in the database first, so another sender skips it."""
    with _delivery_lock:
        delivered = 0
        for ticket in store.undelivered():
            if not url:
                store.mark_not_configured(ticket.id)
                continue
            if not store.claim_delivery(ticket.id):
                continue  # another action server (or `tickets retry`) is sending it
            data = store.details(ticket.id)
            try:
                attempts = post_with_retries(
                    url,
                    {"event": "handoff_ticket", "delivery_id": delivery_id(data), "ticket": data},
                    **retry_options,
                )
                store.record_delivery(ticket.id, True, attempts)
                delivered += 1
            except ConnectionError:
                store.record_delivery(ticket.id, False, retry_options.get("attempts", ATTEMPTS))
                logger.error(
                    "Handoff ticket %s kept in the database; clinic webhook unreachable", ticket.id
                )
        return delivered


# One delivery worker per process: filing a ticket wakes it, and a flood of tickets does not
# start a thread each (they used to queue on the lock, every one resending every pending ticket).
# Each pass reads the store and URL of the latest wake-up, so a running worker never delivers
# from a store or webhook that has since been replaced.
_wake = threading.Event()
_worker: Optional[threading.Thread] = None
_worker_guard = threading.Lock()
_target: Tuple[Optional[TicketStore], str] = (None, "")


def _work() -> None:
    global _worker
    while True:
        _wake.clear()
        with _worker_guard:
            store, url = _target
        try:
            deliver_pending(store, url)
        except Exception:  # noqa: BLE001 - the tickets stay stored; the next ticket retries
            logger.exception("Clinic webhook delivery pass failed")
        with _worker_guard:
            if not _wake.is_set():
                _worker = None
                return


def deliver_in_background(store: TicketStore, url: Optional[str]) -> threading.Thread:
    """Delivery must not delay the person's reply. Returns the (single) worker thread."""
    global _worker, _target
    with _worker_guard:
        _target = (store, url or "")
        _wake.set()
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, daemon=True)
            _worker.start()
        return _worker
