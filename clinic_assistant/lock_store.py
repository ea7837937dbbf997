"""A Redis lock store whose ticket operations are atomic across Rasa instances.

Use it with LOCK_STORE_TYPE=clinic_assistant.lock_store.AtomicRedisLockStore (endpoints.yml passes
REDIS_HOST/REDIS_PORT/REDIS_PASSWORD/REDIS_LOCK_DB to it as to Rasa's `redis` type).

Why: Rasa 3.6's RedisLockStore keeps each conversation's ticket queue in one Redis key but
changes it by read-modify-write from Python (GET, change, SET): issuing a ticket, finishing
one and deleting the lock are separate round trips. Inside one process that is safe (the
Redis client blocks the event loop), but two instances (or Sanic workers) can interleave:
both read the same queue and both write "their" ticket number N, so both believe they are
being served and process the same conversation at once. Each then saves the tracker it
loaded before the other's turn, and the SQL tracker store keeps only the events past the
count already in the table: turns are silently lost. `make scale-test` measures this
(tests/scale/test_scale.py, test_concurrent_messages_are_serialised_across_instances).
Rasa Pro's ConcurrentRedisLockStore exists for the same reason.

Here every read-modify-write runs in a Redis transaction (WATCH the key, MULTI/EXEC,
retried when another client changed the key in between), with the same key names and the
same JSON as Rasa's store, so the two can be swapped without migration. Two more changes:
- a ticket lives TICKET_LIFETIME_S (15 s), and whoever owns it keeps it alive: a waiting
  request at each poll, the turn being served by a heartbeat. In Rasa a ticket expires 60 s
  after it was issued, waiting or served, so a turn queued behind a crashed instance's turn
  waited a minute, longer than LOCK_WAIT_SECONDS, and got the kind "something went wrong"
  reply (`make scale-test`'s SIGKILL test). Now only a dead instance's tickets expire, within
  15 s;
- the key gets an expiry a little past its last ticket's, so a crashed instance's lock
  disappears;
- a waiting ticket is kept alive for at most LOCK_WAIT_SECONDS, then given up (the turn gets
  the kind reply), so a flood on a known conversation cannot hold its next message for ever.
"""

import asyncio
import json
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from clinic_assistant import settings

KEY_EXPIRY_MARGIN_S = 5
# A ticket outlives a crashed owner by at most this; a live owner renews it every third of it.
TICKET_LIFETIME_S = 15.0


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Built by Rasa from endpoints.yml (`endpoint_config`), or directly with RedisLockStore's
        arguments."""
        if endpoint_config is not None:
            kwargs = {
                "host": endpoint_config.url or "localhost",
                **endpoint_config.kwargs,
                **kwargs,
            }
        # endpoints.yml fills every key from the environment: an empty password means none.
        if not kwargs.get("password"):
            kwargs.pop("password", None)
        super().__init__(**kwargs)

    def _key(self, conversation_id: Text) -> Text:
        return self.key_prefix + conversation_id

    def _change(
        self, conversation_id: Text, change: Callable[[TicketLock], Any], create: bool = False
    ) -> Any:
        """Runs change(lock) on the stored lock in one Redis transaction and writes the lock
        back, or deletes it when no ticket is left. Without a stored lock, nothing happens
        unless `create`. Returns change()'s result."""
        key = self._key(conversation_id)

        def transaction(pipe) -> Any:
            stored = pipe.get(key)  # the key is WATCHed: EXEC fails if anyone changes it
            if stored:
                lock = TicketLock.from_dict(json.loads(stored))
            elif create:
                lock = self.create_lock(conversation_id)
            else:
                return None
            result = change(lock)
            lock.remove_expired_tickets()
            pipe.multi()
            if lock.tickets:
                expires_in = (
                    max(ticket.expires for ticket in lock.tickets)
                    - time.time()
                    + KEY_EXPIRY_MARGIN_S
                )
                pipe.set(key, lock.dumps(), px=max(1, int(expires_in * 1000)))
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's lock, with short-lived tickets that their owner renews: `lock_lifetime` is
        ignored, a turn may take as long as it needs while its instance is alive."""
        ticket = self.issue_ticket(conversation_id, TICKET_LIFETIME_S)
        try:
            held = await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
            heartbeat = asyncio.create_task(self._heartbeat(conversation_id, ticket))
            try:
                yield held
            finally:
                heartbeat.cancel()
        finally:
            self.cleanup(conversation_id, ticket)

    async def _heartbeat(self, conversation_id: Text, ticket: int) -> None:
        while True:
            await asyncio.sleep(TICKET_LIFETIME_S / 3)
            self._keep_alive(conversation_id, ticket)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(
                conversation_id, lambda lock: lock.issue_ticket(lock_lifetime), create=True
            )
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}")

    async def _acquire_lock(
        self, conversation_id: Text, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        """Rasa's loop, but each poll also keeps this request's ticket alive, for at most
        LOCK_WAIT_SECONDS: a flood of messages to one conversation must not hold its next
        message (a crisis too) for ever. Past that the ticket is given up and LockError raised,
        and the channel's safety net answers with the kind reply (clinic phone, 911, 988)."""
        deadline = time.monotonic() + float(settings.get("LOCK_WAIT_SECONDS"))
        while True:
            lock = self.get_lock(conversation_id)
            if not lock or lock._ticket_for_ticket_number(ticket) is None:
                break  # our ticket is gone: Rasa gives up the same way
            if not lock.is_locked(ticket):
                return lock
            if time.monotonic() >= deadline:
                self.finish_serving(conversation_id, ticket)  # nobody waits behind a dead one
                break
            await asyncio.sleep(wait_time_in_seconds)
            self._keep_alive(conversation_id, ticket)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def _keep_alive(self, conversation_id: Text, ticket_number: int) -> None:
        """Drops expired tickets (a crashed instance's) and moves our ticket's expiry on."""

        def refresh(lock: TicketLock) -> None:
            lock.remove_expired_tickets()
            for ticket in lock.tickets:
                if ticket.number == ticket_number:
                    ticket.expires = time.time() + TICKET_LIFETIME_S

        self._change(conversation_id, refresh)

    def update_lock(self, conversation_id: Text) -> None:
        """Drops expired tickets (of a crashed instance, say)."""
        self._change(conversation_id, lambda lock: None)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Finishes the ticket and deletes the lock if no ticket is left, in one transaction
        (Rasa does it in three steps, and can delete a lock another instance has just joined)."""
        self.finish_serving(conversation_id, ticket_number)
